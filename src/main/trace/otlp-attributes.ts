import type { JsonValue } from '../../shared/json.js';
import type { TraceSpan } from '../../shared/trace.js';
import { asRemoved, genAiContent, isRecord } from './otlp-messages.js';
import type { OtlpKeyValue, SpanPlace } from './otlp.js';

/**
 * What each span kind says in OTLP: its name and span kind as the GenAI semantic conventions
 * give them (`invoke_agent {agent}`, `chat {model}`, `execute_tool {tool}`), and its attributes:
 * `gen_ai.*` where the conventions have a name for the fact, `warden.*` for the rest (policy,
 * approval, cost, status).
 */

/** OTLP's span kinds that Warden uses: in-process work, and calls to a model or an MCP server. */
const KIND = { internal: 1, client: 3 } as const;

/** Builds a list of attributes, leaving out the values the ledger does not hold. */
export class Attributes {
  readonly list: OtlpKeyValue[] = [];

  /** A string attribute. */
  str(key: string, value: JsonValue | undefined): this {
    if (typeof value === 'string') this.list.push({ key, value: { stringValue: value } });
    return this;
  }

  /** An integer attribute (int64, written as a decimal string). */
  int(key: string, value: JsonValue | undefined): this {
    if (typeof value === 'number' && Number.isInteger(value))
      this.list.push({ key, value: { intValue: String(value) } });
    return this;
  }

  /** A floating-point attribute (money, milliseconds). */
  num(key: string, value: JsonValue | undefined): this {
    if (typeof value === 'number') this.list.push({ key, value: { doubleValue: value } });
    return this;
  }

  /** A boolean attribute. */
  bool(key: string, value: JsonValue | undefined): this {
    if (typeof value === 'boolean') this.list.push({ key, value: { boolValue: value } });
    return this;
  }

  /** A list of strings. */
  strs(key: string, value: JsonValue | undefined): this {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      this.list.push({ key, value: { arrayValue: { values: value.map((v) => ({ stringValue: v as string })) } } });
    return this;
  }

  /** Any JSON (arguments, results, a run's input) as its JSON text, which is how the conventions carry them. */
  json(key: string, value: JsonValue | undefined): this {
    return value === undefined ? this : this.str(key, JSON.stringify(value));
  }
}

/** The span's name: the conventions' for runs, model calls, tool calls and MCP calls; the trace's for the rest. */
export function spanName(span: TraceSpan): string {
  const c = span.content;
  switch (span.kind) {
    case 'run':
      return `invoke_agent ${span.name}`;
    case 'model':
      return `chat ${String(c.model)}`;
    case 'tool':
      return `execute_tool ${String(c.server)}.${String(c.tool)}`;
    default:
      return span.name;
  }
}

/** A model call and an MCP server's execution leave the process (client); the rest is Warden's own work. */
export function spanKind(span: TraceSpan): number {
  return span.kind === 'model' || span.kind === 'execution' ? KIND.client : KIND.internal;
}

/** Why a span ended in error, in one line: its error's message, or the decision that stopped it. */
export function statusMessage(span: TraceSpan): string {
  const failed = errorOf(span) ?? (span.kind === 'handoff' ? errorOf(span.children[0]) : undefined);
  if (failed) return failed.message;
  const policy = span.children.find((c) => c.kind === 'policy')?.content;
  const approval = (span.kind === 'approval' ? span : span.children.find((c) => c.kind === 'approval'))?.content;
  switch (span.status) {
    case 'denied':
      return `denied by ${String(policy?.rule ?? 'policy')}${policy?.reason ? `: ${String(policy.reason)}` : ''}`;
    case 'rejected':
    case 'expired':
      return `${span.status}${approval?.by ? ` by ${String(approval.by)}` : ''}${approval?.reason ? `: ${String(approval.reason)}` : ''}`;
    case 'limit':
      return `${String(span.content.limit ?? 'sandbox')} cap hit`;
    default:
      return span.status;
  }
}

