import { z } from 'zod';
import { InclusionProofSchema, SignedCheckpointSchema } from './audit.js';
import { ErrorDataSchema } from './errors.js';
import { LedgerEventSchema } from './events.js';
import { JsonValueSchema } from './json.js';
import { LimitSchema } from './sandbox.js';
import { PROMPT_MAX_CHARS, type API_METHODS } from './api-methods.js';
import {
  API_KEY_MAX_CHARS,
  KeyStoreViewSchema,
  ModelTextPieceSchema,
  ProviderTestViewSchema,
  ProviderViewSchema,
  SecretViewSchema,
} from './providers.js';
import { ToolAcceptParamsSchema, ToolFlagViewSchema } from './tool-flags.js';
import { AgentEvalViewSchema, CaseViewSchema, KpiReportSchema, RollingViewSchema } from './insights.js';
import { ToolContentParamsSchema, ToolContentViewSchema } from './content.js';
import { TraceSchema } from './trace.js';

export { ToolFlagViewSchema, type ToolFlagView } from './tool-flags.js';
export {
  AgentEvalViewSchema,
  CaseViewSchema,
  KpiReportSchema,
  RollingViewSchema,
  SuiteRunViewSchema,
  type AgentEvalView,
  type CaseView,
  type KpiReportView,
  type SuiteRunView,
} from './insights.js';
export {
  API_KEY_MAX_CHARS,
  ModelTextPieceSchema,
  ProviderTestViewSchema,
  ProviderViewSchema,
  SecretViewSchema,
  type ModelTextPiece,
  type ProviderTestView,
  type ProviderView,
  type SecretView,
} from './providers.js';

/**
 * The console API: the one contract between the console and Warden, served over IPC by the
 * Electron main process and over a WebSocket by `warden serve`. Each method has a params
 * schema and a result schema; the receiving side parses before it acts.
 */

const id = z.string().min(1).max(200);

