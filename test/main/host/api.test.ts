import { afterAll, describe, expect, it } from 'vitest';
import { consoleApi } from '../../../src/main/host/api.js';
import { openWarden } from '../../../src/main/host/warden.js';
import { ROOT, spawnWarden, useTempDirs } from '../cli/helpers.js';

const temp = useTempDirs();
afterAll(() => temp.cleanup());

describe('the console API', () => {
  it('carries on a run parked by a process that exited, once a person approves it in the console', async () => {
    const data = temp.make('warden-api-');
    expect((await spawnWarden(ROOT, ['demo', '--data-dir', data])).code).toBe(0);
    const warden = await openWarden({ rosterDir: 'resources/demo', dataDir: data, pollMs: 20 });
    const api = consoleApi(warden);
    try {
      const [pending] = (await api.call('approvals.list', {}, 'console')) as { approvalId: string; runId: string }[];
      expect(pending).toBeDefined();
      await api.call('approvals.decide', { approvalId: pending!.approvalId, decision: 'approved' }, 'console');
      let finished = 0;
      for (let i = 0; i < 200 && finished === 0; i++) {
        await new Promise((r) => setTimeout(r, 25));
        finished = warden.ledger.reader.count({ runId: pending!.runId, type: 'run.finished' });
      }
      const events = [...warden.ledger.reader.each({ runId: pending!.runId })].map((e) => e.type);
      expect(events).toContain('run.adopted');
      expect(events.at(-1)).toBe('run.finished');
      await expect(
        api.call('approvals.decide', { approvalId: 'apr-nope', decision: 'approved' }, 'console'),
      ).rejects.toThrow(/no approval apr-nope/);
      await expect(api.call('agent.pause', { agentId: 42 }, 'console')).rejects.toThrow(/agentId/);
    } finally {
      api.close();
      await warden.close();
    }
  });
});
