import { WardenError } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import type { WardenConfig } from '../../shared/roster.js';
import { INLINE_RESULT_CHARS } from '../../shared/content-refs.js';
import { newId } from '../ledger/ids.js';
import type { McpManager } from '../mcp/manager.js';
import type { ToolResult } from '../mcp/connection.js';
import { rejectedWhy, type Approval, type ApprovalBook } from './approvals.js';
import { hasMedia } from '../../shared/content.js';
import { mediaValue, partsText, recordContent, type ContentKeeper } from './content.js';
import { findInjection } from './injection.js';
import { decide } from './policy.js';
import type { GovernedRun, Spend } from './run.js';
import { waitForDecision } from './waiting.js';

/** What a governed call needs besides the run: small parts, so a test can hand in its own. */
export interface ToolCallEnv {
  config: WardenConfig;
  /** The MCP servers: a server's connection, and whether a tool's definition is refused. */
  mcp: Pick<McpManager, 'connection' | 'refusal'>;
  approvals: ApprovalBook;
  /** Where the bytes of large images, audio and resources go (the data folder's blobs), and the secret check they pass first. */
  content: ContentKeeper;
  spend: Spend;
  pollMs: number;
  clock: () => Date;
  /** Told of every approval request as it is made (the CLI prints where to decide). */
  onApprovalRequested?: (approval: Approval) => void;
  /** Waits while the agent is paused; throws if the run is stopped meanwhile. */
  waitWhilePaused(run: GovernedRun): Promise<void>;
  /** An agent used up its budget: pause it and alert a person (the same for model calls). */
  onBudgetSpent(run: GovernedRun, why: string): Promise<void>;
}

/**
 * Called once an approval is requested, before the run waits for it: the standard loop
 * records there what it needs for another process to continue the run.
 */
export type OnApproval = (approvalId: string) => Promise<void>;

/**
 * Waits for the decision on an approval and, approved, executes exactly the call it covers.
 * A run continued by another process after a restart comes back in here.
 */
export async function approvedCall(env: ToolCallEnv, run: GovernedRun, approval: Approval): Promise<JsonValue> {
  const { callId, server, tool, args } = approval.request;
  const verdict = await waitForDecision(
    env.approvals,
    approval,
    run.abort.signal,
    env.pollMs,
    env.clock,
    () => run.detached === true,
  );
  if (verdict.decision !== 'approved') {
    const why =
      verdict.decision === 'expired' ? 'the approval request expired' : rejectedWhy(verdict.by, verdict.reason);
    await run.record({
      type: 'tool.result',
      payload: { callId, ok: false, error: { code: 'E_POLICY_REJECTED', message: why }, latencyMs: 0 },
    });
    throw new WardenError('E_POLICY_REJECTED', `${server}.${tool}: ${why}`);
  }
  // The approval covers these exact arguments, once; a paused agent still waits here.
  await env.waitWhilePaused(run);
  return execute(env, run, callId, server, tool, args as Record<string, JsonValue>);
}

/**
 * One tool call through the gateway: requested, decided (and the decision recorded before it
 * takes effect), perhaps approved by a person, executed on its MCP server, and its result
 * recorded and checked for injected instructions. Returns what the agent sees; throws a coded
 * error for a denial, a rejection or a failed call.
 */
export async function governedToolCall(
  env: ToolCallEnv,
  run: GovernedRun,
  name: string,
  args: Record<string, JsonValue>,
  onApproval?: OnApproval,
): Promise<JsonValue> {
  await env.waitWhilePaused(run);
  const callId = newId('call');
  const dot = name.indexOf('.');
  const server = dot > 0 ? name.slice(0, dot) : name;
  const tool = dot > 0 ? name.slice(dot + 1) : '';
  // Only a granted tool's server is started to read its definition: a denial needs none.
  const granted = tool !== '' && run.agent.tools.some((t) => t.name === name);
  const decision = decide({
    agent: run.agent,
    config: env.config,
    tool: name,
    args,
    spentToday: run.eval ? null : env.spend.today(run.agent.id),
    tainted: run.tainted,
    definitionRefused: granted ? await env.mcp.refusal(server, tool) : null,
  });
  // Write-ahead: the request and the decision are durable, in one transaction, before the
  // decision takes effect. What follows (results) is noted, and made durable by the next decision.
  await run.recordAll([
    { type: 'tool.requested', payload: { callId, server, tool, args } },
    {
      type: 'policy.decided',
      payload: { callId, decision: decision.decision, rule: decision.rule, reason: decision.reason },
    },
  ]);

  const manifestTool = run.agent.tools.find((t) => t.name === name);
  if (run.eval && manifestTool?.access === 'write' && decision.decision !== 'deny') {
    // An eval case records what the agent would have written and never writes it.
    const result = run.eval.toolResults[name] ?? { status: 'ok' };
    run.note({ type: 'tool.result', payload: { callId, ok: true, result, latencyMs: 0, simulated: true } });
    return result;
  }

  switch (decision.decision) {
    case 'deny': {
      const code = decision.code ?? 'E_POLICY_DENIED';
      run.note({
        type: 'tool.result',
        payload: { callId, ok: false, error: { code, message: decision.reason }, latencyMs: 0 },
      });
      // Over budget, a tool call ends as a model call does: the agent paused, a person alerted.
      if (decision.rule.startsWith('budget.')) await env.onBudgetSpent(run, decision.reason);
      throw new WardenError(code, `${name} denied (${decision.rule}): ${decision.reason}`);
    }
    case 'draft': {
      const draftId = newId('draft');
      await run.record({
        type: 'draft.recorded',
        payload: {
          draftId,
          callId,
          server,
          tool,
          args,
          rule: decision.rule,
          ...(decision.amountUsd !== undefined ? { amountUsd: decision.amountUsd } : {}),
        },
      });
      const result = { status: 'drafted', draftId, note: `recorded for a human to execute: ${decision.reason}` };
      run.note({ type: 'tool.result', payload: { callId, ok: true, result, latencyMs: 0 } });
      return result;
    }
    case 'ask': {
      const approval = await env.approvals.request(
        run.runId,
        run.agent.id,
        {
          callId,
          server,
          tool,
          args,
          rule: decision.rule,
          reason: decision.reason,
          ...(decision.amountUsd !== undefined ? { amountUsd: decision.amountUsd } : {}),
        },
        env.config.approvals.expireAfterMinutes,
      );
      await onApproval?.(approval.approvalId);
      env.onApprovalRequested?.(approval);
      return approvedCall(env, run, approval);
    }
    case 'allow':
      break;
  }
  return execute(env, run, callId, server, tool, args);
}

