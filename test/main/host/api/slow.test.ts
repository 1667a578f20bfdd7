import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExportFile } from '../../../../src/main/ledger/index.js';
import { consoleApi } from '../../../../src/main/host/api/index.js';
import { openWarden } from '../../../../src/main/host/warden.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../../../helpers/demo.js';
import { useTempDirs } from '../../cli/helpers.js';

const temp = useTempDirs();
afterAll(() => temp.cleanup());

beforeAll(() => sharedDemo(), DEMO_BUILD_MS);

describe('a slow console request', () => {
  it('leaves the others answered while it runs: the chain check resolves after requests made behind it', async () => {
    const data = await demoCopy(temp.make('warden-slow-'));
    const warden = await openWarden({ rosterDir: 'resources/demo', dataDir: data });
    const api = consoleApi(warden);
    try {
      const order: string[] = [];
      const track = (name: string, call: Promise<unknown>) =>
        call.then((result) => {
          order.push(name);
          return result;
        });
      // Checked on this thread, the whole chain would be walked before the next call could start,
      // and its answer would come first; in a worker, the calls made behind it are answered first.
      const verify = track('ledger.verify', api.call('ledger.verify', {}, 'console'));
      await Promise.all([
        track('roster.list', api.call('roster.list', {}, 'console')),
        track('runs.page', api.call('runs.page', { limit: 50 }, 'console')),
        track('approvals.list', api.call('approvals.list', { state: 'pending' }, 'console')),
      ]);
      expect(order).toEqual(['roster.list', 'runs.page', 'approvals.list']);
      expect(await verify).toMatchObject({ ok: true, checked: warden.ledger.reader.head()!.seq, firstBreak: null });
      expect(order.at(-1)).toBe('ledger.verify');
    } finally {
      api.close();
      await warden.close();
    }
  });

  it('writes an export in a worker: requests made behind it are answered first, and the file holds what was signed', async () => {
    const data = await demoCopy(temp.make('warden-slow-export-'));
    const warden = await openWarden({ rosterDir: 'resources/demo', dataDir: data });
    const api = consoleApi(warden);
    try {
      const order: string[] = [];
      const file = join(temp.make('warden-slow-out-'), 'all.jsonl');
      const exported = api.exportTo(file, 'jsonl', {}).then(() => order.push('export'));
      await Promise.all([
        api.call('roster.list', {}, 'console').then(() => order.push('roster.list')),
        api.call('runs.page', { limit: 50 }, 'console').then(() => order.push('runs.page')),
      ]);
      // Appended while the export runs: after the checkpoint it was signed at, so not in it.
      await warden.ledger.append({
        type: 'run.log',
        runId: 'run-late',
        agentId: 'intake',
        payload: { level: 'info', message: 'late' },
      });
      await exported;
      expect(order).toEqual(['roster.list', 'runs.page', 'export']);
      const report = verifyExportFile(file);
      expect(report).toMatchObject({ ok: true, checkpoint: 'verified' });
      expect(report.head!.seq).toBe(report.header.chainHead!.seq);
      expect(report.head!.seq).toBe(warden.ledger.reader.head()!.seq - 1);
    } finally {
      api.close();
      await warden.close();
    }
  });
});
