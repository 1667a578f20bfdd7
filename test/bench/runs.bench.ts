import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleApi } from '../../src/main/host/api/index.js';
import { openWarden } from '../../src/main/host/warden.js';
import { BENCH_AGENTS, benchLedger } from './bench-ledger.js';
import { median, percentile, report } from './stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Live view's run list (`runs.page`) over a ledger of 1,000,000 events (about 125,000
 * runs), called through the console API as the server serves it: p50 and p99 of 200 calls
 * for a first page, filtered pages and deep pages, against the 5 ms target.
 */
export async function runListBenchmarks(): Promise<void> {
  const bench = await benchLedger();
  if (bench.builtSeconds)
    report(`bench ledger build, ${bench.events.toLocaleString('en-US')} events`, bench.builtSeconds, 's', '-');
  const warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: bench.dir });
  const api = consoleApi(warden);
  const count = warden.ledger.reader.head()!.seq;
  type Page = { runs: { seq: number }[]; nextKey: number | null };
  const measure = async (label: string, params: (i: number) => object, minRows: number) => {
    // Warmed up first: the first call of each kind prepares its statement.
    for (let i = 0; i < 5; i++) await api.call('runs.page', params(i), 'console');
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      const page = (await api.call('runs.page', params(i), 'console')) as Page;
      times.push(performance.now() - t);
      // A smoke run's small ledger has fewer runs of each kind than a million events do.
      if (count >= 1_000_000 && page.runs.length < minRows)
        throw new Error(`${label}: expected ${minRows} runs, got ${page.runs.length}`);
    }
    report(`runs.page ${label}, p50`, median(times), 'ms', '-');
    report('  same, p99', percentile(times, 99), 'ms', '<= 5');
  };
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
      (i) => ({ limit: 100, eval: false, beforeSeq: 2 + ((i * 7919) % (count - 1_000)) + 1_000 }),
      50,
    );
  } finally {
    api.close();
    await warden.close();
    bench.remove();
  }
}
