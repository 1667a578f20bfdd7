import { z } from 'zod';
import { JsonValueSchema } from './json.js';

/**
 * The roster's file formats: warden.yaml, mcp.json and agents/<id>.yaml. Every field but an
 * agent's id and role has a default, so a two-line manifest is a working agent.
 */

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lower-case letters, digits and dashes');
const Usd = z.number().finite().nonnegative();

/** Delegation of authority by amount: under `autoBelowUsd` a write runs on its own; up to `approveUpToUsd` a human approves; above it a human executes. */
export const ThresholdsSchema = z.strictObject({
  autoBelowUsd: Usd.default(1_000),
  approveUpToUsd: Usd.default(10_000),
});

/** Per-run caps of an agent. */
export const LimitsSchema = z.strictObject({
  memoryMb: z.number().int().min(8).max(16_384).default(64),
  cpuMs: z.number().int().positive().default(1_000),
  wallMs: z.number().int().positive().default(60_000),
  maxSteps: z.number().int().positive().default(20),
  hopLimit: z.number().int().positive().default(5),
});

/**
 * A guardrail on a tool's arguments: the value at `arg` must be one of `allow`, or must not
 * match `denyPattern`. `action` says what a breach does: deny the call, or ask a human.
 */
export const ArgumentGuardrailSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes'),
  tool: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_.*-]+$/, 'expected server.tool (the tool may be *)'),
  arg: z.string().min(1),
  allow: z.array(z.string()).optional(),
  denyPattern: z.string().optional(),
  action: z.enum(['deny', 'ask']).default('deny'),
});

/** Guardrails of the whole roster. */
export const GuardrailsSchema = z.strictObject({
  arguments: z.array(ArgumentGuardrailSchema).default([]),
  /**
   * Flags a tool result that tries to give the agent new instructions (a prompt injection);
   * every write that follows in that run then needs a human's approval.
   */
  injection: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
});

/** Levels of autonomy, from a human deciding every write to none. */
export const AutonomySchema = z.enum(['human-led', 'hitl', 'autonomous']);

/** warden.yaml: the organisation, its business units, its thresholds and the agents' defaults. */
export const WardenConfigSchema = z.strictObject({
  organisation: z.strictObject({ name: z.string().min(1) }).default({ name: 'My company' }),
  businessUnits: z.array(z.strictObject({ id: Id, name: z.string().min(1) })).default([]),
  thresholds: ThresholdsSchema.default({ autoBelowUsd: 1_000, approveUpToUsd: 10_000 }),
  guardrails: GuardrailsSchema.default({ arguments: [], injection: { enabled: true } }),
  approvals: z
    .strictObject({
      expireAfterMinutes: z
        .number()
        .positive()
        .default(24 * 60),
      /** The console asks for a second keypress before approving more than this, USD. */
      confirmAboveUsd: z.number().nonnegative().default(1_000),
    })
    .default({ expireAfterMinutes: 24 * 60, confirmAboveUsd: 1_000 }),
  /**
   * Model providers by the name model refs use (`anthropic:claude-…`, `local:llama3`): what
   * kind of API each speaks, where, and the environment variable holding its key. The key
   * itself never appears in a roster, the ledger, logs or exports.
   */
  providers: z
    .record(
      z.string().regex(/^[a-z0-9-]+$/, 'expected a provider name of lower-case letters, digits and dashes'),
      z.strictObject({
        /** Default: anthropic for "anthropic", openai for "openai", else an OpenAI-compatible endpoint. */
        kind: z.enum(['anthropic', 'openai', 'openai-compatible']).optional(),
        baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
        /** The environment variable that holds the API key (a local endpoint may need none). */
        apiKeyEnv: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name like ANTHROPIC_API_KEY')
          .optional(),
        /** Per attempt: the wait for a reply to begin, and for each next piece of a streamed one. */
        timeoutMs: z.number().int().positive().default(60_000),
        maxRetries: z.number().int().min(0).max(10).default(3),
        /** Stream replies; false for an OpenAI-compatible server that cannot. */
        stream: z.boolean().default(true),
        /** The cap on a reply's length, tokens (Anthropic requires one: 4096 unless set). */
        maxOutputTokens: z.number().int().positive().optional(),
      }),
    )
    .default({}),
  /**
   * Prices by model (`provider:model`), USD per million tokens: each model call's cost is
   * recorded with it and counts against budgets. A model without a price costs nothing.
   */
  prices: z
    .record(
      z.string().regex(/^[a-z0-9-]+:.+$/, 'expected provider:model, e.g. scripted:demo'),
      z.strictObject({ inputPerMTokUsd: Usd, outputPerMTokUsd: Usd }),
    )
    .default({}),
  defaults: z
    .strictObject({
      model: z
        .string()
        .regex(/^[a-z0-9-]+:.+$/, 'expected provider:model, e.g. scripted:demo')
        .optional(),
      autonomy: AutonomySchema.optional(),
    })
    .default({}),
});
/** A parsed warden.yaml. */
export type WardenConfig = z.infer<typeof WardenConfigSchema>;

