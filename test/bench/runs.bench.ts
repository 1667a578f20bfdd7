import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleApi } from '../../src/main/host/api/index.js';
import { openWarden } from '../../src/main/host/warden.js';
import { BENCH_AGENTS, benchLedger } from './bench-ledger.js';
import { otlpExportBenchmark } from './otlp.bench.js';
import { median, percentile, report } from './stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Live view's run list (`runs.page`) over a ledger of 1,000,000 events (about 125,000
 * runs), called through the console API as the server serves it: p50 and p99 of 200 calls
 * for a first page, filtered pages and deep pages, against the 5 ms target; then the Ledger
 * view's queries on the same ledger (pickers, pages without eval events, a date's seq).
 */
export async function runListBenchmarks(): Promise<void> {
  const bench = await benchLedger();
  if (bench.builtSeconds)
    report(`bench ledger build, ${bench.events.toLocaleString('en-US')} events`, bench.builtSeconds, 's', '-');
  const warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: bench.dir });
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
      // A smoke run's small ledger has fewer runs of each kind than a million events do.
      if (count >= 1_000_000 && rows(answer) < minRows)
        throw new Error(`${label}: expected ${minRows} rows, got ${rows(answer)}`);
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
      (i) => ({ limit: 100, agentId: BENCH_AGENTS[i % BENCH_AGENTS.length], status: 'error' }),
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
    bench.remove();
  }
}