async function execute(
  env: ToolCallEnv,
  run: GovernedRun,
  callId: string,
  server: string,
  tool: string,
  args: Record<string, JsonValue>,
): Promise<JsonValue> {
  const started = performance.now();
  let result: ToolResult;
  try {
    result = await callLinked(env, run, server, tool, args);
  } catch (error) {
    const e = error instanceof WardenError ? error : new WardenError('E_MCP_TOOL', (error as Error).message);
    run.note({
      type: 'tool.result',
      payload: { callId, ok: false, error: e.toData(), latencyMs: Math.round(performance.now() - started) },
    });
    throw e;
  }
  const value = toolValue(result);
  // A priced tool (a paid data source) costs its price for every call it answers.
  const costUsd = run.agent.tools.find((t) => t.name === `${server}.${tool}`)?.costUsd ?? 0;
  if (costUsd && !run.eval) env.spend.add(run.agent.id, 0, costUsd);
  // More than text is recorded part by part, large bytes by their hash; text alone as before.
  const media = hasMedia(result.content);
  const recorded = media ? await recordContent(result.content, env.content) : null;
  const shown = recorded ? result.structuredContent : value;
  // The whole result is kept: inline while small, else once in the content store by its hash.
  const large = shown !== undefined && JSON.stringify(shown).length > INLINE_RESULT_CHARS;
  run.note({
    type: 'tool.result',
    payload: {
      callId,
      ok: !result.isError,
      ...(result.isError ? { error: { code: 'E_MCP_TOOL', message: textOf(result).slice(0, 2000) } } : {}),
      ...(shown === undefined ? {} : large ? { resultRef: run.content(shown) } : { result: shown }),
      ...(recorded ? { content: recorded.parts } : {}),
      latencyMs: Math.round(performance.now() - started),
      ...(recorded?.truncated ? { truncated: true } : {}),
      ...(costUsd ? { costUsd } : {}),
    },
  });
  if (env.config.guardrails.injection.enabled) {
    const found = findInjection(
      media
        ? [partsText(result.content), searchableText(result.structuredContent ?? null)].join('\n')
        : searchableText(value),
    );
    if (found) {
      run.tainted = true;
      run.note({
        type: 'guardrail.tripped',
        payload: { guardrail: 'injection', detail: `${server}.${tool} result ${found.why}: "${found.match}"`, callId },
      });
    }
  }
  if (result.isError) throw new WardenError('E_MCP_TOOL', `${server}.${tool} failed: ${textOf(result).slice(0, 500)}`);
  return value;
}

/**
 * Calls the tool with a signal of its own, tied to the run's for the length of the call: the
 * SDK leaves its listener on whatever signal it is given, and a run makes many calls.
 */
async function callLinked(
  env: ToolCallEnv,
  run: GovernedRun,
  server: string,
  tool: string,
  args: Record<string, JsonValue>,
): Promise<ToolResult> {
  const call = new AbortController();
  const stop = () => call.abort();
  run.abort.signal.addEventListener('abort', stop, { once: true });
  try {
    return await env.mcp.connection(server).callTool(tool, args, { signal: call.signal });
  } finally {
    run.abort.signal.removeEventListener('abort', stop);
  }
}

/**
 * What the agent gets from a tool: a result with more than text (an image, audio, a resource or
 * a link) as `{content, structuredContent?}`; else its structured content, else its text
 * (parsed when it is JSON).
 */
export function toolValue(result: ToolResult): JsonValue {
  if (hasMedia(result.content)) return mediaValue(result.content, result.structuredContent);
  if (result.structuredContent !== undefined) return result.structuredContent;
  const text = textOf(result);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/**
 * The text an injection hides in: every string in the value, decoded. Searching the JSON
 * instead would see a line break as the two characters `\n`, gluing "\nIGNORE" into one word.
 */
function searchableText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return '';
  return (Array.isArray(value) ? value : Object.values(value)).map(searchableText).filter(Boolean).join('\n');
}

function textOf(result: ToolResult): string {
  return result.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .filter(Boolean)
    .join('\n');
}
