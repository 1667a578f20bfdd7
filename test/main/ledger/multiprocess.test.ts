import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/main/ledger/index.js';
import { tempDir } from '../../helpers/temp.js';

const run = promisify(execFile);
const ledgerModule = pathToFileURL(fileURLToPath(new URL('../../../src/main/ledger/index.ts', import.meta.url))).href;
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let dir: string;
let cleanup: () => void;

beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

describe('several processes on one data folder', () => {
  it('keep one unbroken chain', async () => {
    const script = join(dir, 'appender.mts');
    writeFileSync(
      script,
      `import { Ledger } from ${JSON.stringify(ledgerModule)};
const ledger = Ledger.open(process.argv[2]);
const id = process.argv[3];
for (let i = 0; i < 100; i++) {
  await Promise.all([0, 1].map((k) => ledger.append({ type: 'run.log', runId: id, agentId: 'a', payload: { level: 'info', message: id + ':' + i + ':' + k } })));
}
ledger.close();
`,
    );
    Ledger.open(dir).close();
    await Promise.all(['p1', 'p2', 'p3'].map((id) => run(process.execPath, ['--import', tsx, script, dir, id])));
    const ledger = Ledger.open(dir, { mode: 'existing' });
    const report = await ledger.verify();
    const perProcess = ['p1', 'p2', 'p3'].map((id) => ledger.reader.count({ runId: id }));
    ledger.close();
    expect(report).toMatchObject({ ok: true, checked: 600 });
    expect(perProcess).toEqual([200, 200, 200]);
  });
});
