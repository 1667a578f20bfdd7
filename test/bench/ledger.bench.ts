import { rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/main/ledger/index.js';
import type { NewEvent } from '../../src/shared/events.js';
import { median, percentile, report } from './stats.js';

function event(i: number): NewEvent {
  return {
    type: 'tool.requested',
    runId: `run-${i % 5000}`,
    agentId: `agent-${i % 12}`,
    payload: {
      callId: `c${i}`,
      server: 'erp',
      tool: 'post_entry',
      args: { invoice: `INV-${i}`, amount: (i % 997) * 13.5, memo: 'reconciled against bank line' },
    },
  };
}

/** 8 appenders, each awaiting its append before the next: the shape of 8 concurrent runs. */
async function appendThroughput(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const ledger = Ledger.open(dir);
  const perAppender = 5_000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, a) => {
      for (let i = 0; i < perAppender; i++) await ledger.append(event(a * perAppender + i));
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const stats = ledger.writeStats;
  report(
    'ledger append, 8 concurrent appenders (FULL, group commit)',
    (8 * perAppender) / seconds,
    'events/s',
    '>= 20,000',
  );
  report('  events per transaction (mean)', stats.events / stats.groups, 'events', '-');

  const latencies: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    const t = performance.now();
    await ledger.append(event(i));
    latencies.push(performance.now() - t);
  }
  report('ledger append, one awaited append, p50', median(latencies), 'ms', '-');
  report('ledger append, one awaited append, p99', percentile(latencies, 99), 'ms', '-');
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
}

/** A ledger of 1,000,000 events: verify it, and page at seq 900,000. */
async function bigLedger(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const ledger = Ledger.open(dir);
  const total = 1_000_000;
  const batch = 10_000;
  const buildStart = performance.now();
  for (let i = 0; i < total; i += batch) {
    await ledger.appendMany(Array.from({ length: batch }, (_, k) => event(i + k)));
  }
  const buildSeconds = (performance.now() - buildStart) / 1000;
  report('ledger build, 1,000,000 events in batches of 10,000', total / buildSeconds, 'events/s', '-');

  const verifyTimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const result = ledger.verify();
    verifyTimes.push(performance.now() - t);
    if (!result.ok || result.checked !== total) throw new Error('verify failed on an untouched ledger');
  }
  report(
    'ledger verify, 1,000,000 events (median of 3)',
    total / (median(verifyTimes) / 1000),
    'events/s',
    '>= 400,000',
  );

  const pageTimes: number[] = [];
  for (let r = 0; r < 1_000; r++) {
    const t = performance.now();
    const page = ledger.reader.page({ afterSeq: 900_000 + (r % 100), limit: 100 });
    pageTimes.push(performance.now() - t);
    if (page.events.length !== 100) throw new Error('short page');
  }
  report('keyset page of 100 at seq 900,000 of 1,000,000, p50', median(pageTimes), 'ms', '<= 1');
  const filtered: number[] = [];
  for (let r = 0; r < 200; r++) {
    const t = performance.now();
    ledger.reader.page({ agentId: 'agent-7', afterSeq: 900_000, limit: 100 });
    filtered.push(performance.now() - t);
  }
  report('  same, filtered by agent, p50', median(filtered), 'ms', '-');
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Runs the ledger benchmarks. */
export async function ledgerBenchmarks(): Promise<void> {
  await appendThroughput();
  await bigLedger();
}
