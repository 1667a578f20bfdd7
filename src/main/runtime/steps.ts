import { WardenError, toErrorData } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import type { WardenConfig } from '../../shared/roster.js';
import type { ChatMessage, ChatResponse, ToolDefinition } from '../../shared/models.js';
import type { ModelReplyBody } from '../../shared/content-refs.js';
import type { OnApproval } from '../gateway/tool-call.js';
import type { ModelProvider } from '../models/provider.js';
import { priceOf } from '../models/prices.js';
import { parseModelRef } from '../models/provider.js';
import { newId } from '../ledger/ids.js';
import type { RunContext } from './context.js';
import type { SpendTracker } from './spend.js';
import { budgetSpent } from '../gateway/budget.js';

/** The handoff a run asks for: who takes over, and what they need to know. */
export interface HandoffRequest {
  intent: string;
  context: JsonValue;
  constraints: JsonValue;
  verification: JsonValue;
}

/** What the steps of a run (its loop or its program) can do, each one governed and recorded. */
export interface Steps {
  model(run: RunContext, messages: ChatMessage[], tools: ToolDefinition[]): Promise<ChatResponse>;
  /** A governed tool call; `onApproval` is told when it must wait for a person. */
  tool(run: RunContext, name: string, args: Record<string, JsonValue>, onApproval?: OnApproval): Promise<JsonValue>;
  handoff(run: RunContext, to: string, request: HandoffRequest): Promise<JsonValue>;
}

/** What a model call needs: the providers, the spend so far, and what to do when a budget runs out. */
export interface ModelCallEnv {
  model(provider: string): ModelProvider;
  defaultModel: string;
  /** USD per million tokens by `provider:model`; a model without a price costs nothing. */
  prices: WardenConfig['prices'];
  spend: SpendTracker;
  onBudgetSpent(run: RunContext, why: string): Promise<void>;
  /** Told the text a model streams for a work run, as it arrives (the console's live view). */
  onText?(run: RunContext, callId: string, delta: string): void;
}

/**
 * One model call: the budget is checked before it (over budget, the call is refused and the
 * agent paused), and its tokens, cost and latency are recorded after.
 */
export async function callModel(
  env: ModelCallEnv,
  run: RunContext,
  messages: ChatMessage[],
  tools: ToolDefinition[],
): Promise<ChatResponse> {
  // Eval runs neither stop at nor count against the daily budget of the agent's work.
  const spent = run.eval ? null : budgetSpent(run.agent, env.spend.today(run.agent.id));
  if (spent) {
    await env.onBudgetSpent(run, spent.reason);
    throw new WardenError('E_POLICY_DENIED', `${spent.reason}; the agent is paused`);
  }
  const ref = parseModelRef(run.agent.model ?? env.defaultModel);
  const provider = env.model(ref.provider);
  const started = performance.now();
  const callId = newId('call');
  // What the model is asked, message by message: a prompt sent every turn is kept once.
  const request = {
    messages: messages.map((m) => run.content(m)),
    ...(tools.length > 0 ? { tools: run.content(tools) } : {}),
  };
  let response: ChatResponse;
  try {
    response = await provider.chat({
      agentId: run.agent.id,
      model: ref.model,
      messages,
      tools,
      task: run.input,
      signal: run.abort.signal,
      ...(env.onText && !run.eval ? { onText: (delta: string) => env.onText!(run, callId, delta) } : {}),
    });
  } catch (error) {
    // A stopped run is not a failing provider.
    if (!run.abort.signal.aborted)
      run.note({
        type: 'model.failed',
        payload: {
          provider: ref.provider,
          model: ref.model,
          error: toErrorData(error, 'E_MODEL'),
          latencyMs: Math.round(performance.now() - started),
          request,
        },
      });
    throw error;
  }
  const latencyMs = Math.round((performance.now() - started) * 100) / 100;
  const price = priceOf(env.prices, `${ref.provider}:${ref.model}`);
  const costUsd = price
    ? (response.usage.inputTokens * price.inputPerMTokUsd + response.usage.outputTokens * price.outputPerMTokUsd) / 1e6
    : 0;
  if (!run.eval) env.spend.add(run.agent.id, response.usage.inputTokens + response.usage.outputTokens, costUsd);
  run.note({
    type: 'model.called',
    payload: {
      provider: ref.provider,
      model: ref.model,
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costUsd,
      latencyMs,
      request,
      reply: run.content(replyBody(response)),
    },
  });
  return response;
}

/** What a model answered, as the ledger keeps it: its text, tool calls and reasoning. */
function replyBody(response: ChatResponse): ModelReplyBody {
  return {
    text: response.text,
    toolCalls: response.toolCalls,
    ...(response.reasoning ? { reasoning: response.reasoning } : {}),
  };
}
