import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollingAccuracy } from '../../src/main/evals/accuracy.js';
import { kpiReport } from '../../src/main/kpis/kpis.js';
import { Ledger } from '../../src/main/ledger/index.js';
import type { NewEvent } from '../../src/shared/events.js';
import { median, report } from './stats.js';

const AGENTS = [
  ['coordinator', 'coordinator', 'operations'],
  ['intake', 'ingestion', 'operations'],
  ['quoting', 'negotiation', 'sales'],
  ['reconciliation', 'reconciliation', 'finance'],
  ['payables', 'reconciliation', 'finance'],
  ['collections', 'negotiation', 'finance'],
  ['support', 'ingestion', 'sales'],
  ['procurement', 'negotiation', 'operations'],
] as const;
const DAYS = 60;
const DAY_MS = 86_400_000;

/** One task of 8 events: started, two model calls, a tool call decided and answered, maybe an approval, finished. */
function task(n: number): NewEvent[] {
  const [agentId, tier, unit] = AGENTS[n % AGENTS.length]!;
  const runId = `run-t${n}`;
  const model: NewEvent = {
    type: 'model.called',
    runId,
    agentId,
    payload: { provider: 'scripted', model: 'demo', inputTokens: 800, outputTokens: 120, costUsd: 0.004, latencyMs: 3 },
  };
  const asks = n % 7 === 0;
  return [
    { type: 'run.started', runId, agentId, payload: { input: { n }, hop: 0, tier, unit } },
    model,
    {
      type: 'tool.requested',
      runId,
      agentId,
      payload: { callId: `call-${n}`, server: 'books', tool: 'get_invoice', args: { n } },
    },
    {
      type: 'policy.decided',
      runId,
      agentId,
      payload: { callId: `call-${n}`, decision: asks ? 'ask' : 'allow', rule: 'auto', reason: 'under $1,000' },
    },
    asks
      ? {
          type: 'approval.requested',
          runId,
          agentId,
          payload: {
            approvalId: `appr-${n}`,
            callId: `call-${n}`,
            server: 'books',
            tool: 'post_payment',
            args: { n },
            argsSha256: 'a'.repeat(64),
            rule: 'approve-band',
            reason: 'between $1,000 and $10,000',
            expiresAt: '2030-01-01T00:00:00.000Z',
          },
        }
      : {
          type: 'tool.result',
          runId,
          agentId,
          payload: { callId: `call-${n}`, ok: true, result: { n }, latencyMs: 2 },
        },
    model,
    { type: 'run.log', runId, agentId, payload: { level: 'info', message: 'done' } },
    { type: 'run.finished', runId, agentId, payload: { status: n % 11 === 0 ? 'error' : 'ok' } },
  ];
}

/** One eval case of 4 events: the case run started and finished, its model call, its grade. */
function evalCase(n: number): NewEvent[] {
  const [agentId, tier, unit] = AGENTS[n % AGENTS.length]!;
  const runId = `run-e${n}`;
  const evalRunId = `eval-${Math.floor(n / 100)}`;
  return [
    {
      type: 'run.started',
      runId,
      agentId,
      payload: { input: {}, hop: 0, tier, unit, eval: { evalRunId, caseId: `c${n}` } },
    },
    {
      type: 'model.called',
      runId,
      agentId,
      payload: {
        provider: 'scripted',
        model: 'demo',
        inputTokens: 500,
        outputTokens: 50,
        costUsd: 0.002,
        latencyMs: 2,
      },
    },
    { type: 'run.finished', runId, agentId, payload: { status: 'ok', output: 'x' } },
    {
      type: 'eval.case',
      agentId,
      payload: {
        evalRunId,
        suite: agentId,
        caseId: `c${n}`,
        runId,
        grader: 'exact',
        passed: n % 23 !== 0,
        output: 'x',
        expected: 'x',
        diff: [],
        latencyMs: 12,
        costUsd: 0.002,
      },
    },
  ];
}

/**
 * KPIs and rolling accuracy over a ledger of 1,000,000 events (80,000 tasks and 90,000 eval
 * cases over 60 days, 8 agents): each query's median of 20, against the 200 ms target.
 */
export async function kpiBenchmarks(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-kpis-'));
  const end = Date.parse('2026-11-01T00:00:00.000Z');
  const start = end - DAYS * DAY_MS;
  const tasks = 80_000;
  const cases = 90_000;
  const units = tasks + cases;
  let now = new Date(start);
  const ledger = Ledger.open(dir, { clock: () => now });
  const built = performance.now();
  let batch: NewEvent[] = [];
  for (let i = 0; i < units; i++) {
    now = new Date(start + Math.floor((i / units) * DAYS * DAY_MS));
    // Interleaved: a task for every eval case, roughly, as a working roster produces them.
    batch.push(...(i % 17 < 8 ? task(i) : evalCase(i)));
    if (batch.length >= 10_000) {
      await ledger.appendMany(batch);
      batch = [];
    }
  }
  await ledger.appendMany(batch);
  const count = ledger.reader.head()!.seq;
  report(
    `kpi ledger build (triggers on), ${count.toLocaleString('en-US')} events`,
    count / ((performance.now() - built) / 1000),
    'events/s',
    '-',
  );

  const time = (fn: () => unknown) => {
    const samples: number[] = [];
    for (let r = 0; r < 20; r++) {
      const t = performance.now();
      fn();
      samples.push(performance.now() - t);
    }
    return median(samples);
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const last30 = { from: iso(end - 30 * DAY_MS), to: iso(end) };
  const all = { from: iso(start), to: iso(end + DAY_MS) };
  const check = kpiReport(ledger, { ...all, by: 'agent' });
  if (check.total.tasks < 40_000) throw new Error(`expected the tasks in the report, got ${check.total.tasks}`);
  report(
    'kpis by agent, last 30 days, median',
    time(() => kpiReport(ledger, { ...last30, by: 'agent' })),
    'ms',
    '<= 200',
  );
  report(
    'kpis by tier, last 30 days, median',
    time(() => kpiReport(ledger, { ...last30, by: 'tier' })),
    'ms',
    '<= 200',
  );
  // A period a person picks ends now, mid-day: its first and last days are read from the runs.
  const midDay = { from: iso(end - 30 * DAY_MS - 5 * 3_600_000), to: iso(end - 5 * 3_600_000) };
  report(
    'kpis by agent, 30 days from mid-day, median',
    time(() => kpiReport(ledger, { ...midDay, by: 'agent' })),
    'ms',
    '<= 200',
  );
  report(
    'kpis by unit, all 60 days, median',
    time(() => kpiReport(ledger, { ...all, by: 'unit' })),
    'ms',
    '<= 200',
  );
  report(
    'rolling accuracy, 14 days, median',
    time(() => rollingAccuracy(ledger, new Date(end))),
    'ms',
    '<= 200',
  );
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
}
