import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeLinesAtomically } from '../../../src/main/ledger/export-lines.js';
import { useTempDirs } from '../cli/helpers.js';

const temp = useTempDirs();
afterEach(() => temp.cleanup());

const LINE = 'x'.repeat(1023);

describe('writeLinesAtomically', () => {
  it('writes lines as they are made, waiting for the disk, and renames the file when all are written', async () => {
    const dir = temp.make('warden-lines-');
    const file = join(dir, 'out.jsonl');
    const partial = join(dir, `out.jsonl.partial-${process.pid}`);
    let onDiskBeforeLast = -1;
    function* lines(): Generator<string> {
      for (let i = 0; i < 4096; i++) {
        // Made on demand: by the last line, the lines before it are already in the file.
        if (i === 4095) onDiskBeforeLast = statSync(partial).size;
        yield LINE;
      }
    }
    expect(await writeLinesAtomically(file, lines())).toBe(4096);
    expect(onDiskBeforeLast).toBeGreaterThan(2048 * 1024);
    expect(statSync(file).size).toBe(4096 * 1024);
    expect(readFileSync(file, 'utf8').split('\n')[4095]).toBe(LINE);
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it('leaves nothing behind, under the name or beside it, when making a line fails', async () => {
    const dir = temp.make('warden-lines-');
    const file = join(dir, 'out.jsonl');
    function* lines(): Generator<string> {
      for (let i = 0; i < 3000; i++) yield LINE;
      throw new Error('the ledger went away');
    }
    await expect(writeLinesAtomically(file, lines())).rejects.toThrow('the ledger went away');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails, leaving nothing, when the file cannot be written', async () => {
    const dir = temp.make('warden-lines-');
    const file = join(dir, 'missing', 'out.jsonl');
    await expect(writeLinesAtomically(file, ['one'])).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
