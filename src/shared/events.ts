import { z } from 'zod';
import { JsonValueSchema } from './json.js';
import { ErrorDataSchema } from './errors.js';
import { ChatMessageSchema, ToolCallSchema } from './models.js';
import { contentRef, id, money, sha256 } from './event-fields.js';
import { HASH_PATTERN, STORED_TIME_PATTERN } from './patterns.js';
import { GOVERNANCE_PAYLOADS } from './events-governance.js';
import { RECORDED_PARTS, RecordedPartSchema } from './content.js';

/**
 * The ledger's event types: a closed union, versioned per type. An event is stored with its
 * type and the version of that type's payload schema; a new payload shape adds a version and
 * keeps the old one, so events written years ago still parse.
 */

export { ID_PATTERN } from './event-fields.js';
const RunStatus = z.enum(['ok', 'error', 'limit', 'cancelled', 'interrupted']);
/** v3 adds `rejected`: a person rejected the call a parked run waited on, and nobody was left to run it on. */
const RunStatusV3 = z.enum([...RunStatus.options, 'rejected']);
const Limit = z.enum(['memory', 'cpu', 'wall']);

const RunStartedV1 = z.strictObject({
  input: JsonValueSchema,
  parentRunId: id.optional(),
  hop: z.number().int().nonnegative(),
  /** The agents of the handoff chain that led here, oldest first. */
  chain: z.array(id).optional(),
  /** The roster folder it ran from, so a parked run can be continued by another process. */
  roster: z.string().optional(),
  /** The process that runs it: after a crash, only runs of dead processes are interrupted. */
  owner: z.strictObject({ host: z.string(), pid: z.number().int().positive() }).optional(),
  eval: z.boolean().optional(),
  promptVersion: z.number().int().positive().optional(),
});

const RunFinishedV1 = z.strictObject({
  status: RunStatus,
  output: JsonValueSchema.optional(),
  error: ErrorDataSchema.optional(),
  limit: Limit.optional(),
  cpuMs: z.number().nonnegative().optional(),
  wallMs: z.number().nonnegative().optional(),
});

const RunFinishedV2 = RunFinishedV1.extend({ truncated: z.boolean().optional() });

const ToolResultV1 = z.strictObject({
  callId: id,
  ok: z.boolean(),
  result: JsonValueSchema.optional(),
  error: ErrorDataSchema.optional(),
  latencyMs: z.number().nonnegative(),
  /** An eval run's write: recorded as intended, never executed. */
  simulated: z.boolean().optional(),
  /** The result was cut to keep the ledger lean; the agent got it whole. */
  truncated: z.boolean().optional(),
});

