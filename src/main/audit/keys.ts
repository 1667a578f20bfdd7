import * as crypto from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WardenError } from '../../shared/errors.js';

/**
 * Seals the private key at rest with something the OS guards (Electron's safeStorage, backed
 * by the keychain). Without one, the key is a file only its owner may read.
 */
export interface KeyWrapper {
  /** What seals it, as a person would recognise it (e.g. "the OS keychain"). */
  name: string;
  seal(secret: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

/** A data folder's signing key, ready to sign, and its public half. */
export interface SigningKey {
  privateKey: crypto.KeyObject;
  /** SPKI DER. */
  publicKeyDer: Buffer;
  /** hex SHA-256 of the public key's DER. */
  fingerprint: string;
}

const FOLDER = 'keys';
const PLAIN = 'checkpoint-signing.pem';
const SEALED = 'checkpoint-signing.sealed';

/**
 * The data folder's Ed25519 checkpoint-signing key, made on first use: a PKCS #8 file with
 * 0600 permissions in `keys/`, or sealed by `wrapper` when one is given. Two processes that
 * make it at once agree on one: the file is created exclusively, and the loser reads it.
 */
export function signingKey(dataDir: string, wrapper?: KeyWrapper): SigningKey {
  const folder = join(dataDir, FOLDER);
  const sealedFile = join(folder, SEALED);
  const plainFile = join(folder, PLAIN);
  if (existsSync(sealedFile)) {
    if (!wrapper)
      throw new WardenError(
        'E_FILE',
        `${sealedFile} is sealed by the desktop app's keychain; sign checkpoints from the app, or export from it`,
      );
    return fromPem(wrapper.open(readFileSync(sealedFile)));
  }
  if (existsSync(plainFile)) return fromPem(readFileSync(plainFile));
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const pem = Buffer.from(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  const [file, bytes] = wrapper ? [sealedFile, wrapper.seal(pem)] : [plainFile, pem];
  try {
    writeFileSync(file, bytes, { flag: 'wx', mode: 0o600 });
    // The mode above is filtered by the umask; the key must be the owner's alone.
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return signingKey(dataDir, wrapper);
  }
  return fromPem(pem);
}

function fromPem(pem: Buffer): SigningKey {
  const privateKey = crypto.createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new WardenError('E_FILE', `the checkpoint-signing key is ${privateKey.asymmetricKeyType}, not Ed25519`);
  const publicKeyDer = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKeyDer, fingerprint: crypto.createHash('sha256').update(publicKeyDer).digest('hex') };
}
