import * as crypto from 'node:crypto';
import { checkpointMessage, type InclusionProof, type SignedCheckpoint, type TreeHead } from '../../shared/audit.js';
import type { LedgerEvent } from '../../shared/events.js';
import { LedgerTamperedError } from '../../shared/errors.js';
import type { Ledger } from '../ledger/index.js';
import { osKeychain } from './keychain.js';
import { signingKey, type KeyWrapper } from './keys.js';

/**
 * Signs a checkpoint of the ledger as it stands: its size, its Merkle root, its origin and the
 * time, with the data folder's key; keeps it in the ledger's database and returns it with the
 * public key to check it by.
 */
export function signedCheckpoint(ledger: Ledger, options: SignOptions = {}): SignedCheckpoint {
  const signed = signCheckpoint(ledger, ledger.treeHead(), options);
  ledger.recordCheckpoint(signed);
  return signed;
}

/** How to sign: the key's seal, and the time to state. */
export interface SignOptions {
  wrapper?: KeyWrapper;
  now?: Date;
}

/** How the `warden` command and `warden serve` sign: with the key sealed by the OS keychain where one is reachable. */
export function osSignOptions(): SignOptions {
  const wrapper = osKeychain();
  return wrapper ? { wrapper } : {};
}

/**
 * Signs the given head of the ledger (size and root read by the caller, e.g. inside an
 * export's snapshot). Refuses a ledger that is shorter than, or no longer has the root of, a
 * checkpoint signed before: signing it would lend the key to what was cut or rewritten.
 */
export function signCheckpoint(
  ledger: Ledger,
  head: { size: number; rootHash: string },
  options: SignOptions = {},
): SignedCheckpoint {
  const conflict = ledger.checkpointConflict(head);
  if (conflict)
    throw new LedgerTamperedError(
      `refusing to sign the ledger in ${ledger.dataDir}: ${conflict}; run warden ledger verify --data-dir ${ledger.dataDir}`,
    );
  const key = signingKey(ledger.dataDir, options.wrapper);
  const checkpoint: TreeHead = {
    origin: ledger.origin,
    size: head.size,
    rootHash: head.rootHash,
    time: (options.now ?? new Date()).toISOString(),
  };
  const signature = crypto.sign(null, Buffer.from(checkpointMessage(checkpoint)), key.privateKey);
  return {
    ...checkpoint,
    signature: signature.toString('base64'),
    publicKey: key.publicKeyDer.toString('base64'),
    keyFingerprint: key.fingerprint,
  };
}

export { checkpointProblem } from '../ledger/checkpoint.js';

/** The proof that `event` is in the tree `checkpoint` signs: a file a person checks with no ledger at hand. */
export function inclusionProof(ledger: Ledger, event: LedgerEvent, checkpoint: SignedCheckpoint): InclusionProof {
  return {
    kind: 'warden.ledger.inclusion-proof',
    formatVersion: 1,
    event,
    leafIndex: event.seq - 1,
    path: ledger.tree.inclusionProof(event.seq - 1, checkpoint.size).map((h) => h.toString('hex')),
    checkpoint,
  };
}
