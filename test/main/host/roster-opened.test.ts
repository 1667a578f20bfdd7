import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleApi } from '../../../src/main/host/api/index.js';
import { openWarden } from '../../../src/main/host/warden.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { tempDir } from '../../helpers/temp.js';

const made: (() => void)[] = [];
afterEach(() => made.splice(0).forEach((cleanup) => cleanup()));

function roster(dir: string, warden: string): string {
  const at = join(dir, 'roster');
  mkdirSync(join(at, 'agents'), { recursive: true });
  writeFileSync(join(at, 'warden.yaml'), warden);
  writeFileSync(join(at, 'agents', 'a.yaml'), 'id: a\nrole: test\nmodel: scripted:t\nbusinessUnit: ops\n');
  return at;
}

describe('roster.opened', () => {
  it('records the organisation and units when they change, not on every open', async () => {
    const { dir, cleanup } = tempDir('warden-roster-opened-');
    made.push(cleanup);
    const data = join(dir, 'data');
    const units = 'businessUnits: [{ id: ops, name: Operations }]\n';
    const rosterDir = roster(dir, `organisation: { name: Initech }\n${units}`);
    for (let i = 0; i < 2; i++) await (await openWarden({ rosterDir, dataDir: data })).close();
    writeFileSync(join(rosterDir, 'warden.yaml'), `organisation: { name: Initrode }\n${units}`);
    const warden = await openWarden({ rosterDir, dataDir: data });
    const api = consoleApi(warden);
    // The console's heading names it too.
    expect(await api.call('roster.organisation', {}, 'console')).toEqual({ name: 'Initrode' });
    api.close();
    await warden.close();
    const ledger = Ledger.open(data, { mode: 'existing' });
    try {
      const opened = [...ledger.reader.each({ type: 'roster.opened' })].map((e) => e.payload);
      expect(opened).toEqual([
        { organisation: 'Initech', units: [{ id: 'ops', name: 'Operations' }] },
        { organisation: 'Initrode', units: [{ id: 'ops', name: 'Operations' }] },
      ]);
    } finally {
      ledger.close();
    }
  });
});
