import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/main/ledger/index.js';
import type { NewEvent } from '../../src/shared/events.js';
import { median, percentile, report } from './stats.js';

/**
 * Event i of appender a: each appender is an agent working through runs of 50 events, the
 * way concurrent runs write (a run's events share its id, so they share index pages).
 */
function event(i: number, a = i % 8): NewEvent {
  return {
    type: 'tool.requested',
    runId: `run-${a}-${Math.floor(i / 50)}`,
    agentId: `agent-${a % 12}`,
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
      for (let i = 0; i < perAppender; i++) await ledger.append(event(a * perAppender + i, a));
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

  // The same 8 appenders, each keeping 16 appends in flight (a run that writes several events
  // before it needs the first one durable): what group commit does when it has work to group.
  const pipelinedStart = performance.now();
  const before = { ...ledger.writeStats };
  await Promise.all(
    Array.from({ length: 8 }, async (_, a) => {
      for (let i = 0; i < perAppender; i += 16) {
        await Promise.all(Array.from({ length: 16 }, (_, k) => ledger.append(event(a * perAppender + i + k, a))));
      }
    }),
  );
  const pipelined = (8 * perAppender) / ((performance.now() - pipelinedStart) / 1000);
  report('  same, each appender with 16 appends in flight', pipelined, 'events/s', '-');
  report(
    '    events per transaction (mean)',
    (ledger.writeStats.events - before.events) / (ledger.writeStats.groups - before.groups),
    'events',
    '-',
  );

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
    await ledger.appendMany(Array.from({ length: batch }, (_, k) => event(i + k, k % 8)));
  }
  const buildSeconds = (performance.now() - buildStart) / 1000;
  report('ledger build, 1,000,000 events in batches of 10,000', total / buildSeconds, 'events/s', '-');

  const verifyTimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const result = await ledger.verify();
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

/**
 * The floor under every append: one WAL commit of one row with synchronous=FULL, i.e. this
 * disk's fsync. Closed-loop appenders can go no faster than (appenders / this).
 */
function commitFloor(): void {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const db = new Database(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)');
  const insert = db.prepare('INSERT INTO t (b) VALUES (?)');
  const times: number[] = [];
  for (let i = 0; i < 1_000; i++) {
    const t = performance.now();
    insert.run('x'.repeat(200));
    times.push(performance.now() - t);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  report("bare SQLite commit with fsync (this disk's floor), p50", median(times), 'ms', '-');
}

/** Runs the ledger benchmarks. */
export async function ledgerBenchmarks(): Promise<void> {
  commitFloor();
  await appendThroughput();
  await bigLedger();
}
