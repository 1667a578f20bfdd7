import { WardenError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import type { ChatMessage, ToolCall, ToolDefinition } from '../../shared/models.js';
import { withoutBytes } from '../gateway/content.js';
import type { McpManager } from '../mcp/manager.js';
import type { RunContext } from './context.js';
import type { HandoffRequest, Steps } from './steps.js';

/** The pseudo-tool through which a model hands a task to another agent. */
export const HANDOFF_TOOL = 'warden.handoff';

const HANDOFF_DEFINITION: ToolDefinition = {
  name: HANDOFF_TOOL,
  description: 'Hand the task to another agent of the roster, with what it needs to know.',
  inputSchema: {
    type: 'object',
    properties: {
      to: { type: 'string', description: 'the agent id' },
      intent: { type: 'string' },
      context: {},
      constraints: {},
      verification: {},
    },
    required: ['to', 'intent'],
  },
};

/** What the model is told of a tool whose definition is refused, in place of the definition. */
const WITHHELD =
  '(description withheld by Warden: it reads like instructions to the agent, and no owner has accepted it)';

/** Where a parked loop stands: its conversation and the reply whose tool calls it was making. */
export interface LoopState {
  messages: ChatMessage[];
  toolCalls: ToolCall[];
  /** The call that waits for approval. */
  index: number;
  step: number;
}

/** What the loop needs of the MCP servers: their tools' definitions, and which are withheld. */
export type LoopTools = Pick<McpManager, 'connection' | 'refusalOf'>;

/**
 * The standard loop of an agent without a program: the model, then the tool calls it asks for
 * (each through the gateway), then their results back to the model, until it answers without
 * calling a tool or the run reaches its step limit.
 */
export async function standardLoop(steps: Steps, mcp: LoopTools, run: RunContext): Promise<JsonValue> {
  const messages: ChatMessage[] = [
    { role: 'system', content: run.prompt.text },
    { role: 'user', content: JSON.stringify(run.input) },
  ];
  return loop(steps, await toolDefinitions(mcp, run), run, messages, 0);
}

/**
 * Continues a parked loop in another process: the waiting call is settled by `settle` (the
 * approval's decision, then the call), the rest of that reply's calls run, and the loop goes on.
 */
export async function resumeLoop(
  steps: Steps,
  mcp: LoopTools,
  run: RunContext,
  state: LoopState,
  settle: () => Promise<JsonValue>,
): Promise<JsonValue> {
  const messages = [...state.messages];
  await callTools(steps, run, messages, state.toolCalls, state.index, state.step, settle);
  return loop(steps, await toolDefinitions(mcp, run), run, messages, state.step + 1);
}

async function loop(
  steps: Steps,
  tools: ToolDefinition[],
  run: RunContext,
  messages: ChatMessage[],
  first: number,
): Promise<JsonValue> {
  for (let step = first; step < run.agent.limits.maxSteps; step++) {
    const reply = await steps.model(run, messages, tools);
    messages.push({
      role: 'assistant',
      content: reply.text ?? '',
      ...(reply.toolCalls.length ? { toolCalls: reply.toolCalls } : {}),
    });
    if (reply.toolCalls.length === 0) return reply.text ?? '';
    await callTools(steps, run, messages, reply.toolCalls, 0, step);
  }
  throw new WardenError(
    'E_MAX_STEPS',
    `${run.agent.id} reached its limit of ${run.agent.limits.maxSteps} steps without a final answer`,
  );
}

/** Makes a reply's tool calls from `from` on, adding each result to the conversation. */
async function callTools(
  steps: Steps,
  run: RunContext,
  messages: ChatMessage[],
  toolCalls: ToolCall[],
  from: number,
  step: number,
  settleFirst?: () => Promise<JsonValue>,
): Promise<void> {
  for (let index = from; index < toolCalls.length; index++) {
    const call = toolCalls[index]!;
    // Should this call wait for a person, the run is parked with what it needs to go on.
    const park = (approvalId: string) =>
      run.record({ type: 'run.parked', payload: { approvalId, messages: [...messages], toolCalls, index, step } });
    let content: string;
    try {
      const value =
        index === from && settleFirst
          ? await settleFirst()
          : call.name === HANDOFF_TOOL
            ? await handoffFromArgs(steps, run, call.arguments)
            : await steps.tool(run, call.name, call.arguments, park);
      content = typeof value === 'string' ? value : JSON.stringify(withoutBytes(value));
    } catch (error) {
      // A denied or failed call is news for the model, not the end of the run; a stop is.
      if (run.abort.signal.aborted || (error instanceof WardenError && error.code === 'E_HOP_LIMIT')) throw error;
      content = JSON.stringify({
        error: error instanceof WardenError ? error.toData() : { code: 'E_TOOL', message: String(error) },
      });
    }
    messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content });
  }
}

function handoffFromArgs(steps: Steps, run: RunContext, args: Record<string, JsonValue>): Promise<JsonValue> {
  const request: HandoffRequest = {
    intent: typeof args.intent === 'string' ? args.intent : '',
    context: args.context ?? null,
    constraints: args.constraints ?? null,
    verification: args.verification ?? null,
  };
  return steps.handoff(run, String(args.to ?? ''), request);
}

/** The agent's tools as the model sees them: its manifest's tools, described by their servers. */
async function toolDefinitions(mcp: LoopTools, run: RunContext): Promise<ToolDefinition[]> {
  const byServer = new Map<string, string[]>();
  for (const grant of run.agent.tools) {
    const [server, tool] = [
      grant.name.slice(0, grant.name.indexOf('.')),
      grant.name.slice(grant.name.indexOf('.') + 1),
    ];
    byServer.set(server, [...(byServer.get(server) ?? []), tool]);
  }
  const definitions: ToolDefinition[] = [];
  for (const [server, tools] of byServer) {
    let listed: { name: string; description: string; inputSchema: JsonValue }[] = [];
    try {
      listed = await mcp.connection(server).listTools();
    } catch {
      // A server that will not start: its tools are still offered by name, and calling one
      // fails with the server's error, recorded like any other failure.
    }
    for (const tool of tools) {
      const found = listed.find((t) => t.name === tool);
      // A definition that reads like instructions never reaches the model until an owner
      // accepts it; the tool is still named, and calling it is refused with the reason.
      const refused = found ? mcp.refusalOf(server, found) : null;
      definitions.push({
        name: `${server}.${tool}`,
        description: refused ? WITHHELD : (found?.description ?? ''),
        inputSchema: refused ? { type: 'object' } : (found?.inputSchema ?? { type: 'object' }),
      });
    }
  }
  return [...definitions, HANDOFF_DEFINITION];
}
