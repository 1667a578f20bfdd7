import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleApi, type ConsoleApi } from '../../src/main/host/api/index.js';
import { openWarden, type Warden } from '../../src/main/host/warden.js';
import type { NewEvent } from '../../src/shared/events.js';
import { BENCH_AGENTS as AGENTS, benchLedger } from './bench-ledger.js';
import { median, percentile, report } from './stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CALLS = 200;

/**
 * Every query the console makes, called through the console API as the server serves it, on
 * a ledger of 1,000,000 events (the run list's benchmark ledger, with suite runs, prompt
 * versions, holds and decided approvals added): p50 and p99 of 200 calls each, against the
 * 5 ms p99 target at the server. `ledger.verify` walks the whole chain (in worker threads):
 * it is timed once, and how long it holds the event loop is printed beside it.
 */
export async function queryBenchmarks(): Promise<void> {
  const bench = await benchLedger();
  const dir = bench.dir;
  const opened = performance.now();
  const warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: dir });
  report('open Warden on the ledger (migrations, recovery)', performance.now() - opened, 'ms', '-');
  const api = consoleApi(warden);
  // p99 on a shared machine is other processes' time as much as ours: the load says how busy it was.
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${cpus().length} cores`,
  );
  try {
    await addGovernance(warden);
    await measureAll(api, warden);
    await measureVerify(api);
  } finally {
    api.close();
    await warden.close();
    bench.remove();
  }
}

async function measureAll(api: ConsoleApi, warden: Warden): Promise<void> {
  const head = warden.ledger.reader.head()!.seq;
  const spread = (i: number) => 1_000 + ((i * 7919) % (head - 2_000));
  const someRun = (i: number) => `run-${1 + ((i * 613) % 120_000)}`;
  const agent = (i: number) => AGENTS[i % 4]!;
  const evalRunId = (
    warden.ledger.reader.page({ agentId: 'reconciliation', type: 'eval.run', order: 'desc', limit: 1 }).events[0]!
      .payload as { evalRunId: string }
  ).evalRunId;
  const day = (i: number) => new Date(Date.parse('2026-09-01T00:00:00.000Z') + (i % 30) * 3_600_000).toISOString();
  const queries: [string, string, (i: number) => object][] = [
    ['roster.list', 'roster.list', () => ({})],
    ['roster.organisation', 'roster.organisation', () => ({})],
    ['runs.page first page of 100', 'runs.page', () => ({ limit: 100 })],
    [
      'runs.page one agent, work, deep',
      'runs.page',
      (i) => ({ limit: 100, agentId: agent(i), eval: false, beforeSeq: spread(i) }),
    ],
    ['run.trajectory', 'run.trajectory', (i) => ({ runId: someRun(i) })],
    ['ledger.page latest 100', 'ledger.page', () => ({ order: 'desc', limit: 100 })],
    ['ledger.page deep page of 100', 'ledger.page', (i) => ({ order: 'desc', limit: 100, beforeSeq: spread(i) })],
    ['ledger.page one agent', 'ledger.page', (i) => ({ agentId: agent(i), order: 'desc', limit: 100 })],
    ['ledger.page one type', 'ledger.page', () => ({ type: 'run.finished', order: 'desc', limit: 100 })],
    ['ledger.page rare type', 'ledger.page', () => ({ type: 'prompt.changed', order: 'desc', limit: 100 })],
    [
      'ledger.page one agent, rare type',
      'ledger.page',
      (i) => ({ agentId: agent(i), type: 'eval.run', order: 'desc', limit: 100 }),
    ],
    ['ledger.page one run', 'ledger.page', (i) => ({ runId: someRun(i), order: 'asc', limit: 100 })],
    ['ledger.page from a time', 'ledger.page', (i) => ({ from: day(i), order: 'asc', limit: 100 })],
    [
      'ledger.page an hour, one type',
      'ledger.page',
      (i) => ({ from: day(i), to: day(i + 1), type: 'run.log', limit: 100 }),
    ],
    ['approvals.list pending', 'approvals.list', () => ({ state: 'pending' })],
    ['approvals.list decided', 'approvals.list', () => ({ state: 'decided' })],
    ['ledger.checkpoint latest', 'ledger.checkpoint', () => ({ sign: false })],
    ['ledger.proof', 'ledger.proof', (i) => ({ seq: spread(i) })],
    ['evals.overview', 'evals.overview', () => ({})],
    ['evals.cases', 'evals.cases', () => ({ agentId: 'reconciliation', evalRunId, failedOnly: false })],
    [
      'kpis.report, 30 days by agent',
      'kpis.report',
      () => ({ from: '2026-08-15T00:00:00.000Z', to: '2026-09-14T00:00:00.000Z', by: 'agent' }),
    ],
    [
      'kpis.report, partial days by unit',
      'kpis.report',
      () => ({ from: '2026-09-01T03:30:00.000Z', to: '2026-09-01T05:00:00.000Z', by: 'unit' }),
    ],
    ['prompts.history', 'prompts.history', (i) => ({ agentId: agent(i) })],
    ['providers.list', 'providers.list', () => ({})],
    ['tools.flagged', 'tools.flagged', () => ({})],
  ];
  // A checkpoint to read (signing one reads the tree: O(log n)).
  await api.call('ledger.checkpoint', { sign: true }, 'bench');
  for (const [label, method, params] of queries) {
    for (let i = 0; i < 5; i++) await api.call(method, params(i), 'bench');
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      await api.call(method, params(i), 'bench');
      times.push(performance.now() - t);
    }
    report(`${label}, p50`, median(times), 'ms', '-');
    report('  same, p99', percentile(times, 99), 'ms', '<= 5');
  }
}

/** The chain's check: once, with the longest the event loop went without a turn meanwhile. */
async function measureVerify(api: ConsoleApi): Promise<void> {
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const t = performance.now();
  await api.call('ledger.verify', {}, 'bench');
  const took = performance.now() - t;
  clearInterval(ticker);
  report('ledger.verify, whole chain', took, 'ms', '-');
  report('  longest the event loop was held meanwhile', longest, 'ms', '<= 5');
}

/**
 * What the run list's ledger lacks and the console reads: for four agents, 20 suite runs of
 * 25 cases each, 5 prompt versions, 10 approval requests, a pause and a resume; and decisions
 * on half the requests still pending. Added once to a kept ledger.
 */
async function addGovernance(warden: Warden): Promise<void> {
  const { ledger } = warden;
  if (ledger.reader.page({ type: 'eval.run', limit: 1 }).events.length > 0) return;
  const events: NewEvent[] = [];
  for (const agentId of AGENTS.slice(0, 4)) {
    for (let s = 0; s < 20; s++) {
      const evalRunId = `bench-${agentId}-${s}`;
      for (let c = 0; c < 25; c++) {
        events.push({
          type: 'eval.case',
          agentId,
          payload: {
            evalRunId,
            suite: `${agentId}-golden`,
            caseId: `case-${c}`,
            runId: `${evalRunId}-${c}`,
            grader: 'exact',
            passed: c % 7 !== 0,
            output: 'x',
            expected: 'x',
            diff: [],
            latencyMs: 40,
            costUsd: 0.01,
          },
        });
      }
      events.push({
        type: 'eval.run',
        agentId,
        payload: {
          evalRunId,
          suite: `${agentId}-golden`,
          total: 25,
          passed: 21,
          accuracy: 0.84,
          errored: 0,
          minAccuracy: 0.8,
          meanLatencyMs: 40,
          costUsd: 0.25,
          by: 'bench',
        },
      });
    }
    for (let v = 1; v <= 5; v++)
      events.push({
        type: 'prompt.changed',
        agentId,
        payload: {
          version: v,
          sha256: 'b'.repeat(64),
          text: `You are ${agentId}, version ${v}.`,
          by: 'bench',
          reason: 'tuning',
        },
      });
    for (let q = 0; q < 10; q++)
      events.push({
        type: 'approval.requested',
        agentId,
        runId: `run-${1 + q * AGENTS.length + AGENTS.indexOf(agentId)}`,
        payload: {
          approvalId: `apr-bench-${agentId}-${q}`,
          callId: `call-bench-${q}`,
          server: 'books',
          tool: 'post_payment',
          args: { amountUsd: 4200 },
          argsSha256: 'a'.repeat(64),
          rule: 'approve-band',
          reason: 'between $1,000 and $10,000',
          expiresAt: '2099-01-01T00:00:00.000Z',
        },
      });
    events.push({ type: 'agent.paused', agentId, payload: { by: 'bench' } });
    events.push({ type: 'agent.resumed', agentId, payload: { by: 'bench' } });
  }
  await ledger.appendMany(events);
  const pending = warden.approvals.pending();
  for (const a of pending.slice(0, Math.floor(pending.length / 2)))
    await warden.approvals.decide({ approvalId: a.approvalId, decision: 'rejected', by: 'bench', reason: 'bench' });
}
