import { z } from 'zod';
import { JsonValueSchema } from './json.js';

/**
 * A run as a trace: a tree of spans built from its ledger events (src/main/trace). The same
 * tree is printed by `warden runs show`, handed to other tools by `--json`, and drawn by the
 * console. Versioned, as every format that leaves the process is.
 */
export const TRACE_VERSION = 1;

/**
 * What a span is. A tool call's parts are its own spans: the policy's decision, the wait for
 * a person, a draft, and the execution on its MCP server. A handoff holds the child run.
 */
export const SpanKindSchema = z.enum(['run', 'model', 'tool', 'policy', 'approval', 'draft', 'execution', 'handoff']);
/** The kind of a span. */
export type SpanKind = z.infer<typeof SpanKindSchema>;

/**
 * How a span ended, or that it has not: `waiting` for a person, `running` otherwise. A run's
 * own end statuses (limit, cancelled, interrupted) and a tool call's governed ends (denied,
 * rejected, expired, drafted, simulated by an eval) keep their names.
 */
export const SpanStatusSchema = z.enum([
  'ok',
  'error',
  'limit',
  'cancelled',
  'interrupted',
  'rejected',
  'expired',
  'denied',
  'drafted',
  'simulated',
  'waiting',
  'running',
]);
/** The status of a span. */
export type SpanStatus = z.infer<typeof SpanStatusSchema>;

/**
 * An event of a span that is not a span of its own: an agent's log line, a guardrail that
 * tripped. `internal` marks the runtime's bookkeeping (a run parked, adopted by a process),
 * which a reader of the trace may hide.
 */
export const AnnotationSchema = z.strictObject({
  seq: z.number().int().positive(),
  ts: z.string(),
  type: z.string(),
  internal: z.boolean(),
  text: z.string(),
});
/** An annotation on a span. */
export type Annotation = z.infer<typeof AnnotationSchema>;

/**
 * Where a piece of content was: its body was removed by retention (`warden ledger prune`), its
 * hash kept. Stands wherever the body would (a message, a tool list, a reply, a result).
 */
export const RemovedContentSchema = z.strictObject({
  removed: z.strictObject({
    sha256: z.string(),
    /** ISO-8601 UTC time of the prune. */
    at: z.string(),
    by: z.string(),
    reason: z.string(),
  }),
});
/** Content removed by retention. */
export type RemovedContent = z.infer<typeof RemovedContentSchema>;

/** One span: what it is, when it started and ended, how it ended, what the ledger holds of it, and its parts. */
export const TraceSpanSchema = z.strictObject({
  /** The run's, call's, approval's or draft's id; a model call's is its event's seq. */
  id: z.string(),
  kind: SpanKindSchema,
  name: z.string(),
  /** ISO-8601 UTC, to the millisecond. */
  start: z.string(),
  /** Null while the span has not ended. */
  end: z.string().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  status: SpanStatusSchema,
  /**
   * What the ledger holds of it, by kind:
   * - model: provider, model, inputTokens, outputTokens, costUsd, latencyMs; `request`
   *   ({ messages: ChatMessage[], tools: ToolDefinition[] }) and `reply` ({ text, toolCalls,
   *   reasoning? }) where the ledger kept them (calls recorded before content was kept have
   *   neither); any message, the tool list or the reply may be a RemovedContent instead.
   * - tool: server, tool, args; after its result: ok, latencyMs, `result` (whole, or a
   *   RemovedContent), error, costUsd, content (media parts), simulated, and resultSeq (the
   *   `tool.result` event's seq, by which `tool.content` gives a media part's bytes).
   * - approval: approvalId, rule, reason, expiresAt, argsSha256, amountUsd; once decided:
   *   decision, by, reason (the decider's, if given, in place of the request's, and then also as
   *   decisionReason), decidedAt. policy: decision, rule, reason. run: input and its end.
   */
  content: z.record(z.string(), JsonValueSchema),
  annotations: z.array(AnnotationSchema),
  get children() {
    return z.array(TraceSpanSchema);
  },
});
/** A span and its children. */
export type TraceSpan = z.infer<typeof TraceSpanSchema>;

/** A run's trace as `warden runs show --json` writes it. */
export const TraceSchema = z.strictObject({
  version: z.literal(TRACE_VERSION),
  runId: z.string(),
  root: TraceSpanSchema,
});
/** A run's trace. */
export type Trace = z.infer<typeof TraceSchema>;
