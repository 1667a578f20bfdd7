import { Ledger } from '../../../src/main/ledger/index.js';
import type { NewEvent } from '../../../src/shared/events.js';

/**
 * A ledger of known tasks, with times, costs and interventions chosen so that the KPIs can be
 * worked out by hand (see kpis.test.ts). Period of interest: 2026-11-01 to 2026-11-03.
 *
 * T1 reconciliation 11-01 10:00:00 → ok 10:00:30 (30 s); model $0.10; hands off to intake
 *    (C1: model $0.05, a priced tool $0.02). No intervention.
 * T2 reconciliation 11-01 11:00 → approval asked and approved → ok 11:10 (600 s); model $0.30.
 * T3 reconciliation 11-02 09:00 → approval rejected → error 09:05; model $0.20.
 * T4 quoting        11-02 12:00:00 → a draft for a human → ok 12:00:10 (10 s).
 * T5 quoting        11-02 13:00 → stopped by a person (cancelled) 13:01.
 * E1 reconciliation 11-02 14:00 eval run → ok; model $1.00 (spend, never a task).
 * T0 reconciliation 10-31 (before the period) → ok.
 * And two eval cases of intake on 11-02 (one passed) for rolling accuracy.
 */
export async function buildKpiLedger(dataDir: string): Promise<Ledger> {
  let now = new Date('2026-10-31T08:00:00.000Z');
  const ledger = Ledger.open(dataDir, { clock: () => now });
  const at = async (time: string, ...events: NewEvent[]) => {
    now = new Date(time);
    await ledger.appendMany(events);
  };
  const start = (runId: string, agentId: string, tier: string, unit: string, extra: object = {}): NewEvent => ({
    type: 'run.started',
    runId,
    agentId,
    payload: { input: {}, hop: 0, tier, unit, ...extra },
  });
  const finish = (runId: string, agentId: string, status: 'ok' | 'error' | 'cancelled'): NewEvent => ({
    type: 'run.finished',
    runId,
    agentId,
    payload: { status },
  });
  const model = (runId: string, agentId: string, costUsd: number): NewEvent => ({
    type: 'model.called',
    runId,
    agentId,
    payload: { provider: 'scripted', model: 'demo', inputTokens: 100, outputTokens: 20, costUsd, latencyMs: 5 },
  });
  const recon = (runId: string, extra?: object) => start(runId, 'reconciliation', 'reconciliation', 'finance', extra);
  const quoting = (runId: string) => start(runId, 'quoting', 'negotiation', 'sales');
  const approval = (runId: string, approvalId: string): NewEvent => ({
    type: 'approval.requested',
    runId,
    agentId: 'reconciliation',
    payload: {
      approvalId,
      callId: `call-${approvalId}`,
      server: 'books',
      tool: 'post_payment',
      args: {},
      argsSha256: 'a'.repeat(64),
      rule: 'approve-band',
      reason: 'between $1,000 and $10,000',
      expiresAt: '2026-11-03T00:00:00.000Z',
    },
  });
  const decided = (runId: string, approvalId: string, decision: 'approved' | 'rejected'): NewEvent => ({
    type: 'approval.decided',
    runId,
    agentId: 'reconciliation',
    payload: { approvalId, decision, argsSha256: 'a'.repeat(64), by: 'cao', reason: 'checked' },
  });

  await at(
    '2026-10-31T09:00:00.000Z',
    recon('run-t0'),
    model('run-t0', 'reconciliation', 9),
    finish('run-t0', 'reconciliation', 'ok'),
  );

  await at('2026-11-01T10:00:00.000Z', recon('run-t1'), model('run-t1', 'reconciliation', 0.1));
  await at(
    '2026-11-01T10:00:05.000Z',
    {
      type: 'handoff',
      runId: 'run-t1',
      agentId: 'reconciliation',
      payload: {
        toAgentId: 'intake',
        childRunId: 'run-c1',
        hop: 1,
        intent: 'read',
        context: {},
        constraints: {},
        verification: {},
      },
    },
    start('run-c1', 'intake', 'ingestion', 'operations', { parentRunId: 'run-t1', hop: 1 }),
    model('run-c1', 'intake', 0.05),
    {
      type: 'tool.result',
      runId: 'run-c1',
      agentId: 'intake',
      payload: { callId: 'call-c1', ok: true, latencyMs: 3, costUsd: 0.02 },
    },
    finish('run-c1', 'intake', 'ok'),
  );
  await at('2026-11-01T10:00:30.000Z', finish('run-t1', 'reconciliation', 'ok'));

  await at(
    '2026-11-01T11:00:00.000Z',
    recon('run-t2'),
    model('run-t2', 'reconciliation', 0.3),
    approval('run-t2', 'appr-2'),
  );
  await at('2026-11-01T11:09:00.000Z', decided('run-t2', 'appr-2', 'approved'));
  await at('2026-11-01T11:10:00.000Z', finish('run-t2', 'reconciliation', 'ok'));

  await at(
    '2026-11-02T09:00:00.000Z',
    recon('run-t3'),
    model('run-t3', 'reconciliation', 0.2),
    approval('run-t3', 'appr-3'),
  );
  await at(
    '2026-11-02T09:05:00.000Z',
    decided('run-t3', 'appr-3', 'rejected'),
    finish('run-t3', 'reconciliation', 'error'),
  );

  await at('2026-11-02T12:00:00.000Z', quoting('run-t4'), {
    type: 'draft.recorded',
    runId: 'run-t4',
    agentId: 'quoting',
    payload: {
      draftId: 'draft-4',
      callId: 'call-4',
      server: 'catalog',
      tool: 'draft_quote',
      args: {},
      rule: 'draft-only',
    },
  });
  await at('2026-11-02T12:00:10.000Z', finish('run-t4', 'quoting', 'ok'));

  await at('2026-11-02T13:00:00.000Z', quoting('run-t5'));
  await at('2026-11-02T13:01:00.000Z', finish('run-t5', 'quoting', 'cancelled'));

  await at(
    '2026-11-02T14:00:00.000Z',
    recon('run-e1', { eval: { evalRunId: 'eval-1', caseId: 'c1' } }),
    model('run-e1', 'reconciliation', 1),
    finish('run-e1', 'reconciliation', 'ok'),
  );
  const evalCase = (caseId: string, runId: string, passed: boolean, latencyMs: number): NewEvent => ({
    type: 'eval.case',
    agentId: 'intake',
    payload: {
      evalRunId: 'eval-2',
      suite: 'intake',
      caseId,
      runId,
      grader: 'exact',
      passed,
      output: 1,
      expected: 1,
      diff: [],
      latencyMs,
      costUsd: 0,
    },
  });
  await at(
    '2026-11-02T15:00:00.000Z',
    start('run-e2', 'intake', 'ingestion', 'operations', { eval: { evalRunId: 'eval-2', caseId: 'a' } }),
    finish('run-e2', 'intake', 'ok'),
    evalCase('a', 'run-e2', true, 10),
    evalCase('b', 'run-e2', false, 30),
  );
  return ledger;
}
