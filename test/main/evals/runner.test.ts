import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSuite } from '../../../src/main/evals/runner.js';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import { Insights } from '../../../src/main/host/insights.js';
import type { EventPayload } from '../../../src/shared/events.js';
import type { JsonValue } from '../../../src/shared/json.js';
import { useTempDirs } from '../cli/helpers.js';
import { payCase, rosterWithSuites, type TestCase } from './roster.js';

const temp = useTempDirs();
let warden: Warden | undefined;
afterEach(async () => {
  await warden?.close();
  warden = undefined;
  temp.cleanup();
});

async function open(suites: Record<string, TestCase[]>): Promise<Warden> {
  const dir = temp.make('warden-evals-');
  warden = await openWarden({ rosterDir: rosterWithSuites(dir, suites), dataDir: join(dir, 'data'), pollMs: 20 });
  return warden;
}

function suite(w: Warden, agentId: string) {
  const agent = w.roster.agents.find((a) => a.id === agentId)!;
  return runSuite(w.runtime, w.ledger, agent, w.roster.evals.get(agentId)!, { by: 'test' });
}

/** Events of a type, oldest first. */
function events<T extends Parameters<Warden['ledger']['reader']['page']>[0]>(w: Warden, filter: T) {
  return [...w.ledger.reader.each(filter)];
}

const paysInv1001: JsonValue = {
  calls: [{ tool: 'books.post_payment', args: { invoiceId: 'INV-1001', amountUsd: 450 } }],
};

describe('eval runs', () => {
  let w: Warden;
  beforeEach(async () => {
    w = await open({
      reconciliation: [
        payCase('small', 'INV-1001', 'northwind-paper', 450, paysInv1001),
        // $4,200 asks a human and $18,000 is draft-only in a real run: in an eval run neither waits.
        {
          ...payCase('mid', 'INV-1002', 'contoso-logistics', 4200, 'INV-1002: {"entryId":"JE-42","status":"posted"}'),
          grader: 'exact',
          toolResults: { 'books.post_payment': { entryId: 'JE-42', status: 'posted' } },
        },
        {
          ...payCase('large', 'INV-1003', 'fabrikam-machinery', 18000, 'INV-1003'),
          grader: 'contains',
        },
      ],
    });
  });

  it('never execute a write: the call is recorded as simulated and the books are untouched', async () => {
    const result = await suite(w, 'reconciliation');
    expect(result.cases.map((c) => [c.caseId, c.passed])).toEqual([
      ['small', true],
      ['mid', true],
      ['large', true],
    ]);
    const results = events(w, { type: 'tool.result' }).map((e) => e.payload as EventPayload<'tool.result'>);
    expect(results).toHaveLength(3);
    expect(results.every((r) => r.simulated === true)).toBe(true);
    // No approval was asked and no draft recorded: nothing waits on a person for an eval.
    expect(w.ledger.reader.count({ type: 'approval.requested' })).toBe(0);
    expect(w.ledger.reader.count({ type: 'draft.recorded' })).toBe(0);
    // The gateway still decided as it would for real, and said so first.
    const decisions = events(w, { type: 'policy.decided' }).map((e) => (e.payload as { decision: string }).decision);
    expect(decisions.sort()).toEqual(['allow', 'ask', 'draft']);
    // The books server the runs used (the same process) never saw the payment: INV-1001 is still open.
    const invoice = await w.mcp.connection('books').callTool('get_invoice', { invoiceId: 'INV-1001' });
    expect(invoice.structuredContent).toMatchObject({ id: 'INV-1001', status: 'open' });
  });

  it('mark their runs as eval runs of the suite run, so KPIs leave them out', async () => {
    const result = await suite(w, 'reconciliation');
    const started = events(w, { type: 'run.started' }).map((e) => e.payload as EventPayload<'run.started'>);
    expect(started).toHaveLength(3);
    expect(started.map((p) => p.eval?.evalRunId)).toEqual([result.evalRunId, result.evalRunId, result.evalRunId]);
    expect(started.map((p) => p.eval?.caseId).sort()).toEqual(['large', 'mid', 'small']);
    expect(w.ledger.facts.tasks({}, 'agent')).toEqual([]);
    // Their cost is still spend: eval runs use real models.
    expect(w.ledger.facts.spend({}).map((s) => s.agentId)).toEqual(['reconciliation']);
  });

  it('record each case and the suite run with its totals, and do not suspend an agent that passes', async () => {
    const result = await suite(w, 'reconciliation');
    const cases = events(w, { type: 'eval.case' }).map((e) => e.payload as EventPayload<'eval.case'>);
    expect(cases.map((c) => c.caseId).sort()).toEqual(['large', 'mid', 'small']);
    expect(cases.every((c) => c.evalRunId === result.evalRunId && c.diff.length === 0)).toBe(true);
    const [summary] = events(w, { type: 'eval.run' });
    expect(summary!.agentId).toBe('reconciliation');
    expect(summary!.payload).toMatchObject({
      total: 3,
      passed: 3,
      errored: 0,
      accuracy: 1,
      minAccuracy: 0.95,
      by: 'test',
    });
    expect(result.suspended).toBe(false);
    expect(w.ledger.reader.count({ type: 'agent.suspended' })).toBe(0);
  });
});

