import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/main/ledger/blobs.js';
import { tempDir } from '../../helpers/temp.js';

const temps: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.cleanup();
});

function store(): BlobStore {
  const temp = tempDir('warden-blobs-');
  temps.push(temp);
  return new BlobStore(join(temp.dir, 'blobs'));
}

describe('the blobs of a data folder', () => {
  it('keeps bytes once under their SHA-256, and hands them back', async () => {
    const blobs = store();
    const bytes = Buffer.from('a picture, say');
    const hash = createHash('sha256').update(bytes).digest('hex');
    await expect(blobs.put(bytes)).resolves.toBe(hash);
    await expect(blobs.put(bytes)).resolves.toBe(hash);
    expect(readdirSync(join(blobs.dir, hash.slice(0, 2)))).toEqual([hash]);
    await expect(blobs.get(hash)).resolves.toEqual(bytes);
  });

  it('answers nothing for a hash it does not hold, or a name that is not a hash', async () => {
    const blobs = store();
    await blobs.put(Buffer.from('x'));
    await expect(blobs.get('0'.repeat(64))).resolves.toBeNull();
    await expect(blobs.get('../../ledger.db')).resolves.toBeNull();
  });

  it('refuses a copy that no longer hashes to its name', async () => {
    const blobs = store();
    const hash = await blobs.put(Buffer.from('the original'));
    writeFileSync(join(blobs.dir, hash.slice(0, 2), hash), 'a changed copy');
    await expect(blobs.get(hash)).rejects.toMatchObject({ code: 'E_LEDGER_TAMPERED' });
  });
});
