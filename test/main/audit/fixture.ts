import { Ledger } from '../../../src/main/ledger/index.js';
import type { NewEvent } from '../../../src/shared/events.js';
import type { SignedCheckpoint } from '../../../src/shared/audit.js';
import { buildKpiLedger } from '../kpis/fixture.js';

/** What an agent wrote into its log: markup, quotes and other scripts, as a report must show them (as text). */
export const HOSTILE = `<script>alert(1)</script> & "quoted" 'single' <img src=x onerror=alert(2)> Zahlung für Müller — 支付`;

/** The report period of the fixture: the KPI fixture's two days. */
export const PERIOD = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-03T00:00:00.000Z' };

/**
 * The KPI fixture's hand-worked ledger (see test/main/kpis/fixture.ts), plus one of each thing
 * a report shows, on 2026-11-02 after 16:00, attached to runs that already exist so the
 * hand-worked KPIs stand: a hostile log line, a denial, a guardrail trip, a circuit breaker,
 * a cap hit, a failed eval suite that suspends reconciliation, its resumption, a manifest and
 * a prompt change, and a handoff run that names prompt v2.
 */
export async function buildReportLedger(dataDir: string): Promise<Ledger> {
  (await buildKpiLedger(dataDir)).close();
  let now = new Date('2026-11-02T16:00:00.000Z');
  const ledger = Ledger.open(dataDir, { clock: () => now });
  const at = async (time: string, ...events: NewEvent[]) => {
    now = new Date(time);
    await ledger.appendMany(events);
  };
  const recon = { runId: 'run-t3', agentId: 'reconciliation' };
  await at('2026-11-02T16:00:00.000Z', {
    type: 'run.log',
    runId: 'run-t1',
    agentId: 'reconciliation',
    payload: { level: 'warn', message: HOSTILE },
  });
  await at(
    '2026-11-02T16:01:00.000Z',
    {
      type: 'tool.requested',
      ...recon,
      payload: {
        callId: 'call-deny-1',
        server: 'books',
        tool: 'post_payment',
        args: { payee: 'mallory', amountUsd: 50 },
      },
    },
    {
      type: 'policy.decided',
      ...recon,
      payload: {
        callId: 'call-deny-1',
        decision: 'deny',
        rule: 'guardrail:payee-allow-list',
        reason: 'payee "mallory" is not on the allow list',
      },
    },
  );
  await at('2026-11-02T16:02:00.000Z', {
    type: 'guardrail.tripped',
    runId: 'run-t1',
    agentId: 'reconciliation',
    payload: {
      guardrail: 'injection',
      detail: 'inbox.read_message result gives new instructions: "IGNORE PREVIOUS <b>INSTRUCTIONS</b>"',
      callId: 'call-inj-1',
    },
  });
  await at('2026-11-02T16:03:00.000Z', {
    type: 'circuit.tripped',
    runId: 'run-t4',
    agentId: 'quoting',
    payload: { hop: 6, hopLimit: 5, chain: ['quoting', 'intake', 'quoting', 'intake', 'quoting', 'intake'] },
  });
  await at('2026-11-02T16:04:00.000Z', {
    type: 'sandbox.limit',
    runId: 'run-t5',
    agentId: 'quoting',
    payload: { limit: 'cpu', cpuMs: 1003, wallMs: 1180 },
  });
  const evalCase = (caseId: string, passed: boolean): NewEvent => ({
    type: 'eval.case',
    agentId: 'reconciliation',
    payload: {
      evalRunId: 'eval-3',
      suite: 'reconciliation',
      caseId,
      runId: `run-case-${caseId}`,
      grader: 'exact',
      passed,
      output: 'x',
      expected: passed ? 'x' : 'y',
      diff: passed ? [] : ['expected "y"'],
      latencyMs: 20,
      costUsd: 0,
    },
  });
  await at(
    '2026-11-02T17:00:00.000Z',
    evalCase('pay-small', true),
    evalCase('pay-large', false),
    evalCase('ignore-injection', false),
    {
      type: 'eval.run',
      agentId: 'reconciliation',
      payload: {
        evalRunId: 'eval-3',
        suite: 'reconciliation',
        total: 3,
        passed: 1,
        errored: 0,
        accuracy: 1 / 3,
        minAccuracy: 0.9,
        meanLatencyMs: 20,
        costUsd: 0,
        by: 'cli',
      },
    },
    {
      type: 'agent.suspended',
      agentId: 'reconciliation',
      payload: { reason: 'eval accuracy 33.3% is below the minimum 90.0%', evalRunId: 'eval-3' },
    },
  );
  await at(
    '2026-11-02T18:00:00.000Z',
    {
      type: 'manifest.changed',
      agentId: 'reconciliation',
      payload: { file: 'agents/reconciliation.yaml', sha256: 'b'.repeat(64) },
    },
    {
      type: 'prompt.changed',
      agentId: 'reconciliation',
      payload: {
        version: 2,
        sha256: 'c'.repeat(64),
        text: 'Pay only known payees.',
        by: 'cao',
        reason: 'tighter payees',
      },
    },
    { type: 'agent.resumed', agentId: 'reconciliation', payload: { by: 'cao', reason: 'prompt v2 fixes the suite' } },
  );
  // A handoff child (not a task, no cost) that ran with prompt v2.
  await at(
    '2026-11-02T19:00:00.000Z',
    {
      type: 'run.started',
      runId: 'run-c2',
      agentId: 'reconciliation',
      payload: { input: {}, parentRunId: 'run-t4', hop: 1, tier: 'reconciliation', unit: 'finance', promptVersion: 2 },
    },
    { type: 'run.finished', runId: 'run-c2', agentId: 'reconciliation', payload: { status: 'ok' } },
  );
  return ledger;
}

/** A checkpoint as the signer would make it, by hand: the report only states it. */
export function handMadeCheckpoint(size: number): SignedCheckpoint {
  return {
    origin: 'warden:0b6f3c1e-3a52-4f4c-9d0e-6a1c2b3d4e5f',
    size,
    rootHash: 'd'.repeat(64),
    time: '2026-11-03T08:00:00.000Z',
    signature: 'c2lnbmF0dXJlLW9mLXRoZS1jaGVja3BvaW50LWJ5LWhhbmQ=',
    publicKey: 'MCowBQYDK2VwAyEAaGFuZC1tYWRlLXB1YmxpYy1rZXktZm9yLXRlc3Rz',
    keyFingerprint: 'e'.repeat(64),
  };
}
