import { z } from 'zod';
import { MERKLE_DESCRIPTION, SignedCheckpointSchema } from './audit.js';

/**
 * The version of the ledger export format; bumped when its shape changes, old ones stay
 * readable. 2 added the signed checkpoint and the Merkle tree's description.
 */
export const EXPORT_FORMAT_VERSION = 2;

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

const HeaderV1 = z.strictObject({
  kind: z.literal('warden.ledger.export'),
  formatVersion: z.literal(1),
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

/**
 * The first line of a JSONL export: what it is, what it holds, the chain head when it was
 * made and (from version 2) the checkpoint of the whole ledger at that moment, signed, with
 * how its Merkle tree hashes, so it can be checked with no Warden at hand.
 */
export const ExportHeaderSchema = z.discriminatedUnion('formatVersion', [
  HeaderV1,
  HeaderV1.extend({
    formatVersion: z.literal(2),
    merkle: z.strictObject({
      tree: z.literal(MERKLE_DESCRIPTION.tree),
      leaf: z.literal(MERKLE_DESCRIPTION.leaf),
      node: z.literal(MERKLE_DESCRIPTION.node),
    }),
    checkpoint: SignedCheckpointSchema,
  }),
]);
/** The header of a JSONL export. */
export type ExportHeader = z.infer<typeof ExportHeaderSchema>;

/** The text every header's `hash.input` carries, so a reader without Warden knows how to check. */
export const HASH_INPUT_DESCRIPTION: ExportHeader['hash']['input'] =
  'prev_hash hex, then the canonical JSON (RFC 8785) of {seq, ts, runId, agentId, type, v, payload}';