/** An MCP server started as a process and spoken to over stdio. `type` is optional, as in Claude Desktop's files. */
export const McpStdioServerSchema = z.strictObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
});
/** An MCP server reached over HTTP: Streamable HTTP (`type` http, or none), or the legacy SSE transport (`type` sse). */
export const McpHttpServerSchema = z.strictObject({
  type: z.enum(['http', 'sse']).optional(),
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  headers: z.record(z.string(), z.string()).default({}),
});
/** One server's entry in mcp.json. */
export const McpServerSchema = z.union([McpStdioServerSchema, McpHttpServerSchema]);
/** A parsed server entry. */
export type McpServer = z.infer<typeof McpServerSchema>;

/** What a server may be called: agents' tools are named `<server>.<tool>`. */
export const McpServerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'expected a server name of letters, digits, _ and -');

/**
 * The schema that checks one entry, chosen by its `type` (or, without one, by whether it has
 * a `url`), so that a mistake in an entry is named as that shape's field (`unknown field
 * "comand"`) rather than as a mismatch with every shape at once.
 */
export function mcpServerSchemaFor(entry: unknown): z.ZodType<McpServer> {
  const fields = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? entry : {};
  const type = 'type' in fields ? fields.type : undefined;
  if (type === 'stdio') return McpStdioServerSchema;
  if (type === 'http' || type === 'sse') return McpHttpServerSchema;
  if (type !== undefined) return McpServerTypeSchema as unknown as z.ZodType<McpServer>;
  if ('url' in fields) return McpHttpServerSchema;
  if ('command' in fields) return McpStdioServerSchema;
  return McpServerShapeSchema as unknown as z.ZodType<McpServer>;
}
/** Refuses a `type` that names no transport Warden speaks. */
const McpServerTypeSchema = z.looseObject({ type: z.enum(['stdio', 'http', 'sse']) });
/** Refuses an entry that is neither shape. */
const McpServerShapeSchema = z.custom<never>(() => false, {
  error: 'expected {command, args, env, cwd} (stdio) or {url, headers} (http, sse)',
});

/**
 * mcp.json as written. Claude Desktop's and Claude Code's files name the servers
 * `mcpServers`; VS Code's names them `servers` and may declare `inputs` (prompts for values),
 * which Warden does not show: the list must be empty. Each entry is checked on its own with
 * `mcpServerSchemaFor`, so one bad entry is one problem and the others still load.
 */
export const McpFileSchema = z.strictObject({
  mcpServers: z.record(z.string(), z.unknown()).optional(),
  servers: z.record(z.string(), z.unknown()).optional(),
  inputs: z.array(z.unknown()).optional(),
});

/** A roster's MCP servers, read from mcp.json (whichever name the file gives the map). */
export const McpConfigSchema = z.strictObject({ mcpServers: z.record(McpServerNameSchema, McpServerSchema) });
/** A parsed mcp.json. */
export type McpConfig = z.infer<typeof McpConfigSchema>;

/** One tool an agent may call, and whether it only reads or also writes. */
export const AgentToolSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+$/, 'expected server.tool'),
  access: z.enum(['read', 'write']),
  /** For a tool that moves money: the argument that holds the amount in USD. */
  amountArg: z.string().min(1).optional(),
  /** What one call costs (a paid data source), counted in the agent's spend and KPIs. */
  costUsd: Usd.optional(),
});

