import { toErrorData, type ErrorData } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import { forLedger } from '../ledger/bounded.js';
import type { SandboxPool } from '../sandbox/pool.js';
import type { RunContext, RunEvent } from './context.js';
import { standardLoop, type LoopTools } from './loop.js';
import { runProgram } from './program.js';
import type { Steps } from './steps.js';

/** How a run ended. */
export interface RunResult {
  runId: string;
  agentId: string;
  status: 'ok' | 'error' | 'limit' | 'cancelled' | 'interrupted' | 'rejected';
  output?: JsonValue;
  error?: ErrorData;
}

/** What carrying a run to its end needs: its program (if it has one), or the standard loop's parts. */
export interface RunParts {
  sandbox: SandboxPool;
  mcp: LoopTools;
  steps: Steps;
  /** The agent's program source; without one the standard loop runs. */
  program: string | undefined;
}

/**
 * Runs a run to its end (its program, the standard loop, or `resume` for an adopted run) and
 * records how it ended. Never rejects: a failure or a stop is its result.
 */
export async function runToEnd(
  parts: RunParts,
  run: RunContext,
  resume?: () => Promise<JsonValue>,
): Promise<RunResult> {
  let result: RunResult;
  try {
    if (resume) {
      result = { runId: run.runId, agentId: run.agent.id, status: 'ok', output: await resume() };
    } else if (parts.program) {
      result = await runProgram(parts.sandbox, parts.steps, run, parts.program);
    } else {
      const output = await standardLoop(parts.steps, parts.mcp, run);
      result = { runId: run.runId, agentId: run.agent.id, status: 'ok', output };
    }
  } catch (error) {
    const cancelled = run.abort.signal.aborted;
    result = {
      runId: run.runId,
      agentId: run.agent.id,
      status: cancelled ? 'cancelled' : 'error',
      error: cancelled ? { code: 'E_CANCELLED', message: 'the run was stopped' } : toErrorData(error, 'E_INTERNAL'),
    };
  }
  if (run.detached) return result;
  // An observation the ledger refused (none should be) fails the run rather than vanishing.
  const refused = run.refused();
  if (refused)
    result = { runId: run.runId, agentId: run.agent.id, status: 'error', error: toErrorData(refused, 'E_INTERNAL') };
  // A child's end is an observation for its parent, whose next decision makes it durable;
  // a run's own end is awaited, carrying its noted observations into the same transaction.
  if (run.parentRunId) run.note(finishedEvent(result));
  else await run.record(finishedEvent(result));
  return result;
}

/** A run's `run.finished`: the caller got the output whole; the ledger keeps it whole only while it fits one event. */
export function finishedEvent(result: RunResult): RunEvent {
  const output = result.output !== undefined ? forLedger(result.output) : undefined;
  return {
    type: 'run.finished',
    payload: {
      status: result.status,
      ...(output ? { output: output.value, ...(output.truncated ? { truncated: true } : {}) } : {}),
      ...(result.error ? { error: result.error } : {}),
    },
  };
}
