import { WardenError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import { ModelRequestSchema } from '../../shared/models.js';
import { runMemory, type HostBridge } from '../sandbox/bridge.js';
import type { SandboxPool } from '../sandbox/pool.js';
import type { RunContext } from './context.js';
import type { RunResult } from './finish.js';
import type { HandoffRequest, Steps } from './steps.js';

/**
 * Runs an agent's own program in the sandbox under its caps. Its `warden.*` calls come through
 * the same governed steps as the standard loop's; every argument from the isolate is checked
 * before it is used, since the host never trusts an isolate.
 */
export async function runProgram(
  sandbox: SandboxPool,
  steps: Steps,
  run: RunContext,
  source: string,
): Promise<RunResult> {
  const { memoryMb, cpuMs, wallMs } = run.agent.limits;
  const memory = runMemory();
  const bridge: HostBridge = {
    log: (level, message) => run.note({ type: 'run.log', payload: { level, message: message.slice(0, 16_384) } }),
    call: async (fn, args) => {
      const remembered = memory(fn, args);
      if (remembered !== undefined) return remembered;
      switch (fn) {
        case 'model': {
          const request = ModelRequestSchema.safeParse(args[0]);
          if (!request.success)
            throw new WardenError('E_USAGE', `warden.model: ${request.error.issues[0]?.message ?? 'bad request'}`);
          return (await steps.model(run, request.data.messages, request.data.tools ?? [])) as unknown as JsonValue;
        }
        case 'tool': {
          const [name, toolArgs] = args;
          if (typeof name !== 'string' || !toolArgs || typeof toolArgs !== 'object' || Array.isArray(toolArgs)) {
            throw new WardenError('E_USAGE', 'warden.tool(name, args): name is "server.tool" and args an object');
          }
          return steps.tool(run, name, toolArgs);
        }
        default: {
          const [to, request] = args as [string, Partial<HandoffRequest> | undefined];
          return steps.handoff(run, String(to), {
            intent: String(request?.intent ?? ''),
            context: request?.context ?? null,
            constraints: request?.constraints ?? null,
            verification: request?.verification ?? null,
          });
        }
      }
    },
  };
  const outcome = await sandbox.run({
    runId: run.runId,
    program: { source, filename: `${run.agent.id}.js` },
    input: run.input,
    caps: { memoryMb, cpuMs, wallMs },
    bridge,
    signal: run.abort.signal,
  });
  if (outcome.status === 'limit' && outcome.limit) {
    run.note({
      type: 'sandbox.limit',
      payload: { limit: outcome.limit, cpuMs: outcome.cpuMs, wallMs: outcome.wallMs },
    });
  }
  return {
    runId: run.runId,
    agentId: run.agent.id,
    status: outcome.status,
    ...(outcome.result !== undefined ? { output: outcome.result } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}
