import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleApi } from '../../src/main/host/api/index.js';
import { openWarden } from '../../src/main/host/warden.js';
import { Ledger } from '../../src/main/ledger/index.js';
import type { NewEvent } from '../../src/shared/events.js';
import { otlpExportBenchmark } from './otlp.bench.js';
import { median, percentile, report } from './stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The agents of the benchmark ledger's runs: the demo roster's first four, and four more. */
export const AGENTS = ['intake', 'quoting', 'reconciliation', 'coordinator', 'a5', 'a6', 'a7', 'a8'];

/**
 * One run's events, 8 of them: started, two model calls, two tool calls, a log, and its end.
 * Every 29th run's second call fails, every 97th ends in error, every 211th is still waiting
 * on an approval (so it has no end), and one run in 5 is an eval run.
 */
function run(n: number): NewEvent[] {
  const runId = `run-${n}`;
  const agentId = AGENTS[n % AGENTS.length]!;
  const base = { runId, agentId };
  const model: NewEvent = {
    ...base,
    type: 'model.called',
    payload: { provider: 'scripted', model: 'demo', inputTokens: 400, outputTokens: 60, costUsd: 0.003, latencyMs: 2 },
  };
  const events: NewEvent[] = [
    {
      ...base,
      type: 'run.started',
      payload: {
        input: { task: `match payment ${n} to its invoice`, amountUsd: n % 5000 },
        hop: 0,
        tier: 'reconciliation',
        ...(n % 5 === 0 ? { eval: { evalRunId: `ev-${Math.floor(n / 500)}`, caseId: `c${n}` } } : {}),
      },
    },
    model,
    { ...base, type: 'tool.result', payload: { callId: `c1-${n}`, ok: true, latencyMs: 3 } },
    model,
    { ...base, type: 'run.log', payload: { level: 'info', message: `run ${n} posted its entry` } },
  ];
  if (n % 211 === 0) {
    events.push({
      ...base,
      type: 'approval.requested',
      payload: {
        approvalId: `apr-${n}`,
        callId: `c2-${n}`,
        server: 'books',
        tool: 'post_payment',
        args: {},
        argsSha256: 'a'.repeat(64),
        rule: 'approve-band',
        reason: 'between $1,000 and $10,000',
        expiresAt: '2099-01-01T00:00:00.000Z',
      },
    });
    return events;
  }
  events.push(
    n % 29 === 0
      ? {
          ...base,
          type: 'tool.result',
          payload: { callId: `c2-${n}`, ok: false, latencyMs: 3, error: { code: 'E_MCP_TOOL', message: 'no match' } },
        }
      : { ...base, type: 'tool.result', payload: { callId: `c2-${n}`, ok: true, latencyMs: 3 } },
    { ...base, type: 'run.finished', payload: { status: n % 97 === 0 ? 'error' : 'ok', output: 'x' } },
  );
  return events;
}

/**
 * The Live view's run list (`runs.page`) over a ledger of 1,000,000 events (about 125,000
 * runs), called through the console API as the server serves it: p50 and p99 of 200 calls
 * for a first page, filtered pages and deep pages, against the 5 ms target; then the Ledger
 * view's queries on the same ledger (pickers, pages without eval events, a date's seq).
 */
