import { z } from 'zod';

/** The version of the ledger export format; bumped when its shape changes, old ones stay readable. */
export const EXPORT_FORMAT_VERSION = 1;

/** The filters an export was made with; an empty object means the whole ledger. */
export const ExportFiltersSchema = z.strictObject({
  from: z.string().optional(),
  to: z.string().optional(),
  agentId: z.string().optional(),
  runId: z.string().optional(),
  type: z.string().optional(),
});
/** The filters an export was made with. */
export type ExportFilters = z.infer<typeof ExportFiltersSchema>;

/** The first line of a JSONL export: what it is, what it holds, and the chain head when it was made. */
export const ExportHeaderSchema = z.strictObject({
  kind: z.literal('warden.ledger.export'),
  formatVersion: z.literal(EXPORT_FORMAT_VERSION),
  exportedAt: z.string(),
  hash: z.strictObject({
    algorithm: z.literal('sha256'),
    input: z.literal(
      'prev_hash hex, then the canonical JSON (RFC 8785) of {seq, ts, runId, agentId, type, v, payload}',
    ),
  }),
  chainHead: z.strictObject({ seq: z.number().int().nonnegative(), hash: z.string() }).nullable(),
  count: z.number().int().nonnegative(),
  filters: ExportFiltersSchema,
});
/** The header of a JSONL export. */
export type ExportHeader = z.infer<typeof ExportHeaderSchema>;

/** The text every header's `hash.input` carries, so a reader without Warden knows how to check. */
export const HASH_INPUT_DESCRIPTION: ExportHeader['hash']['input'] =
  'prev_hash hex, then the canonical JSON (RFC 8785) of {seq, ts, runId, agentId, type, v, payload}';
