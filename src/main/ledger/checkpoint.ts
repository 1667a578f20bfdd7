import * as crypto from 'node:crypto';
import { checkpointMessage, SignedCheckpointSchema, type InclusionProof } from '../../shared/audit.js';
import { canonicalJson } from '../../shared/json.js';
import { canonicalEventBody, chainHash } from './hash.js';
import { leafHash, verifyInclusion } from './merkle.js';

/** Why a signed checkpoint does not hold, or null when it does: its shape, its key, its signature. */
export function checkpointProblem(value: unknown, trustedFingerprint?: string): string | null {
  const parsed = SignedCheckpointSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `checkpoint ${issue.path.join('.') || ''}: ${issue.message}`.replace(/ :/, ':');
  }
  const c = parsed.data;
  const der = Buffer.from(c.publicKey, 'base64');
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return 'checkpoint publicKey: not a public key';
  }
  if (key.asymmetricKeyType !== 'ed25519') return `checkpoint publicKey: ${key.asymmetricKeyType}, not Ed25519`;
  const fingerprint = crypto.createHash('sha256').update(der).digest('hex');
  if (fingerprint !== c.keyFingerprint) return 'checkpoint keyFingerprint: does not match its public key';
  if (trustedFingerprint !== undefined && fingerprint !== trustedFingerprint)
    return `checkpoint signed by key ${fingerprint.slice(0, 16)}…, not the expected ${trustedFingerprint.slice(0, 16)}…`;
  const { signature, publicKey: _k, keyFingerprint: _f, ...fields } = c;
  const valid = crypto.verify(null, Buffer.from(checkpointMessage(fields)), key, Buffer.from(signature, 'base64'));
  return valid ? null : 'checkpoint signature: does not match its fields (size, root, origin, time) and key';
}

/** Why a proof does not hold, or null: the checkpoint's signature, the event's own hash, its place, its path. */
export function proofProblem(proof: InclusionProof, trustedFingerprint?: string): string | null {
  const { event, checkpoint } = proof;
  const signature = checkpointProblem(checkpoint, trustedFingerprint);
  if (signature) return signature;
  const body = canonicalEventBody(event, canonicalJson(event.payload));
  if (chainHash(event.prevHash, body) !== event.hash)
    return `event seq ${event.seq}: its hash does not match its contents`;
  if (proof.leafIndex !== event.seq - 1) return `leafIndex ${proof.leafIndex} is not the place of seq ${event.seq}`;
  const path = proof.path.map((h) => Buffer.from(h, 'hex'));
  return verifyInclusion(
    proof.leafIndex,
    checkpoint.size,
    leafHash(body),
    path,
    Buffer.from(checkpoint.rootHash, 'hex'),
  )
    ? null
    : `the path does not lead from seq ${event.seq} to the root of the signed ${checkpoint.size}-event tree`;
}
