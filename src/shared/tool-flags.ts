import { z } from 'zod';

/**
 * An MCP tool whose definition reads like instructions to the agent (`mcp.tool.flagged`), as
 * the console shows it: what was found where, and who accepted that exact definition, if
 * anyone did. Until then the gateway refuses the tool.
 */
export const ToolFlagViewSchema = z.strictObject({
  server: z.string(),
  tool: z.string(),
  /** The hash of the definition flagged: an acceptance names it, so a changed definition needs its own. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  field: z.string(),
  match: z.string(),
  why: z.string(),
  seq: z.number().int().positive(),
  ts: z.string(),
  accepted: z.strictObject({ by: z.string(), reason: z.string(), ts: z.string() }).nullable(),
});
/** A flagged tool definition, as the console shows it. */
export type ToolFlagView = z.infer<typeof ToolFlagViewSchema>;

/** Accepting a flagged definition: the one the person looked at (by its hash), and why. */
export const ToolAcceptParamsSchema = z.strictObject({
  server: z.string().min(1),
  tool: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  reason: z
    .string()
    .max(2000)
    .refine((r) => r.trim().length > 0, 'accepting a tool definition needs a reason, for the record'),
});