const ModelCalledV1 = z.strictObject({
  provider: z.string(),
  model: z.string(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: money,
  latencyMs: z.number().nonnegative(),
});

const ModelFailedV1 = z.strictObject({
  provider: z.string(),
  model: z.string(),
  error: ErrorDataSchema,
  latencyMs: z.number().nonnegative(),
});

/** A model request by reference: each message's content, and the list of tools offered (absent when none were). */
const ModelRequestRefs = z.strictObject({ messages: z.array(contentRef), tools: contentRef.optional() });

const ToolResultV3 = ToolResultV1.extend({
  costUsd: money.optional(),
  content: z.array(RecordedPartSchema).max(RECORDED_PARTS).optional(),
});

/** Payload schemas by event type and version. */
export const EVENT_PAYLOADS = {
  'run.started': {
    1: RunStartedV1,
    /**
     * v2: the agent's tier and business unit at the time (KPIs group by them without the
     * roster), and an eval run names its suite run and case instead of a bare flag.
     */
    2: RunStartedV1.omit({ eval: true }).extend({
      tier: z.string(),
      unit: z.string().optional(),
      eval: z.strictObject({ evalRunId: id, caseId: z.string() }).optional(),
    }),
  },
  'run.finished': {
    1: RunFinishedV1,
    /** v2: an output too large for one event is cut (the first 64 KiB of its JSON) and marked. */
    2: RunFinishedV2,
    /** v3: a run may end `rejected` (its process gone when a person rejected the call it waited on). */
    3: RunFinishedV2.extend({ status: RunStatusV3 }),
  },
  'run.parked': {
    /**
     * A standard-loop run waiting for an approval, with what it needs to go on: its
     * conversation, the tool calls of the model's last reply and which one waits. If its
     * process exits, the run stays parked, and whoever decides continues it.
     */
    1: z.strictObject({
      approvalId: id,
      messages: z.array(ChatMessageSchema),
      toolCalls: z.array(ToolCallSchema),
      index: z.number().int().nonnegative(),
      step: z.number().int().nonnegative(),
    }),
  },
  'run.adopted': {
    /** Another process took over a parked run. */
    1: z.strictObject({ owner: z.strictObject({ host: z.string(), pid: z.number().int().positive() }) }),
  },
  'run.log': {
    1: z.strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error']),
      message: z.string().max(16_384),
    }),
  },
  'model.called': {
    1: ModelCalledV1,
    /**
     * v2: what the model was asked and what it answered, by reference (content.ts): the request
     * message by message (a system prompt sent every turn is kept once) and the tools offered,
     * and the reply (text, tool calls, reasoning).
     */
    2: ModelCalledV1.extend({ request: ModelRequestRefs.optional(), reply: contentRef.optional() }),
  },
  'model.failed': {
    /** A model call that did not come back: the provider unreachable, timed out, or replying nonsense (after its retries). */
    1: ModelFailedV1,
    /** v2: the request that failed, by reference, as model.called v2 keeps it. */
    2: ModelFailedV1.extend({ request: ModelRequestRefs.optional() }),
  },
  'tool.requested': {
    1: z.strictObject({ callId: id, server: z.string(), tool: z.string(), args: JsonValueSchema }),
  },
  'policy.decided': {
    1: z.strictObject({
      callId: id,
      decision: z.enum(['allow', 'deny', 'ask', 'draft']),
      rule: z.string(),
      reason: z.string(),
    }),
  },
  'approval.requested': {
    1: z.strictObject({
      approvalId: id,
      callId: id,
      server: z.string(),
      tool: z.string(),
      args: JsonValueSchema,
      /** SHA-256 of the canonical JSON of args: a decision is bound to exactly these. */
      argsSha256: sha256,
      amountUsd: money.optional(),
      rule: z.string(),
      reason: z.string(),
      expiresAt: z.string(),
    }),
  },
  'approval.decided': {
    1: z.strictObject({
      approvalId: id,
      decision: z.enum(['approved', 'rejected', 'expired']),
      argsSha256: sha256,
      by: z.string().min(1),
      reason: z.string().optional(),
    }),
  },
  'draft.recorded': {
    1: z.strictObject({
      draftId: id,
      callId: id,
      server: z.string(),
      tool: z.string(),
      args: JsonValueSchema,
      amountUsd: money.optional(),
      rule: z.string(),
    }),
  },
  'mcp.failed': {
    1: z.strictObject({
      server: z.string(),
      phase: z.enum(['start', 'call', 'exit']),
      error: ErrorDataSchema,
    }),
  },
  'alert.raised': {
    1: z.strictObject({
      kind: z.enum(['circuit', 'budget', 'suspension', 'guardrail', 'server']),
      message: z.string(),
    }),
  },
  /**
   * An error that reached the serve mode's last resort (no request path answered for it): what
   * it was, where it surfaced, and whether serving went on.
   */
  'host.error': {
    1: z.strictObject({
      origin: z.enum(['uncaughtException', 'unhandledRejection']),
      error: ErrorDataSchema,
      action: z.enum(['continued', 'stopped']),
    }),
  },
  /**
   * Retention took the bodies of content last referred to before `before` out of the ledger's
   * content store; their hashes stay in the events, so the chain still verifies. Who, why, and
   * how much.
   */
  'content.pruned': {
    1: z.strictObject({
      before: z.string().regex(STORED_TIME_PATTERN),
      /** The last event whose content could go: everything it and those before it referred to alone. */
      throughSeq: z.number().int().nonnegative(),
      by: z.string().min(1),
      reason: z.string().min(1),
      pieces: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
    }),
  },
  'tool.result': {
    1: ToolResultV1,
    /** v2: what the call cost (a priced tool), counted in KPIs' cost per resolved task. */
    2: ToolResultV1.extend({ costUsd: money.optional() }),
    /**
     * v3: a result holding more than text (an image, audio, a resource or a link to one) is
     * recorded part by part, in order, in `content`; `result` then holds its structured content,
     * if any. Bytes over INLINE_BINARY_BYTES are recorded by SHA-256 and size.
     */
    3: ToolResultV3,
    /**
     * v4: a result too large to keep in the event (over INLINE_RESULT_CHARS of JSON) is kept
     * whole by reference in `resultRef` instead of cut; `result` then is absent.
     */
    4: ToolResultV3.extend({ resultRef: contentRef.optional() }),
  },
  handoff: {
    1: z.strictObject({
      toAgentId: id,
      childRunId: id,
      hop: z.number().int().positive(),
      intent: z.string(),
      context: JsonValueSchema,
      constraints: JsonValueSchema,
      verification: JsonValueSchema,
    }),
  },
  'circuit.tripped': {
    1: z.strictObject({ hop: z.number().int(), hopLimit: z.number().int(), chain: z.array(id) }),
  },
  'guardrail.tripped': {
    1: z.strictObject({ guardrail: z.string(), detail: z.string(), callId: id.optional() }),
  },
  'sandbox.limit': {
    1: z.strictObject({
      limit: Limit,
      cpuMs: z.number().nonnegative(),
      wallMs: z.number().nonnegative(),
    }),
  },
  // Agents' holds, eval suites, prompts, keys and secrets, tool definitions: events-governance.ts.
  ...GOVERNANCE_PAYLOADS,
} as const;