describe('a suite stopped midway', () => {
  it('records no suite run and suspends nobody, however badly its first cases went', async () => {
    const failing = Array.from({ length: 8 }, (_, i) =>
      payCase(`fails-${i}`, 'INV-1001', 'northwind-paper', 450, { calls: [{ tool: 'books.draft_payment' }] }),
    );
    const w = await open({ reconciliation: failing });
    const agent = w.roster.agents.find((a) => a.id === 'reconciliation')!;
    const stop = new AbortController();
    const graded: string[] = [];
    const suiteRun = runSuite(w.runtime, w.ledger, agent, w.roster.evals.get('reconciliation')!, {
      by: 'test',
      concurrency: 1,
      signal: stop.signal,
      onCase: (c) => {
        graded.push(c.caseId);
        stop.abort();
      },
    });
    await expect(suiteRun).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(graded).toEqual(['fails-0']);
    expect(w.ledger.reader.count({ type: 'eval.case' })).toBe(1);
    expect(w.ledger.reader.count({ type: 'eval.run' })).toBe(0);
    expect(w.ledger.reader.count({ type: 'agent.suspended' })).toBe(0);
    expect(w.runtime.hold('reconciliation')).toBeNull();
  });
});

describe('suspension', () => {
  it('suspends an agent below its minimum accuracy until a person resumes it', async () => {
    const w = await open({
      reconciliation: [
        payCase('pays', 'INV-1001', 'northwind-paper', 450, paysInv1001),
        payCase('wrong-amount', 'INV-1001', 'northwind-paper', 450, {
          calls: [{ tool: 'books.post_payment', args: { amountUsd: 4500 } }],
        }),
      ],
    });
    const result = await suite(w, 'reconciliation');
    expect(result.accuracy).toBe(0.5);
    expect(result.suspended).toBe(true);
    const failed = result.cases.find((c) => c.caseId === 'wrong-amount')!;
    expect(failed.diff[0]).toBe('no call books.post_payment {"amountUsd":4500}');

    const [suspended] = events(w, { type: 'agent.suspended' });
    expect(suspended!.agentId).toBe('reconciliation');
    expect(suspended!.payload).toEqual({
      evalRunId: result.evalRunId,
      reason: 'eval suite reconciliation scored 50.0% (1/2), below its minimum of 95.0%',
    });
    const [alert] = events(w, { type: 'alert.raised' });
    expect(alert!.payload).toMatchObject({ kind: 'suspension' });
    expect(alert!.seq).toBe(suspended!.seq + 1);

    expect(w.runtime.hold('reconciliation')).toBe('suspended');
    await expect(w.runtime.start('reconciliation', { kind: 'pay-invoice' })).rejects.toMatchObject({
      code: 'E_AGENT_PAUSED',
      message: expect.stringContaining('reconciliation is suspended'),
    });
    expect(w.ledger.reader.page({ type: 'run.started', afterSeq: suspended!.seq }).events).toEqual([]);

    // Evals still run on a suspended agent: that is how a fix is checked before resuming.
    expect((await suite(w, 'reconciliation')).total).toBe(2);

    await w.runtime.resume('reconciliation', 'cao@acme', 'fixed the amount parsing');
    const [resumed] = events(w, { type: 'agent.resumed' });
    expect(resumed!.payload).toEqual({ by: 'cao@acme', reason: 'fixed the amount parsing' });
    expect(w.runtime.hold('reconciliation')).toBeNull();
    const run = await w.runtime.run('reconciliation', {
      kind: 'pay-invoice',
      invoiceId: 'INV-1001',
      payee: 'northwind-paper',
      amountUsd: 450,
    });
    expect(run.status).toBe('ok');
  });

  it('is seen by another process opening the same data folder', async () => {
    const w = await open({
      reconciliation: [
        payCase('wrong', 'INV-1001', 'northwind-paper', 450, { calls: [{ tool: 'books.draft_payment' }] }),
      ],
    });
    await suite(w, 'reconciliation');
    const dir = join(w.roster.dir, '..');
    const other = await openWarden({ rosterDir: w.roster.dir, dataDir: join(dir, 'data') });
    try {
      expect(other.runtime.hold('reconciliation')).toBe('suspended');
      const overview = new Insights(other).overview();
      const standing = overview.agents.find((a) => a.agentId === 'reconciliation')!;
      expect(standing.hold).toBe('suspended');
      expect(standing.suspension?.reason).toMatch(/scored 0\.0% \(0\/1\)/);
      expect(standing.last).toMatchObject({ accuracy: 0, passed: 0, total: 1, minAccuracy: 0.95 });
    } finally {
      await other.close();
    }
  });
});
