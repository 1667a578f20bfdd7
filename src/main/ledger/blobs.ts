import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WardenError } from '../../shared/errors.js';

/** The folder of a data folder that holds the bytes the ledger records by hash. */
export const BLOBS_DIR = 'blobs';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The bytes of tool results too large to keep in an event (an image, audio, a resource's blob),
 * each in a file named by its SHA-256: `blobs/ab/abcdef…`. The ledger's event holds the hash
 * and the size, so the event is the evidence and a file is only a copy: `get` hands out bytes
 * only while they still hash to the name the ledger gave them. Files are written whole (a
 * temporary file, synced, then renamed) before the event that names them.
 */
export class BlobStore {
  constructor(readonly dir: string) {}

  /** Keeps bytes under their hash (once: the same bytes twice are one file); resolves with the hash once they are on disk. */
  async put(bytes: Uint8Array): Promise<string> {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const file = this.path(hash);
    if ((await stat(file).catch(() => null))?.size === bytes.length) return hash;
    await mkdir(join(this.dir, hash.slice(0, 2)), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return hash;
  }

  /**
   * The bytes kept under a hash, or null when none are. A file that no longer hashes to its
   * name was changed: it is refused with E_LEDGER_TAMPERED (the ledger's hash is the truth).
   */
  async get(hash: string): Promise<Buffer | null> {
    if (!SHA256.test(hash)) return null;
    const bytes = await readFile(this.path(hash)).catch(() => null);
    if (!bytes) return null;
    if (createHash('sha256').update(bytes).digest('hex') !== hash)
      throw new WardenError('E_LEDGER_TAMPERED', `the copy of ${hash} in ${this.dir} no longer matches its hash`);
    return bytes;
  }

  private path(hash: string): string {
    return join(this.dir, hash.slice(0, 2), hash);
  }
}
