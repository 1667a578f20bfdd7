import * as crypto from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WardenError } from '../../shared/errors.js';
import { KEYCHAIN_FILE, keychainName, osKeychain } from './keychain.js';

/**
 * Seals the private key at rest with something the OS guards (Electron's safeStorage in the
 * desktop app, the OS keychain from plain Node). Without one, the key is a file only its
 * owner may read.
 */
export interface KeyWrapper {
  /** What seals it, as a person would recognise it (e.g. "the OS keychain"). */
  name: string;
  /** The file in `keys/` that holds what it sealed; default `checkpoint-signing.sealed` (safeStorage's). */
  file?: string;
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

/** Where a data folder's signing key is kept, as `verify` and reports state it. */
export interface KeyCustody {
  /** Sealed by an OS keychain, or a plain file beside the ledger. */
  sealed: boolean;
  /** The file in the data folder: the key itself, or what names it in the keychain. */
  file: string;
  /** One sentence for a person. */
  description: string;
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
  const keychainFile = join(folder, KEYCHAIN_FILE);
  const plainFile = join(folder, PLAIN);
  const ownFile = join(folder, wrapper?.file ?? SEALED);
  if (wrapper && existsSync(ownFile)) return fromPem(wrapper.open(readFileSync(ownFile)));
  if (existsSync(keychainFile)) {
    // Sealed from plain Node: the desktop app can open it through the same keychain.
    const keychain = osKeychain();
    if (!keychain)
      throw new WardenError(
        'E_FILE',
        `${keychainFile} names a key in the OS keychain, which this process cannot reach; sign checkpoints where it can`,
      );
    return fromPem(keychain.open(readFileSync(keychainFile)));
  }
  if (existsSync(sealedFile))
    throw new WardenError(
      'E_FILE',
      `${sealedFile} is sealed by the desktop app's keychain; sign checkpoints from the app, or export from it`,
    );
  if (existsSync(plainFile)) {
    const pem = readFileSync(plainFile);
    // Moved into the OS keychain once one is reachable. Not into safeStorage: only the
    // desktop app can open what it seals, and the CLI would lose the key it shares.
    if (wrapper?.file !== KEYCHAIN_FILE) return fromPem(pem);
    const key = fromPem(pem);
    if (!writeExclusive(ownFile, wrapper.seal(pem))) return signingKey(dataDir, wrapper);
    rmSync(plainFile, { force: true });
    return key;
  }
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const pem = Buffer.from(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  const [file, bytes] = wrapper ? [ownFile, wrapper.seal(pem)] : [plainFile, pem];
  if (!writeExclusive(file, bytes)) return signingKey(dataDir, wrapper);
  return fromPem(pem);
}

/**
 * Where the folder's signing key is kept, read from the files in `keys/` (no keychain is
 * asked), or null when none was made yet.
 */
export function keyCustody(dataDir: string): KeyCustody | null {
  const folder = join(dataDir, FOLDER);
  const keychainFile = join(folder, KEYCHAIN_FILE);
  if (existsSync(keychainFile)) {
    let by: string;
    try {
      by = keychainName(readFileSync(keychainFile));
    } catch {
      by = 'the OS keychain';
    }
    return { sealed: true, file: keychainFile, description: `The signing key is sealed by ${by}.` };
  }
  const sealedFile = join(folder, SEALED);
  if (existsSync(sealedFile))
    return {
      sealed: true,
      file: sealedFile,
      description: "The signing key is sealed by the desktop app's OS keychain (Electron safeStorage).",
    };
  const plainFile = join(folder, PLAIN);
  if (existsSync(plainFile))
    return {
      sealed: false,
      file: plainFile,
      description:
        `The signing key lives beside the data (${plainFile}), sealed by no OS keychain: whoever can change ` +
        'the ledger can also read the key and re-sign a rewritten ledger. Keep a checkpoint outside the folder ' +
        '(warden ledger checkpoint --out F) and verify with --since F to catch that.',
    };
  return null;
}

/** Creates a key file only if none is there (0600); false when another process made one first. */
function writeExclusive(file: string, bytes: Buffer): boolean {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, bytes, { flag: 'wx', mode: 0o600 });
    // The mode above is filtered by the umask; the key must be the owner's alone.
    chmodSync(file, 0o600);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

function fromPem(pem: Buffer): SigningKey {
  const privateKey = crypto.createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new WardenError('E_FILE', `the checkpoint-signing key is ${privateKey.asymmetricKeyType}, not Ed25519`);
  const publicKeyDer = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKeyDer, fingerprint: crypto.createHash('sha256').update(publicKeyDer).digest('hex') };
}
