import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEDGER_FILE, Ledger } from '../../src/main/ledger/index.js';
import type { NewEvent } from '../../src/shared/events.js';

/** The agents the benchmark runs belong to: the demo roster's four, and four more. */
export const BENCH_AGENTS = ['intake', 'quoting', 'reconciliation', 'coordinator', 'a5', 'a6', 'a7', 'a8'];

/**
 * Names the shape of the events `benchRun` writes: a cached ledger built by another version
 * is built again. Change it whenever `benchRun` changes.
 */
const BENCH_LEDGER_VERSION = 'runs-v1';

/** How many events a benchmark's ledger holds: a million, or WARDEN_BENCH_EVENTS for a quick check. */
export function benchEventCount(): number {
  const wanted = process.env.WARDEN_BENCH_EVENTS;
  if (wanted === undefined) return 1_000_000;
  const n = Number(wanted);
  if (!Number.isInteger(n) || n < 1_000)
    throw new Error(`WARDEN_BENCH_EVENTS must be a whole number of events, at least 1000 (got "${wanted}")`);
  return n;
}

/**
 * One run's events, 8 of them: started, two model calls, two tool calls, a log, and its end.
 * Every 29th run's second call fails, every 97th ends in error, every 211th is still waiting
 * on an approval (so it has no end), and one run in 5 is an eval run.
 */
export function benchRun(n: number, runId = `run-${n}`): NewEvent[] {
  const agentId = BENCH_AGENTS[n % BENCH_AGENTS.length]!;
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
        approvalId: `apr-${runId}`,
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
 * Writes at least `count` events of whole runs into the ledger of a data folder, 10,000 to a
 * transaction, 20 ms apart from 2026-09-01 on. Returns the events written and how long it took.
 */
export async function writeBenchLedger(dir: string, count: number): Promise<{ events: number; seconds: number }> {
  let now = Date.parse('2026-09-01T00:00:00.000Z');
  const ledger = Ledger.open(dir, { clock: () => new Date((now += 20)) });
  const started = performance.now();
  try {
    let batch: NewEvent[] = [];
    let written = 0;
    for (let n = 1; written < count; n++) {
      batch.push(...benchRun(n));
      if (batch.length >= 10_000 || written + batch.length >= count) {
        await ledger.appendMany(batch);
        written += batch.length;
        batch = [];
      }
    }
    return { events: written, seconds: (performance.now() - started) / 1000 };
  } finally {
    ledger.close();
  }
}

/** A data folder holding a bench ledger of its own, and how it came to be. */
export interface BenchLedger {
  dir: string;
  events: number;
  /** Seconds spent building the cached ledger in this run; 0 when it came from the cache. */
  builtSeconds: number;
  /** Removes the folder. */
  remove(): void;
}

/**
 * A fresh data folder holding a bench ledger of `count` events. The ledger is built once into
 * the temp folder (keyed by `BENCH_LEDGER_VERSION` and the count) and copied for each caller, since
 * opening Warden on it and appending change it. WARDEN_BENCH_LEDGER=DIR caches it in DIR instead.
 */
export async function benchLedger(count = benchEventCount()): Promise<BenchLedger> {
  const cache =
    process.env.WARDEN_BENCH_LEDGER ?? join(tmpdir(), `warden-bench-ledger-${BENCH_LEDGER_VERSION}-${count}`);
  let builtSeconds = 0;
  let events = 0;
  if (!existsSync(join(cache, LEDGER_FILE))) {
    // Built beside the cache and renamed into place, so a build cut short leaves no half ledger.
    const building = mkdtempSync(`${cache}.building-`);
    const built = await writeBenchLedger(building, count);
    builtSeconds = built.seconds;
    events = built.events;
    rmSync(cache, { recursive: true, force: true });
    renameSync(building, cache);
  }
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  cpSync(cache, dir, { recursive: true });
  if (!events) {
    const ledger = Ledger.open(dir);
    events = ledger.reader.head()?.seq ?? 0;
    ledger.close();
  }
  return { dir, events, builtSeconds, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
