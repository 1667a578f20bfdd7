import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/main.js';
import { openWarden } from '../../../src/main/host/warden.js';
import { filesUnder, tempDir } from '../../helpers/temp.js';
import { leakyServer, writeRoster } from './servers.js';

// Characters that URL-encoding changes, so every encoding differs from the token itself.
const TOKEN = 'tok/9+Qx=Lm&zZ-7f3a1c';
/** The token as careless servers write it: plain, and in each encoding Warden takes out. */
const FORMS = [
  TOKEN,
  Buffer.from(TOKEN).toString('base64').slice(0, 24),
  Buffer.from(TOKEN).toString('base64url').slice(0, 24),
  Buffer.from(`svc:${TOKEN}`).toString('base64').slice(8, 28),
  encodeURIComponent(TOKEN),
  Buffer.from(TOKEN).toString('hex'),
];

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  writeRoster(
    dir,
    { leaky: leakyServer({ SECRET_TOKEN: '${WARDEN_TEST_SECRET}' }) },
    {
      'debugger.yaml':
        'id: debugger\nrole: calls a careless server\ntools:\n  - { name: leaky.log_part, access: read }\n  - { name: leaky.encoded, access: read }\n',
      // Each half of the token in its own call: two separate writes to stderr, far apart.
      'debugger.js':
        "export default async (task, warden) => {\n  await warden.tool('leaky.log_part', { part: 'first' });\n  await warden.tool('leaky.log_part', { part: 'second' });\n  return warden.tool('leaky.encoded', {});\n};\n",
    },
  );
});
afterEach(() => delete process.env.WARDEN_TEST_SECRET);
afterAll(() => cleanup());

/** Every form of the token found in a folder's files, with the file. */
function leaks(folder: string): string[] {
  return filesUnder(folder).flatMap((file) => {
    const text = readFileSync(file).toString('latin1');
    return FORMS.filter((form) => text.includes(form)).map((form) => `${file}: ${form}`);
  });
}

describe("a server's secret in what it writes", () => {
  it('is taken out of its log by warden mcp tools, plain and encoded', async () => {
    process.env.WARDEN_TEST_SECRET = TOKEN;
    const data = join(dir, 'tools-data');
    const out: string[] = [];
    const code = await main(['mcp', 'tools', '--roster', join(dir, 'roster'), '--data-dir', data], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    expect(code).toBe(0);
    expect(out[0]).toBe('leaky: ready, 2 tool(s)');
    const log = readFileSync(join(data, 'logs', 'mcp-leaky.log'), 'utf8');
    // The start-up line was written in two pieces; each form is replaced where it stood.
    expect(log).toContain('starting with SECRET_TOKEN=[redacted:WARDEN_TEST_SECRET]\n');
    expect(log).toMatch(/auth: Basic \S*\[redacted:WARDEN_TEST_SECRET\]/);
    expect(log).toContain('GET /api?token=[redacted:WARDEN_TEST_SECRET]\n');
    expect(leaks(data)).toEqual([]);
  });

  it('is taken out under warden run even when written in two pieces, and out of tool results in its encodings', async () => {
    process.env.WARDEN_TEST_SECRET = TOKEN;
    const data = join(dir, 'run-data');
    const warden = await openWarden({ rosterDir: join(dir, 'roster'), dataDir: data });
    try {
      const run = await warden.runtime.run('debugger', {});
      expect(run.status).toBe('ok');
      const result = warden.ledger.reader.page({ runId: run.runId, type: 'tool.result', order: 'desc', limit: 1 })
        .events[0]!;
      expect(JSON.stringify(result.payload)).toMatch(
        /jwt-ish \S*\[redacted:WARDEN_TEST_SECRET\]\S* hex \[redacted:WARDEN_TEST_SECRET\]/,
      );
    } finally {
      await warden.close();
    }
    const log = readFileSync(join(data, 'logs', 'mcp-leaky.log'), 'utf8');
    expect(log).toContain('debug: SECRET_TOKEN=[redacted:WARDEN_TEST_SECRET] (done)\n');
    expect(leaks(data)).toEqual([]);
  });
});
