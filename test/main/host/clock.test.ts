import { afterAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../../src/main/host/warden.js';
import { ROOT, useTempDirs } from '../cli/helpers.js';
import { join } from 'node:path';

const temp = useTempDirs();
afterAll(() => temp.cleanup());

describe('one clock', () => {
  it('is read by the ledger, the approval book and the runtime alike', async () => {
    const now = new Date('2030-01-02T03:04:05.000Z');
    const warden = await openWarden({
      rosterDir: join(ROOT, 'resources', 'demo'),
      dataDir: temp.make('warden-clock-'),
      clock: () => now,
    });
    try {
      // Opening records each agent's prompt: stamped by the clock given, not the system's.
      const first = warden.ledger.reader.page({ limit: 1 }).events[0]!;
      expect(first.ts).toBe(now.toISOString());
      const approval = await warden.approvals.request(
        'run-1',
        'reconciliation',
        { callId: 'call-1', server: 'books', tool: 'post_payment', args: {}, rule: 'doa.approve', reason: 'test' },
        60,
      );
      expect(approval.requestedAt).toBe(now.toISOString());
      expect(approval.request.expiresAt).toBe('2030-01-02T04:04:05.000Z');
    } finally {
      await warden.close();
    }
  });
});
