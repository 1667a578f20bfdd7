import { z } from 'zod';
import { LedgerEventSchema } from './events.js';

/**
 * What an auditor checks without trusting Warden's database: signed checkpoints of the
 * ledger's Merkle tree (RFC 6962), and proofs that an event is in a checkpointed tree.
 */

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex');
const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64');

/** A tree head: the ledger at one moment, whose first `size` events have this Merkle root. Signed, it is a checkpoint. */
export const TreeHeadSchema = z.strictObject({
  /** The data folder's id: checkpoints of different ledgers never compare. */
  origin: z.string().regex(/^warden:[0-9a-f-]{36}$/, 'expected warden:<uuid>'),
  size: z.number().int().nonnegative(),
  rootHash: sha256,
  time: z.string(),
});
/** An unsigned tree head. */
export type TreeHead = z.infer<typeof TreeHeadSchema>;

/** A checkpoint signed with the data folder's Ed25519 key, carrying the key to check it with. */
export const SignedCheckpointSchema = TreeHeadSchema.extend({
  /** Ed25519 signature over {@link checkpointMessage}, base64. */
  signature: base64,
  /** The public key, SPKI DER in base64. */
  publicKey: base64,
  /** SHA-256 of the public key's DER: the fingerprint a person compares. */
  keyFingerprint: sha256,
});
/** A signed checkpoint. */
export type SignedCheckpoint = z.infer<typeof SignedCheckpointSchema>;

/**
 * A checkpoint published outside the data folder (`warden ledger checkpoint --out F`), for an
 * auditor to keep: a later `verify --since F` catches a rewrite even by someone with the key.
 */
export const CheckpointFileSchema = z.strictObject({
  kind: z.literal('warden.ledger.checkpoint'),
  formatVersion: z.literal(1),
  checkpoint: SignedCheckpointSchema,
});
/** A published checkpoint file. */
export type CheckpointFile = z.infer<typeof CheckpointFileSchema>;

/** How leaves and nodes of the tree are hashed, as an export states it for a reader without Warden. */
export const MERKLE_DESCRIPTION = {
  tree: 'RFC 6962 Merkle tree over the events in seq order',
  leaf: 'sha256(0x00 || canonical JSON (RFC 8785) of {seq, ts, runId, agentId, type, v, payload})',
  node: 'sha256(0x01 || left || right)',
} as const;

/** The bytes a checkpoint's signature covers: a fixed context line, then its canonical fields. */
export function checkpointMessage(c: TreeHead): string {
  return `warden.checkpoint.v1\n${c.origin}\n${c.size}\n${c.rootHash}\n${c.time}\n`;
}

/** An inclusion proof file: one event, where it sits in a signed tree, and the path to the root. */
export const InclusionProofSchema = z.strictObject({
  kind: z.literal('warden.ledger.inclusion-proof'),
  formatVersion: z.literal(1),
  event: LedgerEventSchema,
  /** The event's leaf index (seq − 1). */
  leafIndex: z.number().int().nonnegative(),
  /** The sibling hashes from the leaf up to the root of the checkpoint's tree, hex. */
  path: z.array(sha256),
  checkpoint: SignedCheckpointSchema,
});
/** An inclusion proof file. */
export type InclusionProof = z.infer<typeof InclusionProofSchema>;
