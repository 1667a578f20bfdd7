import { z } from 'zod';
import { JsonValueSchema } from './json.js';
import { ErrorDataSchema } from './errors.js';
import { id, money, sha256 } from './event-fields.js';

/**
 * The payload schemas of the ledger's governance events: agents held and resumed, eval suites
 * and their cases, manifests and prompts changed, keys and secrets stored, tool definitions
 * flagged and accepted, providers tested. Part of the one closed union in events.ts.
 */

const EvalRunV1 = z.strictObject({
  evalRunId: id,
  suite: z.string(),
  total: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  accuracy: z.number().min(0).max(1),
});

/** Governance events by type and version. */
export const GOVERNANCE_PAYLOADS = {
  'agent.paused': { 1: z.strictObject({ by: z.string(), reason: z.string().optional() }) },
  'agent.resumed': { 1: z.strictObject({ by: z.string(), reason: z.string().optional() }) },
  'agent.suspended': {
    1: z.strictObject({ reason: z.string(), evalRunId: id.optional() }),
  },
  'eval.run': {
    1: EvalRunV1,
    /** v2: the threshold it was held to, failures by kind, and the suite's latency and cost. */
    2: EvalRunV1.extend({
      /** Cases whose run ended in an error rather than a wrong answer (counted as failed). */
      errored: z.number().int().nonnegative(),
      minAccuracy: z.number().min(0).max(1),
      meanLatencyMs: z.number().nonnegative(),
      costUsd: money,
      by: z.string().min(1),
    }),
  },
  'eval.case': {
    /** One golden case of a suite run: what the agent produced, against what was expected. */
    1: z.strictObject({
      evalRunId: id,
      suite: z.string(),
      caseId: z.string().min(1),
      /** The case's run (its trajectory is in the ledger under this id). */
      runId: id,
      grader: z.enum(['exact', 'contains', 'regex', 'json-subset', 'trajectory']),
      passed: z.boolean(),
      output: JsonValueSchema,
      expected: JsonValueSchema,
      /** Why it failed, one line per difference; empty when it passed. */
      diff: z.array(z.string()),
      /** The run's error, when it did not finish. */
      error: ErrorDataSchema.optional(),
      latencyMs: z.number().nonnegative(),
      costUsd: money,
    }),
  },
  'manifest.changed': {
    1: z.strictObject({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  },
  'prompt.changed': {
    1: z.strictObject({
      version: z.number().int().positive(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      text: z.string(),
      by: z.string(),
      reason: z.string(),
    }),
  },
  /**
   * A person entered, replaced or removed a model provider's API key in the desktop app. The
   * event names the provider and the variable; the key itself is never in the ledger.
   */
  'provider.key.stored': {
    1: z.strictObject({
      provider: z.string(),
      variable: z.string(),
      protection: z.enum(['keychain', 'plain-text']),
      by: z.string(),
    }),
  },
  'provider.key.removed': { 1: z.strictObject({ provider: z.string(), variable: z.string(), by: z.string() }) },
  /** A person stored or removed, in the desktop app, a value mcp.json passes to servers as `${VAR}`; never the value. */
  'secret.stored': {
    1: z.strictObject({
      variable: z.string(),
      servers: z.array(z.string()),
      protection: z.enum(['keychain', 'plain-text']),
      by: z.string(),
    }),
  },
  'secret.removed': { 1: z.strictObject({ variable: z.string(), by: z.string() }) },
  /**
   * An MCP tool's definition (its description, or a parameter's) reads like instructions to
   * the agent, by the rules tool results are held to. The tool is refused until an owner
   * accepts exactly this definition (its hash).
   */
  'mcp.tool.flagged': {
    1: z.strictObject({
      server: z.string(),
      tool: z.string(),
      /** SHA-256 of the canonical JSON of the definition: name, description, input and output schemas. */
      sha256,
      /** Where in the definition: `description`, or a path such as `inputSchema.properties.to.description`. */
      field: z.string(),
      match: z.string(),
      why: z.string(),
    }),
  },
  /** An owner accepted a flagged tool definition, by its hash: a changed definition needs a new acceptance. */
  'mcp.tool.accepted': {
    1: z.strictObject({
      server: z.string(),
      tool: z.string(),
      sha256,
      by: z.string().min(1),
      reason: z.string().min(1),
    }),
  },
  /**
   * A Warden opened a roster whose organisation or business units differ from the last one the
   * ledger recorded (written only then, so a ledger does not grow by one per command). A report
   * or a console without a roster names the organisation from the latest one.
   */
  'roster.opened': {
    1: z.strictObject({
      organisation: z.string().min(1),
      units: z.array(z.strictObject({ id: z.string(), name: z.string() })),
    }),
  },
  /** A person checked that a provider answers (a short request, not an agent's work): the outcome and its cost. */
  'provider.tested': {
    1: z.strictObject({
      provider: z.string(),
      model: z.string(),
      ok: z.boolean(),
      latencyMs: z.number().nonnegative(),
      inputTokens: z.number().int().nonnegative(),
      outputTokens: z.number().int().nonnegative(),
      costUsd: z.number().nonnegative(),
      error: ErrorDataSchema.optional(),
      by: z.string(),
    }),
  },
} as const;
