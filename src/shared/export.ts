import { z } from 'zod';
import { MERKLE_DESCRIPTION, SignedCheckpointSchema, type SignedCheckpoint } from './audit.js';
import { JsonValueSchema } from './json.js';

/**
 * The version of the ledger export format; bumped when its shape changes, old ones stay
 * readable. 2 added the signed checkpoint and the Merkle tree's description; 3 the content the
 * events name by hash, as lines after the events (the checkpoint then present when signed).
 */
export const EXPORT_FORMAT_VERSION = 3;

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

/**
 * What a format-3 export says of its content lines: how a body's hash is taken, and how many
 * lines follow the events (one per piece of content the exported events name).
 */
export const ContentDescriptionSchema = z.strictObject({
  algorithm: z.literal('sha256'),
  input: z.literal('the canonical JSON (RFC 8785) of the body, as UTF-8'),
  count: z.number().int().nonnegative(),
});

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
  HeaderV1.extend({
    formatVersion: z.literal(3),
    merkle: z.strictObject({
      tree: z.literal(MERKLE_DESCRIPTION.tree),
      leaf: z.literal(MERKLE_DESCRIPTION.leaf),
      node: z.literal(MERKLE_DESCRIPTION.node),
    }),
    checkpoint: SignedCheckpointSchema.optional(),
    content: ContentDescriptionSchema,
  }),
]);
/**
 * A content line of a format-3 export: the body an event names by hash, or (where retention
 * removed it) the prune event that did, when, by whom and why.
 */
export const ContentLineSchema = z.strictObject({
  kind: z.literal('content'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  body: JsonValueSchema.optional(),
  removed: z
    .strictObject({ seq: z.number().int().positive(), at: z.string(), by: z.string(), reason: z.string() })
    .optional(),
});
/** A content line of an export. */
export type ContentLine = z.infer<typeof ContentLineSchema>;

/** The signed checkpoint an export's header carries, or null (format 1, or an unsigned format 3). */
export function signedCheckpointOf(header: ExportHeader): SignedCheckpoint | null {
  return header.formatVersion === 1 ? null : (header.checkpoint ?? null);
}

/** The header of a JSONL export. */
export type ExportHeader = z.infer<typeof ExportHeaderSchema>;

/** The text every header's `hash.input` carries, so a reader without Warden knows how to check. */
export const HASH_INPUT_DESCRIPTION: ExportHeader['hash']['input'] =
  'prev_hash hex, then the canonical JSON (RFC 8785) of {seq, ts, runId, agentId, type, v, payload}';

/** How a format-3 export's content hashes are taken, as its header says. */
export const CONTENT_DESCRIPTION: Omit<z.infer<typeof ContentDescriptionSchema>, 'count'> = {
  algorithm: 'sha256',
  input: 'the canonical JSON (RFC 8785) of the body, as UTF-8',
};