/** A run's state: its end, `waiting` while an approval it asked for is open, else `running`. */
export const RunStateSchema = z.enum([
  'running',
  'waiting',
  'ok',
  'error',
  'limit',
  'cancelled',
  'interrupted',
  'rejected',
]);

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
  /** Held (paused, suspended), else whether a run of it is under way or all of them wait for a person. */
  status: z.enum(['idle', 'running', 'waiting', 'paused', 'suspended']),
  /** Its latest run of work (eval runs aside): how it ended, the cap it hit, or that it is under way. */
  lastRun: z
    .strictObject({
      runId: id,
      state: RunStateSchema,
      cap: LimitSchema.nullable(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
  /** Runs of its work (eval runs aside) started today (UTC). */
  runsToday: z.number().int().nonnegative(),
  /** What its work spent today (UTC): what its daily budget counts, and KPIs show for the day. */
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
  /** Only eval events (true) or only work (false); both when left out. */
  eval: z.boolean().optional(),
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
  status: RunStateSchema,
  /** A run of an eval case (its writes were simulated). */
  eval: z.boolean(),
  /** Its input, cut short (a string as it is, anything else as JSON). */
  task: z.string().nullable(),
  /** Start to end, once it has ended. */
  durationMs: z.number().nullable(),
  /** Model and tool cost, and model tokens, of this run (not of the runs it handed off to). */
  costUsd: z.number(),
  tokens: z.number().int(),
  /** Tool calls that gave no result, in it and (for a run no other run handed off to) its handoffs; how many a person rejected. */
  failedCalls: z.number().int(),
  rejectedCalls: z.number().int(),
  /** What it came to, as `warden run` says, once it has ended. */
  verdict: z.enum(['succeeded', 'rejected', 'failed']).nullable(),
});
/** A run as the console lists it. */
export type RunView = z.infer<typeof RunViewSchema>;

/** One version of an agent's system prompt, as the ledger holds it (a `prompt.changed` event). */
export const PromptVersionViewSchema = z.strictObject({
  agentId: id,
  seq: z.number().int().positive(),
  ts: z.string(),
  version: z.number().int().positive(),
  sha256: z.string(),
  text: z.string(),
  by: z.string(),
  reason: z.string(),
});
/** One version of an agent's prompt, as the prompts view lists it. */
export type PromptVersionView = z.infer<typeof PromptVersionViewSchema>;

/** A prompt change's reason: required, and not just spaces (it is the record of why). */
const changeReason = z
  .string()
  .max(2000)
  .refine((r) => r.trim().length > 0, 'a prompt change needs a reason, for the record');

const isoTime = z.iso.datetime({ offset: false, error: 'expected an ISO-8601 UTC time' });

/** Every method: its params and its result. */
export const API = {
  'roster.list': { params: z.strictObject({}), result: z.array(AgentViewSchema) },
  /** Whose agents these are: the roster's organisation (the console's heading). */
  'roster.organisation': { params: z.strictObject({}), result: z.strictObject({ name: z.string() }) },
  'ledger.page': {
    params: PageParams,
    result: z.strictObject({ events: z.array(LedgerEventSchema), nextKey: z.number().int().nullable() }),
  },
  /** What the ledger view's pickers offer: the agents that have events, the event types that occur. */
  'ledger.facets': {
    params: z.strictObject({}),
    result: z.strictObject({ agents: z.array(z.string()), types: z.array(z.string()) }),
  },
  /** The first event at or after a time (null when none is that late): where "jump to a date" lands. */
  'ledger.seqAt': {
    params: z.strictObject({ ts: isoTime }),
    result: z.strictObject({ seq: z.number().int().positive().nullable() }),
  },
  'runs.page': {
    params: z.strictObject({
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).default(100),
      agentId: id.optional(),
      /** Only eval runs (true) or only work (false); both when left out. */
      eval: z.boolean().optional(),
      /** Only runs in this state. */
      status: RunStateSchema.optional(),
    }),
    result: z.strictObject({ runs: z.array(RunViewSchema), nextKey: z.number().int().nullable() }),
  },
  'run.trajectory': { params: z.strictObject({ runId: id }), result: z.array(LedgerEventSchema) },
  /**
   * A run as a trace (src/shared/trace.ts): its spans nested, handoffs holding their child runs,
   * each with its content. The runtime's bookkeeping annotations only with `internal`.
   */
  'run.trace': {
    params: z.strictObject({ runId: id, internal: z.boolean().default(false) }),
    result: TraceSchema,
  },
  /** The bytes of an image, audio or resource part of a recorded tool result, checked against the ledger's hash. */
  'tool.content': { params: ToolContentParamsSchema, result: ToolContentViewSchema },
  'approvals.list': {
    params: z.strictObject({ state: z.enum(['pending', 'decided']).default('pending') }),
    result: z.array(ApprovalViewSchema),
  },
  /** How the console asks for decisions: above `confirmAboveUsd` (warden.yaml) an approval takes a second keypress. */
  'approvals.settings': {
    params: z.strictObject({}),
    result: z.strictObject({ confirmAboveUsd: z.number().nonnegative() }),
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
  'ledger.checkpoint': {
    /**
     * The latest signed checkpoint (the first is signed on first use). With `sign`, a new one
     * is signed when events came after it.
     */
    params: z.strictObject({ sign: z.boolean().default(false) }),
    result: SignedCheckpointSchema,
  },
  'ledger.proof': {
    /** The proof that one event is in the ledger, to a signed checkpoint that covers it. */
    params: z.strictObject({ seq: z.number().int().positive() }),
    result: InclusionProofSchema,
  },
  'evals.overview': {
    params: z.strictObject({}),
    result: z.strictObject({
      agents: z.array(AgentEvalViewSchema),
      tiers: z.array(RollingViewSchema),
      /** The rolling window: its days, and the cases an agent needs in it to count. */
      window: z.strictObject({ days: z.number().int().positive(), minCases: z.number().int().positive() }),
    }),
  },
  'evals.cases': {
    params: z.strictObject({ agentId: id, evalRunId: id, failedOnly: z.boolean().default(true) }),
    result: z.array(CaseViewSchema),
  },
  'evals.run': {
    params: z.strictObject({ agentId: id.optional() }),
    result: z.strictObject({ started: z.array(id) }),
  },
  'kpis.report': {
    params: z.strictObject({ from: isoTime, to: isoTime, by: z.enum(['agent', 'tier', 'unit']).default('agent') }),
    result: KpiReportSchema.extend({
      /** Business units' names from warden.yaml, by id. */
      unitNames: z.record(z.string(), z.string()),
    }),
  },
  'prompts.history': {
    /** Every version of the agent's prompt, oldest first; the last is the one runs use. */
    params: z.strictObject({ agentId: id }),
    result: z.array(PromptVersionViewSchema),
  },
  'prompts.set': {
    params: z.strictObject({
      agentId: id,
      text: z
        .string()
        .max(PROMPT_MAX_CHARS, `a prompt holds at most ${PROMPT_MAX_CHARS} characters`)
        .refine((t) => t.trim().length > 0, 'a prompt cannot be empty'),
      reason: changeReason,
    }),
    result: PromptVersionViewSchema,
  },
  'prompts.rollback': {
    /** Makes version `to` current again, as a new version (history is never rewritten). */
    params: z.strictObject({ agentId: id, to: z.number().int().positive(), reason: changeReason }),
    result: PromptVersionViewSchema,
  },
  'providers.list': {
    params: z.strictObject({}),
    result: z.strictObject({
      store: KeyStoreViewSchema,
      providers: z.array(ProviderViewSchema),
      secrets: z.array(SecretViewSchema),
    }),
  },
  'providers.setKey': {
    /** Stores a provider's key in the desktop app; without a keychain only with `allowPlainText`. */
    params: z.strictObject({
      provider: z.string(),
      key: z
        .string()
        .max(API_KEY_MAX_CHARS, `an API key holds at most ${API_KEY_MAX_CHARS} characters`)
        .refine((k) => k.trim().length > 0, 'the key is empty'),
      allowPlainText: z.boolean().default(false),
    }),
    result: ProviderViewSchema,
  },
  'providers.removeKey': { params: z.strictObject({ provider: z.string() }), result: ProviderViewSchema },
  'secrets.set': {
    /** Stores a value mcp.json's servers take as `${VAR}` (desktop app only), used when a server next starts. */
    params: z.strictObject({
      variable: z.string(),
      key: z
        .string()
        .max(API_KEY_MAX_CHARS, `a secret holds at most ${API_KEY_MAX_CHARS} characters`)
        .refine((k) => k.trim().length > 0, 'the secret is empty'),
      allowPlainText: z.boolean().default(false),
    }),
    result: SecretViewSchema,
  },
  'secrets.remove': { params: z.strictObject({ variable: z.string() }), result: SecretViewSchema },
  'providers.test': {
    /** One short request to the provider with its agents' model; recorded as `provider.tested`. */
    params: z.strictObject({ provider: z.string() }),
    result: ProviderTestViewSchema,
  },
  'tools.flagged': {
    /** Each MCP tool whose latest definition was flagged (oldest first), with its acceptance. */
    params: z.strictObject({}),
    result: z.array(ToolFlagViewSchema),
  },
  'tools.accept': {
    /** Records an owner's acceptance of a flagged definition (`mcp.tool.accepted`): the gateway then allows the tool. */
    params: ToolAcceptParamsSchema,
    result: ToolFlagViewSchema,
  },
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
/** A reply on the wire. */
export type Reply = z.infer<typeof ReplySchema>;

/**
 * What the host pushes to the console unasked, on one tick, over either carrier: a batch of
 * ledger events as they are appended, or the text models are writing (per run, the current
 * call's text so far). The renderer reads it without zod through `push.ts`, which must agree.
 */
export const PushSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('events'), events: z.array(LedgerEventSchema) }),
  z.strictObject({ type: z.literal('text'), pieces: z.array(ModelTextPieceSchema) }),
]);
/** One push to the console. */
export type Push = z.infer<typeof PushSchema>;
