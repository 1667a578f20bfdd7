import * as crypto from 'node:crypto';
import { checkpointMessage, SignedCheckpointSchema } from '../../shared/audit.js';

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
