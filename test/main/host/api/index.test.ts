import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleApi } from '../../../../src/main/host/api/index.js';
import { checkpointProblem, proofProblem } from '../../../../src/main/ledger/checkpoint.js';
import type { InclusionProof, SignedCheckpoint } from '../../../../src/shared/audit.js';
import { openWarden } from '../../../../src/main/host/warden.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../../../helpers/demo.js';
import { useTempDirs } from '../../cli/helpers.js';

const temp = useTempDirs();
afterAll(() => temp.cleanup());

beforeAll(() => sharedDemo(), DEMO_BUILD_MS);

describe('the console API', () => {
  it('carries on a run parked by a process that exited, once a person approves it in the console', async () => {
    const data = await demoCopy(temp.make('warden-api-'));
    const warden = await openWarden({ rosterDir: 'resources/demo', dataDir: data, pollMs: 20 });
    const api = consoleApi(warden);
    try {
      const [pending] = (await api.call('approvals.list', {}, 'console')) as { approvalId: string; runId: string }[];
      expect(pending).toBeDefined();
      await api.call('approvals.decide', { approvalId: pending!.approvalId, decision: 'approved' }, 'console');
      // The adopted run is the runtime's own: drain waits for it however busy the machine is.
      await warden.runtime.drain();
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

  it('ends rejected a run parked by a process that exited, once a person rejects it in the console', async () => {
    const data = await demoCopy(temp.make('warden-api-'));
    const warden = await openWarden({ rosterDir: 'resources/demo', dataDir: data, pollMs: 20 });
    const api = consoleApi(warden);
    try {
      const [pending] = (await api.call('approvals.list', {}, 'console')) as { approvalId: string; runId: string }[];
      type Page = { runs: { runId: string; status: string; verdict: string | null }[] };
      // Parked on a person: listed as waiting for approval, not running, and found by that filter.
      const waiting = (await api.call('runs.page', { status: 'waiting', limit: 50 }, 'console')) as Page;
      expect(waiting.runs.find((r) => r.runId === pending!.runId)).toMatchObject({ status: 'waiting', verdict: null });
      await api.call(
        'approvals.decide',
        { approvalId: pending!.approvalId, decision: 'rejected', reason: 'wrong payee' },
        'console',
      );
      // Ended in the decision's own call: nobody adopts it, no model is asked again.
      const events = [...warden.ledger.reader.each({ runId: pending!.runId })];
      expect(events.map((e) => e.type)).not.toContain('run.adopted');
      expect(events.at(-1)).toMatchObject({
        type: 'run.finished',
        payload: { status: 'rejected', error: { code: 'E_POLICY_REJECTED' } },
      });
      const page = (await api.call('runs.page', { eval: false, limit: 50 }, 'console')) as Page;
      expect(page.runs.find((r) => r.runId === pending!.runId)).toMatchObject({
        status: 'rejected',
        verdict: 'rejected',
      });
      const still = (await api.call('runs.page', { status: 'waiting', limit: 50 }, 'console')) as Page;
      expect(still.runs.map((r) => r.runId)).not.toContain(pending!.runId);
    } finally {
      api.close();
      await warden.close();
    }
  });

  it('lists and counts the work apart from the runs of eval suites', async () => {
    const data = await demoCopy(temp.make('warden-api-'));
    const warden = await openWarden({ rosterDir: 'resources/demo', dataDir: data, pollMs: 20 });
    const api = consoleApi(warden);
    try {
      type Page = { runs: { runId: string; agentId: string; eval: boolean }[]; nextKey: number | null };
      const work = (await api.call('runs.page', { eval: false, limit: 500 }, 'console')) as Page;
      const evals = (await api.call('runs.page', { eval: true, limit: 500 }, 'console')) as Page;
      const all = (await api.call('runs.page', { limit: 500 }, 'console')) as Page;
      expect(work.runs.length).toBeGreaterThanOrEqual(8);
      expect(work.runs.every((r) => !r.eval)).toBe(true);
      expect(evals.runs.length).toBeGreaterThanOrEqual(233);
      expect(evals.runs.every((r) => r.eval)).toBe(true);
      expect(all.runs.length).toBe(work.runs.length + evals.runs.length);
      // Newest first, and paging by key goes on where the page ended.
      const first = (await api.call('runs.page', { eval: true, limit: 10 }, 'console')) as Page;
      const next = (await api.call(
        'runs.page',
        { eval: true, limit: 10, beforeSeq: first.nextKey! },
        'console',
      )) as Page;
      expect([...first.runs, ...next.runs].map((r) => r.runId)).toEqual(evals.runs.slice(0, 20).map((r) => r.runId));

      // The checkpoint the Ledger view shows, and the proof of one event, both checkable offline.
      const checkpoint = (await api.call('ledger.checkpoint', {}, 'console')) as SignedCheckpoint;
      expect(checkpoint.size).toBe(warden.ledger.reader.head()!.seq);
      expect(checkpointProblem(checkpoint)).toBeNull();
      expect(await api.call('ledger.checkpoint', { sign: true }, 'console')).toEqual(checkpoint);
      const proof = (await api.call('ledger.proof', { seq: 5 }, 'console')) as InclusionProof;
      expect(proof.checkpoint).toEqual(checkpoint);
      expect(proofProblem(proof, checkpoint.keyFingerprint)).toBeNull();
      expect(proofProblem({ ...proof, leafIndex: 5 })).toMatch(/leafIndex 5 is not the place of seq 5/);
      await expect(api.call('ledger.proof', { seq: 10_000_000 }, 'console')).rejects.toThrow(/no event 10000000/);
      // Reading does not sign; asking to sign covers what came since.
      await warden.ledger.append({ type: 'run.log', payload: { level: 'info', message: 'later' } });
      expect(await api.call('ledger.checkpoint', {}, 'console')).toEqual(checkpoint);
      const signed = (await api.call('ledger.checkpoint', { sign: true }, 'console')) as SignedCheckpoint;
      expect(signed.size).toBe(checkpoint.size + 1);

      const roster = (await api.call('roster.list', {}, 'console')) as {
        id: string;
        runsToday: number;
        status: string;
      }[];
      const reconciliation = roster.find((a) => a.id === 'reconciliation')!;
      expect(reconciliation.runsToday).toBe(work.runs.filter((r) => r.agentId === 'reconciliation').length);
      expect(roster.find((a) => a.id === 'intake')!.status).toBe('suspended');
    } finally {
      api.close();
      await warden.close();
    }
  });
});
