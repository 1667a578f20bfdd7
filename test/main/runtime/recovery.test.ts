import { afterEach, describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { ApprovalBook } from '../../../src/main/gateway/approvals.js';
import { orphanedRun } from '../../../src/main/gateway/parked.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { endRejected, recoverInterrupted } from '../../../src/main/runtime/recovery.js';
import { tempDir } from '../../helpers/temp.js';

// Start-up recovery on a ledger written by hand: no runtime, no processes but this one.

/** A pid on this machine that no process has: above Linux's largest (2^22). */
const GONE = { host: hostname(), pid: 2 ** 22 + 12345 };
const ALIVE = { host: hostname(), pid: process.pid };

const open: { ledger: Ledger; cleanup(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    o.ledger.close();
    o.cleanup();
  }
});

async function ledgerWith(runs: { runId: string; owner: typeof GONE; parked?: boolean }[]) {
  const temp = tempDir('warden-recovery-');
  const ledger = Ledger.open(temp.dir);
  open.push({ ledger, cleanup: temp.cleanup });
  const approvals = new ApprovalBook(ledger);
  for (const { runId, owner, parked } of runs) {
    await ledger.append({
      type: 'run.started',
      runId,
      agentId: 'reconciliation',
      payload: { input: {}, hop: 0, chain: ['reconciliation'], roster: '/rosters/acme', owner, tier: 'reconciliation' },
    });
    if (!parked) continue;
    const approval = await approvals.request(
      runId,
      'reconciliation',
      { callId: `call-${runId}`, server: 'books', tool: 'post_payment', args: {}, rule: 'doa.approve', reason: 'x' },
      60,
    );
    await ledger.append({
      type: 'run.parked',
      runId,
      agentId: 'reconciliation',
      payload: { approvalId: approval.approvalId, messages: [], toolCalls: [], index: 0, step: 0 },
    });
  }
  return { ledger, approvals };
}

describe('start-up recovery', () => {
  it("interrupts a dead process's run, keeps its parked run waiting, and leaves a live one alone", async () => {
    const { ledger, approvals } = await ledgerWith([
      { runId: 'run-dead', owner: GONE },
      { runId: 'run-parked', owner: GONE, parked: true },
      { runId: 'run-live', owner: ALIVE },
    ]);
    const recovery = await recoverInterrupted(ledger, approvals);
    expect(recovery.interrupted).toEqual(['run-dead']);
    expect(recovery.parked.map((p) => p.runId)).toEqual(['run-parked']);
    const finished = [...ledger.reader.each({ type: 'run.finished' })];
    expect(finished.map((e) => [e.runId, e.payload.status])).toEqual([['run-dead', 'interrupted']]);
  });

  it('names the parked run of a gone process as one another may continue, with its roster', async () => {
    const { ledger } = await ledgerWith([
      { runId: 'run-parked', owner: GONE, parked: true },
      { runId: 'run-mine', owner: ALIVE, parked: true },
    ]);
    expect(orphanedRun(ledger, 'run-parked')).toMatchObject({ runId: 'run-parked', roster: '/rosters/acme' });
    expect(orphanedRun(ledger, 'run-mine')).toBeNull();
    expect(orphanedRun(ledger, 'run-nope')).toBeNull();
  });

  it('ends rejected a parked run of a gone process whose approval a person rejected, once', async () => {
    const { ledger, approvals } = await ledgerWith([{ runId: 'run-parked', owner: GONE, parked: true }]);
    const [waiting] = approvals.pending();
    const rejected = await approvals.decide({
      approvalId: waiting!.approvalId,
      decision: 'rejected',
      by: 'controller',
      reason: 'wrong payee',
    });
    const recovery = await recoverInterrupted(ledger, approvals);
    expect(recovery).toMatchObject({ interrupted: [], rejected: ['run-parked'], parked: [] });
    // Whoever else tries to end it (the CLI that rejected it, a second console) writes nothing.
    expect(await endRejected(ledger, rejected)).toBe(false);
    await recoverInterrupted(ledger, approvals);
    const finished = [...ledger.reader.each({ type: 'run.finished' })];
    expect(finished.map((e) => [e.runId, e.payload])).toEqual([
      [
        'run-parked',
        {
          status: 'rejected',
          error: { code: 'E_POLICY_REJECTED', message: 'books.post_payment: rejected by controller: wrong payee' },
        },
      ],
    ]);
  });
});
