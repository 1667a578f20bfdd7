import { z } from 'zod';
import { ErrorDataSchema } from './errors.js';
import { LedgerEventSchema } from './events.js';
import { JsonValueSchema } from './json.js';
import type { API_METHODS } from './api-methods.js';

/**
 * The console API: the one contract between the console and Warden, served over IPC by the
 * Electron main process and over a WebSocket by `warden serve`. Each method has a params
 * schema and a result schema; the receiving side parses before it acts.
 */

const id = z.string().min(1).max(200);

/** An agent as the roster view shows it. */
export const AgentViewSchema = z.strictObject({
  id,
  name: z.string(),
  role: z.string(),
  tier: z.string(),
  businessUnit: z.string().nullable(),
  model: z.string(),
  autonomy: z.string(),
  lifecycle: z.string(),
  status: z.enum(['idle', 'running', 'paused', 'suspended']),
  runsToday: z.number().int().nonnegative(),
  spentTodayUsd: z.number().nonnegative(),
  budgetUsdPerDay: z.number().nonnegative().nullable(),
});
/** An agent as the roster view shows it. */
export type AgentView = z.infer<typeof AgentViewSchema>;

/** A pending or decided approval, as the approvals view shows it. */
export const ApprovalViewSchema = z.strictObject({
  approvalId: id,
  runId: id,
  agentId: id,
  requestedAt: z.string(),
  tool: z.string(),
  args: JsonValueSchema,
  amountUsd: z.number().nullable(),
  rule: z.string(),
  reason: z.string(),
  expiresAt: z.string(),
  decision: z.strictObject({ decision: z.string(), by: z.string(), reason: z.string().nullable() }).nullable(),
});
/** An approval as the console shows it. */
export type ApprovalView = z.infer<typeof ApprovalViewSchema>;

const PageParams = z.strictObject({
  afterSeq: z.number().int().nonnegative().optional(),
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  order: z.enum(['asc', 'desc']).default('desc'),
  runId: id.optional(),
  agentId: id.optional(),
  type: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});

const ChainStatus = z.strictObject({
  ok: z.boolean(),
  checked: z.number().int(),
  head: z.strictObject({ seq: z.number().int(), hash: z.string() }).nullable(),
  firstBreak: z.strictObject({ seq: z.number().int(), reason: z.string(), message: z.string() }).nullable(),
});

/** A run as the live view lists it. */
export const RunViewSchema = z.strictObject({
  runId: id,
  agentId: id,
  seq: z.number().int(),
  startedAt: z.string(),
  parentRunId: id.nullable(),
  status: z.enum(['running', 'waiting', 'ok', 'error', 'limit', 'cancelled', 'interrupted']),
});
/** A run as the console lists it. */
export type RunView = z.infer<typeof RunViewSchema>;

/** Every method: its params and its result. */
export const API = {
  'roster.list': { params: z.strictObject({}), result: z.array(AgentViewSchema) },
  'ledger.page': {
    params: PageParams,
    result: z.strictObject({ events: z.array(LedgerEventSchema), nextKey: z.number().int().nullable() }),
  },
  'runs.page': {
    params: z.strictObject({
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).default(100),
      agentId: id.optional(),
    }),
    result: z.strictObject({ runs: z.array(RunViewSchema), nextKey: z.number().int().nullable() }),
  },
  'run.trajectory': { params: z.strictObject({ runId: id }), result: z.array(LedgerEventSchema) },
  'approvals.list': {
    params: z.strictObject({ state: z.enum(['pending', 'decided']).default('pending') }),
    result: z.array(ApprovalViewSchema),
  },
  'approvals.decide': {
    params: z.strictObject({
      approvalId: id,
      decision: z.enum(['approved', 'rejected']),
      reason: z.string().max(2000).optional(),
    }),
    result: ApprovalViewSchema,
  },
  'task.start': {
    params: z.strictObject({ agentId: id, input: JsonValueSchema }),
    result: z.strictObject({ runId: id }),
  },
  'run.stop': { params: z.strictObject({ runId: id }), result: z.strictObject({}) },
  'agent.pause': {
    params: z.strictObject({ agentId: id, reason: z.string().max(500).optional() }),
    result: z.strictObject({}),
  },
  'agent.resume': { params: z.strictObject({ agentId: id }), result: z.strictObject({}) },
  'agents.pauseAll': { params: z.strictObject({}), result: z.strictObject({}) },
  'ledger.verify': { params: z.strictObject({}), result: ChainStatus },
} as const;

/** A method's name. */
export type Method = keyof typeof API;

// The dependency-free list the preload uses must name exactly these methods.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodsAgree: Same<Method, (typeof API_METHODS)[number]> = true;
void methodsAgree;
/** A method's params, as the caller writes them. */
export type Params<M extends Method> = z.input<(typeof API)[M]['params']>;
/** A method's result. */
export type ApiResult<M extends Method> = z.infer<(typeof API)[M]['result']>;

/** A request on the wire. */
export const RequestSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.string(),
  params: z.unknown(),
});

/** A reply on the wire: the result, or an error as data. */
export const ReplySchema = z.union([
  z.strictObject({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ id: z.number().int(), ok: z.literal(false), error: ErrorDataSchema }),
]);

/** The one event stream: ledger events as they are appended, in batches. */
export const PushSchema = z.strictObject({ type: z.literal('events'), events: z.array(LedgerEventSchema) });
