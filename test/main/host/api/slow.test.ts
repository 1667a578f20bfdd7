import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