/** agents/<id>.yaml: one agent. */
export const AgentManifestSchema = z.strictObject({
  id: Id,
  role: z
    .string()
    .min(1)
    .refine((s) => !s.includes('\n'), 'expected one line'),
  name: z.string().min(1).optional(),
  tier: z.enum(['coordinator', 'ingestion', 'negotiation', 'reconciliation']).default('ingestion'),
  businessUnit: Id.optional(),
  owner: z.string().min(1).default('unassigned'),
  model: z
    .string()
    .regex(/^[a-z0-9-]+:.+$/, 'expected provider:model, e.g. scripted:demo')
    .optional(),
  prompt: z.string().default(''),
  tools: z.array(AgentToolSchema).default([]),
  autonomy: AutonomySchema.optional(),
  limits: LimitsSchema.default({ memoryMb: 64, cpuMs: 1_000, wallMs: 60_000, maxSteps: 20, hopLimit: 5 }),
  budget: z
    .strictObject({ tokensPerDay: z.number().int().positive().optional(), usdPerDay: Usd.optional() })
    .default({}),
  eval: z
    .strictObject({ suite: z.string().min(1).optional(), minAccuracy: z.number().min(0).max(1).default(0.95) })
    .default({ minAccuracy: 0.95 }),
  lifecycle: z.enum(['draft', 'pilot', 'production', 'retired']).default('production'),
});
/** A parsed agent manifest. */
export type AgentManifest = z.infer<typeof AgentManifestSchema>;

/** The graders a golden case can name. */
export const GraderSchema = z.enum(['exact', 'contains', 'regex', 'json-subset', 'trajectory']);
/** A grader's name. */
export type Grader = z.infer<typeof GraderSchema>;

/**
 * What a trajectory case expects: the tool calls the run (and the runs it handed off to) made,
 * each with a subset of its arguments, in this order (other calls may come between) or in any
 * order; and tools it must not have called at all.
 */
export const TrajectoryExpectedSchema = z.strictObject({
  calls: z.array(
    z.strictObject({
      tool: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+$/, 'expected server.tool'),
      args: z.record(z.string(), JsonValueSchema).optional(),
    }),
  ),
  order: z.enum(['in-order', 'any']).default('in-order'),
  forbidden: z.array(z.string()).default([]),
});
/** A trajectory case's expectation. */
export type TrajectoryExpected = z.infer<typeof TrajectoryExpectedSchema>;

/** One case of an agent's golden dataset (evals/<agent>.jsonl, one per line). */
export const EvalCaseSchema = z
  .strictObject({
    id: z.string().min(1).max(200),
    input: JsonValueSchema,
    expected: JsonValueSchema,
    grader: GraderSchema.default('exact'),
    /**
     * What a write tool returns in this case, by `server.tool`: eval runs never execute
     * writes, so the case says what the agent would have seen. Default `{ status: "ok" }`.
     */
    toolResults: z.record(z.string(), JsonValueSchema).default({}),
  })
  .superRefine((c, ctx) => {
    const problem = expectedProblem(c.grader, c.expected);
    if (problem) ctx.addIssue({ code: 'custom', path: ['expected'], message: problem });
  });
/** A golden-dataset case. */
export type EvalCase = z.infer<typeof EvalCaseSchema>;

/** Why `expected` cannot serve its grader, or null when it can. */
function expectedProblem(grader: Grader, expected: unknown): string | null {
  switch (grader) {
    case 'contains': {
      const parts = Array.isArray(expected) ? expected : [expected];
      return parts.length > 0 && parts.every((p) => typeof p === 'string')
        ? null
        : 'the contains grader expects a string or a list of strings';
    }
    case 'regex': {
      if (typeof expected !== 'string') return 'the regex grader expects a pattern string';
      try {
        new RegExp(expected, 'u');
        return null;
      } catch (error) {
        return `not a valid regular expression: ${(error as Error).message}`;
      }
    }
    case 'trajectory': {
      const parsed = TrajectoryExpectedSchema.safeParse(expected);
      if (parsed.success) return null;
      const issue = parsed.error.issues[0]!;
      return `the trajectory grader expects {calls: [{tool, args}], order, forbidden}: ${issue.path.join('.') || 'expected'}: ${issue.message}`;
    }
    default:
      return null;
  }
}

/** The model an agent calls: its manifest's, else warden.yaml `defaults.model`, else the scripted model. */
export function agentModel(agent: Pick<AgentManifest, 'model'>, config: Pick<WardenConfig, 'defaults'>): string {
  return agent.model ?? config.defaults.model ?? 'scripted:default';
}
