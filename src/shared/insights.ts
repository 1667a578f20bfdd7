import { z } from 'zod';
import { ErrorDataSchema } from './errors.js';
import { JsonValueSchema } from './json.js';

/**
 * What the console shows of evals and KPIs: suite runs, rolling accuracy, graded cases and KPI
 * reports. Part of the console API (api.ts).
 */

const id = z.string().min(1).max(200);
const ratio = z.number().min(0).max(1);

/** One suite run of an agent: its totals. */
export const SuiteRunViewSchema = z.strictObject({
  evalRunId: id,
  ts: z.string(),
  suite: z.string(),
  accuracy: ratio,
  passed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  minAccuracy: ratio.nullable(),
});
/** One suite run, as the evals view charts it. */
export type SuiteRunView = z.infer<typeof SuiteRunViewSchema>;

/** Accuracy over the rolling window; null until there are enough cases to count. */
export const RollingViewSchema = z.strictObject({
  key: z.string(),
  cases: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  accuracy: ratio.nullable(),
  meanLatencyMs: z.number().nonnegative().nullable(),
  eligible: z.boolean(),
});

/** An agent's eval standing: its suite, its last result, its trend, and whether it is held. */
export const AgentEvalViewSchema = z.strictObject({
  agentId: id,
  name: z.string(),
  tier: z.string(),
  suite: z.string(),
  /** Cases in its golden dataset (0: it has none). */
  cases: z.number().int().nonnegative(),
  minAccuracy: ratio,
  hold: z.enum(['paused', 'suspended']).nullable(),
  /** The latest suspension, while it holds. */
  suspension: z.strictObject({ reason: z.string(), evalRunId: id.nullable(), ts: z.string() }).nullable(),
  last: SuiteRunViewSchema.nullable(),
  /** Suite runs, oldest first: accuracy over time. */
  trend: z.array(SuiteRunViewSchema),
  rolling: RollingViewSchema,
  /** A suite run of this agent is under way in this process. */
  running: z.boolean(),
});
/** An agent's eval standing. */
export type AgentEvalView = z.infer<typeof AgentEvalViewSchema>;

/** One graded case. */
export const CaseViewSchema = z.strictObject({
  seq: z.number().int(),
  caseId: z.string(),
  runId: id,
  grader: z.string(),
  passed: z.boolean(),
  output: JsonValueSchema,
  expected: JsonValueSchema,
  diff: z.array(z.string()),
  error: ErrorDataSchema.nullable(),
  latencyMs: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
});
/** One graded case, as the evals view lists it. */
export type CaseView = z.infer<typeof CaseViewSchema>;

const nullableNumber = z.number().nullable();
const KpisSchema = z.strictObject({
  tasks: z.number().int().nonnegative(),
  resolved: z.number().int().nonnegative(),
  intervened: z.number().int().nonnegative(),
  interventionRate: nullableNumber,
  meanTimeToResolutionMs: nullableNumber,
  costPerResolvedUsd: nullableNumber,
  resolvedCostUsd: z.number(),
});
const SpendLineSchema = z.strictObject({
  key: z.string(),
  /** The work's spend (eval runs aside): what the budget counts, and the roster shows for a day. */
  costUsd: z.number(),
  tokens: z.number(),
  /** What eval runs spent, apart: it does not count against the budget. */
  evalCostUsd: z.number(),
  budgetUsd: nullableNumber,
});

/** A KPI report over a period, grouped by agent, tier or business unit. */
export const KpiReportSchema = z.strictObject({
  period: z.strictObject({ from: z.string(), to: z.string(), days: z.number().int().positive() }),
  by: z.enum(['agent', 'tier', 'unit']),
  total: KpisSchema,
  groups: z.array(KpisSchema.extend({ key: z.string() })),
  series: z.array(KpisSchema.extend({ key: z.string(), day: z.string() })),
  spend: z.strictObject({ agents: z.array(SpendLineSchema), units: z.array(SpendLineSchema) }),
});
/** A KPI report. */
export type KpiReportView = z.infer<typeof KpiReportSchema>;