export async function runListBenchmarks(): Promise<void> {
  const { dir, kept } = await benchLedger();
  const warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: dir });
  const api = consoleApi(warden);
  const count = warden.ledger.reader.head()!.seq;
  /** p50 and p99 of 200 calls of a method, each answer checked to hold at least `minRows` rows. */
  const measureMethod = async (
    method: 'runs.page' | 'ledger.page' | 'ledger.facets' | 'ledger.seqAt',
    label: string,
    params: (i: number) => object,
    rows: (answer: never) => number,
    minRows: number,
  ) => {
    // Warmed up first: the first call of each kind prepares its statement.
    for (let i = 0; i < 5; i++) await api.call(method, params(i), 'console');
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      const answer = (await api.call(method, params(i), 'console')) as never;
      times.push(performance.now() - t);
      if (rows(answer) < minRows) throw new Error(`${label}: expected ${minRows} rows, got ${rows(answer)}`);
    }
    report(`${method} ${label}, p50`, median(times), 'ms', '-');
    report('  same, p99', percentile(times, 99), 'ms', '<= 5');
  };
  const measure = (label: string, params: (i: number) => object, minRows: number) =>
    measureMethod('runs.page', label, params, (page: { runs: unknown[] }) => page.runs.length, minRows);
  const events = (page: { events: unknown[] }) => page.events.length;
  const spread = (i: number) => 2 + ((i * 7919) % (count - 1_000)) + 1_000;
  try {
    await measure('first page of 100 work runs', () => ({ limit: 100, eval: false }), 100);
    await measure('first page of 100, all runs', () => ({ limit: 100 }), 100);
    await measure(
      'one agent, ended in error, 100',
      (i) => ({ limit: 100, agentId: AGENTS[i % AGENTS.length], status: 'error' }),
      100,
    );
    // Opening Warden interrupted the runs left waiting (no process owns them): a rare state.
    await measure('interrupted (1 run in 211), 100', () => ({ limit: 100, status: 'interrupted' }), 100);
    await measure(
      'deep page of 100 work runs (before a seq spread over the ledger)',
      (i) => ({ limit: 100, eval: false, beforeSeq: spread(i) }),
      50,
    );
    // The Ledger view: its pickers, its eval toggle and its jump to a date.
    await measureMethod(
      'ledger.facets',
      'agents and types',
      () => ({}),
      (f: { agents: unknown[] }) => f.agents.length,
      1,
    );
    await measureMethod(
      'ledger.page',
      'first page of 200, eval events hidden',
      () => ({ limit: 200, eval: false }),
      events,
      200,
    );
    await measureMethod(
      'ledger.page',
      'deep page of 200, eval events hidden',
      (i) => ({ limit: 200, eval: false, beforeSeq: spread(i) }),
      events,
      100,
    );
    const first = Date.parse(warden.ledger.reader.get(1)!.ts);
    const last = Date.parse(warden.ledger.reader.get(count)!.ts);
    await measureMethod(
      'ledger.seqAt',
      'a date spread over the ledger',
      (i) => ({ ts: new Date(first + ((i * 7919) % 1000) * ((last - first) / 1000)).toISOString() }),
      (found: { seq: number | null }) => (found.seq === null ? 0 : 1),
      1,
    );
    await otlpExportBenchmark(warden.ledger);
  } finally {
    api.close();
    await warden.close();
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The data folder of a ledger of a million events of runs: built in a temporary folder, or in
 * the one WARDEN_BENCH_LEDGER names, kept there and reused (building takes minutes).
 */
export async function benchLedger(): Promise<{ dir: string; kept: boolean }> {
  const kept = process.env.WARDEN_BENCH_LEDGER;
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'warden-bench-runs-'));
  if (!kept || !existsSync(join(dir, 'ledger.db'))) await build(dir);
  return { dir, kept: kept !== undefined };
}

/** Writes a ledger of a million events of runs into a data folder. */
async function build(dir: string): Promise<void> {
  let now = Date.parse('2026-09-01T00:00:00.000Z');
  const ledger = Ledger.open(dir, { clock: () => new Date((now += 20)) });
  const built = performance.now();
  let batch: NewEvent[] = [];
  for (let n = 1; ; n++) {
    batch.push(...run(n));
    if (batch.length >= 10_000) {
      await ledger.appendMany(batch);
      batch = [];
      if (ledger.reader.head()!.seq >= 1_000_000) break;
    }
  }
  const count = ledger.reader.head()!.seq;
  report(
    `run list ledger build (triggers on), ${count.toLocaleString('en-US')} events`,
    count / ((performance.now() - built) / 1000),
    'events/s',
    '-',
  );
  ledger.close();
}
