import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/main/ledger/redact.js';
import { RedactingLog } from '../../../src/main/mcp/log.js';
import { tempDir } from '../../helpers/temp.js';

const SECRET = 'tok-4f9a1c7e2b8d6053';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

/** Feeds pieces through a log, one write per piece, and returns what the file holds once it is closed. */
async function logged(name: string, pieces: (string | Buffer)[]): Promise<string> {
  const redactor = new Redactor();
  redactor.add('SECRET_TOKEN', SECRET);
  const path = join(dir, `${name}.log`);
  const log = new RedactingLog(path, (text) => redactor.scrubText(text));
  const stream = new PassThrough();
  log.follow(stream);
  for (const piece of pieces) {
    stream.write(piece);
    // Each piece reaches the log on its own, as separate reads of a pipe do.
    await new Promise((done) => setImmediate(done));
  }
  stream.end();
  await once(stream, 'end');
  await log.close();
  return readFileSync(path, 'utf8');
}

describe('the redacting log writer', () => {
  it('catches a secret split across two writes', async () => {
    const text = await logged('split', [`SECRET_TOKEN=${SECRET.slice(0, 7)}`, `${SECRET.slice(7)} ok\n`]);
    expect(text).toBe('SECRET_TOKEN=[redacted:SECRET_TOKEN] ok\n');
  });

  it('catches a secret split across many one-byte writes, and in an unfinished last line', async () => {
    const text = await logged('bytes', [...`a ${SECRET} b\nlast ${SECRET}`]);
    expect(text).toBe('a [redacted:SECRET_TOKEN] b\nlast [redacted:SECRET_TOKEN]\n');
  });

  it('catches a secret split where a line too long to hold is cut into pieces', async () => {
    const filler = 'x'.repeat(70 * 1024);
    const text = await logged('long', [filler, `${SECRET.slice(0, 5)}`, `${SECRET.slice(5)}${filler}\n`]);
    expect(text).not.toContain(SECRET.slice(0, 10));
    expect(text).toContain('[redacted:SECRET_TOKEN]');
    expect(text.length).toBe(2 * filler.length + '[redacted:SECRET_TOKEN]\n'.length);
  });

  it('keeps a character split between two writes whole', async () => {
    const euro = Buffer.from('€ costs\n');
    expect(await logged('utf8', [euro.subarray(0, 2), euro.subarray(2)])).toBe('€ costs\n');
  });
});