/** The span's attributes: what every span says of itself, then what its kind holds. */
export function spanAttributes(span: TraceSpan, place: SpanPlace): Attributes {
  const a = new Attributes()
    .str('warden.span.kind', span.kind)
    .str('warden.span.id', span.id)
    .str('warden.status', span.status)
    .str('warden.run.id', place.runId);
  // OTLP needs an end; an open span gets the last time the ledger knows of it, and says so.
  if (span.end === null) a.bool('warden.span.open', true);
  const failed = errorOf(span);
  if (failed) a.str('error.type', failed.code);
  const c = span.content;
  switch (span.kind) {
    case 'run':
      return runAttributes(a, span, place);
    case 'model':
      return modelAttributes(a, c, place);
    case 'tool':
      return genAi(a, 'execute_tool', place)
        .str('gen_ai.tool.name', `${String(c.server)}.${String(c.tool)}`)
        .str('gen_ai.tool.type', 'extension')
        .str('gen_ai.tool.call.id', span.id)
        .json('gen_ai.tool.call.arguments', c.args)
        .json('gen_ai.tool.call.result', c.result)
        .bool('warden.content.removed', asRemoved(c.result) ? true : undefined)
        .str('warden.mcp.server', c.server)
        .bool('warden.tool.ok', c.ok)
        .num('warden.latency_ms', c.latencyMs)
        .num('warden.cost_usd', c.costUsd)
        .bool('warden.tool.simulated', c.simulated)
        .bool('warden.tool.truncated', c.truncated)
        .json('warden.tool.content', c.content);
    case 'execution':
      return a.str('mcp.method.name', 'tools/call').num('warden.latency_ms', c.latencyMs);
    default:
      // A tool call's governance and a handoff: every field as `warden.<kind>.<field>`.
      return partAttributes(a, span.kind, c);
  }
}

/**
 * A part's content (policy, approval, draft, handoff), each field as `warden.<kind>.<field>` in
 * snake case (`warden.approval.decided_at`; its own id as `warden.approval.id`): text as text,
 * whole numbers as integers but money as doubles, anything else as its JSON.
 */
function partAttributes(a: Attributes, kind: string, content: Record<string, JsonValue>): Attributes {
  for (const [key, value] of Object.entries(content)) {
    const name = `warden.${kind}.${key === `${kind}Id` ? 'id' : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    if (typeof value === 'string') a.str(name, value);
    else if (typeof value === 'boolean') a.bool(name, value);
    else if (typeof value === 'number' && Number.isInteger(value) && !key.endsWith('Usd')) a.int(name, value);
    else if (typeof value === 'number') a.num(name, value);
    else a.json(name, value);
  }
  return a;
}

/** The conventions' operation, with the run as the conversation and its agent. */
function genAi(a: Attributes, operation: string, place: SpanPlace): Attributes {
  return a
    .str('gen_ai.operation.name', operation)
    .str('gen_ai.conversation.id', place.runId)
    .str('gen_ai.agent.id', place.agentId);
}

function runAttributes(a: Attributes, span: TraceSpan, place: SpanPlace): Attributes {
  const c = span.content;
  const evalCase = isRecord(c.eval) ? c.eval : undefined;
  return genAi(a, 'invoke_agent', place)
    .str('gen_ai.agent.name', span.name)
    .json('warden.run.input', c.input)
    .json('warden.run.output', c.output)
    .str('warden.run.parent_id', c.parentRunId)
    .int('warden.run.hop', c.hop)
    .strs('warden.run.chain', c.chain)
    .str('warden.agent.tier', c.tier)
    .str('warden.agent.unit', c.unit)
    .int('warden.prompt.version', c.promptVersion)
    .bool('warden.eval', evalCase ? true : c.eval)
    .str('warden.eval.run_id', evalCase?.evalRunId)
    .str('warden.eval.case_id', evalCase?.caseId)
    .str('warden.run.limit', c.limit)
    .num('warden.run.cpu_ms', c.cpuMs)
    .num('warden.run.wall_ms', c.wallMs)
    .bool('warden.run.truncated', c.truncated);
}

function modelAttributes(a: Attributes, c: Record<string, JsonValue>, place: SpanPlace): Attributes {
  const content = genAiContent(c.request, c.reply);
  // `gen_ai.provider.name` is the conventions' current name; `gen_ai.system` the one older tools read.
  return genAi(a, 'chat', place)
    .str('gen_ai.provider.name', c.provider)
    .str('gen_ai.system', c.provider)
    .str('gen_ai.request.model', c.model)
    .str('gen_ai.response.model', c.error === undefined ? c.model : undefined)
    .int('gen_ai.usage.input_tokens', c.inputTokens)
    .int('gen_ai.usage.output_tokens', c.outputTokens)
    .strs('gen_ai.response.finish_reasons', content.finishReason ? [content.finishReason] : undefined)
    .str('gen_ai.system_instructions', content.systemInstructions)
    .str('gen_ai.input.messages', content.inputMessages)
    .str('gen_ai.tool.definitions', content.toolDefinitions)
    .str('gen_ai.output.messages', content.outputMessages)
    .bool('warden.content.removed', content.removed ? true : undefined)
    .num('warden.cost_usd', c.costUsd)
    .num('warden.latency_ms', c.latencyMs);
}

/** The span's own error ({ code, message }), as a failed run, model call or tool call records it. */
function errorOf(span: TraceSpan | undefined): { code: string; message: string } | undefined {
  const e = span?.content.error;
  return isRecord(e) && typeof e.code === 'string' && typeof e.message === 'string'
    ? { code: e.code, message: e.message }
    : undefined;
}