type Payloads = typeof EVENT_PAYLOADS;
/** The name of an event type. */
export type EventType = keyof Payloads;
/** Every event type, in declaration order. */
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];

/** The newest schema of a type's versions (types have up to four so far). */
type NewestSchema<V> = V extends { 4: infer S }
  ? S
  : V extends { 3: infer S }
    ? S
    : V extends { 2: infer S }
      ? S
      : V extends { 1: infer S }
        ? S
        : never;
/** The payload an append of type T takes (its newest version). */
export type EventPayload<T extends EventType> = z.infer<
  NewestSchema<Payloads[T]> extends z.ZodType ? NewestSchema<Payloads[T]> : never
>;

/** The newest payload version of an event type: the one new events are written with. */
export function latestVersion(type: EventType): number {
  return Math.max(...Object.keys(EVENT_PAYLOADS[type]).map(Number));
}

/** An event as handed to the ledger, before it has a place in the chain. */
export type NewEvent = {
  [T in EventType]: { type: T; runId?: string | null; agentId?: string | null; payload: EventPayload<T> };
}[EventType];

/** A stored event: the fields that are hashed, plus its link and its hash. */
export const LedgerEventSchema = z.strictObject({
  seq: z.number().int().positive(),
  ts: z.string().regex(STORED_TIME_PATTERN, 'expected an ISO-8601 UTC time'),
  runId: id.nullable(),
  agentId: id.nullable(),
  type: z.string(),
  v: z.number().int().positive(),
  // Checked as JSON here; typed `unknown`, because what it holds depends on `type` and `v`
  // (isEvent and AnyEvent give it that shape).
  payload: JsonValueSchema as z.ZodType<unknown>,
  prevHash: z.string().regex(HASH_PATTERN),
  hash: z.string().regex(HASH_PATTERN),
});
/**
 * A stored ledger event. Its payload is JSON of the shape its type and version say; read it
 * through {@link isEvent} or {@link AnyEvent}, which give it that shape, never by a cast.
 */
export type LedgerEvent = z.infer<typeof LedgerEventSchema>;

type KeysOfUnion<U> = U extends unknown ? keyof U : never;
/** Each member of a union, with the keys only other members have as `?: undefined`, so any key reads. */
type Widen<U, K extends PropertyKey = KeysOfUnion<U>> = U extends unknown
  ? U & { [P in Exclude<K, keyof U>]?: undefined }
  : never;

/**
 * The payload of an event of type T as stored: any of the type's versions (old events keep their
 * shape), so a field a later version added reads as possibly undefined.
 */
export type StoredPayload<T extends EventType> = Widen<
  {
    [V in keyof Payloads[T]]: Payloads[T][V] extends z.ZodType ? z.infer<Payloads[T][V]> : never;
  }[keyof Payloads[T]]
>;

/** A stored event whose type is T, its payload typed by the union (the ledger wrote it checked). */
export type EventOf<T extends EventType> = Omit<LedgerEvent, 'type' | 'payload'> & {
  type: T;
  payload: StoredPayload<T>;
};

/** Every stored event as a discriminated union on `type`. */
export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType];

/**
 * Checks an event's type, version and payload against the closed union. Returns the parsed
 * payload, or a one-line reason naming the field that is wrong.
 */
export function checkEventPayload(
  type: string,
  v: number,
  payload: unknown,
): { ok: true; payload: unknown } | { ok: false; message: string } {
  if (!Object.hasOwn(EVENT_PAYLOADS, type)) {
    return { ok: false, message: `unknown event type "${type}"` };
  }
  const versions = EVENT_PAYLOADS[type as EventType] as Record<number, z.ZodType>;
  const schema = versions[v];
  if (!schema) return { ok: false, message: `event type "${type}" has no version ${v}` };
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const issue = parsed.error.issues[0]!;
  const path = issue.path.length ? `payload.${issue.path.join('.')}` : 'payload';
  return { ok: false, message: `${type} v${v}: ${path}: ${issue.message}` };
}
