import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Ledger } from '../../src/main/ledger/index.js';
import { tempDir } from '../helpers/temp.js';
import { benchEventCount, benchLedger, benchRun } from './bench-ledger.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((c) => c());
  delete process.env.WARDEN_BENCH_LEDGER;
  delete process.env.WARDEN_BENCH_EVENTS;
});

describe('the benchmark ledger', () => {
  it('holds the events asked for, in whole runs, on a chain that verifies, built once and copied after', async () => {
    const cache = tempDir('warden-bench-cache-');
    cleanups.push(cache.cleanup);
    process.env.WARDEN_BENCH_LEDGER = join(cache.dir, 'ledger');
    const first = await benchLedger(2_000);
    cleanups.push(first.remove);
    // Whole runs of 8 events (or 6, left waiting on an approval): at most one run past the count.
    expect(first.events).toBeGreaterThanOrEqual(2_000);
    expect(first.events).toBeLessThan(2_008);
    expect(first.builtSeconds).toBeGreaterThan(0);
    const ledger = Ledger.open(first.dir);
    try {
      const report = await ledger.verify();
      expect(report.ok).toBe(true);
      expect(report.checked).toBe(first.events);
      const runs = ledger.reader.page({ type: 'run.started', limit: 500 }).events;
      let written = 0;
      for (let sum = 0; sum < first.events;) sum += benchRun(++written).length;
      expect(runs.length).toBe(written);
      expect(new Set(runs.map((e) => e.runId)).size).toBe(written);
    } finally {
      ledger.close();
    }
    const second = await benchLedger(2_000);
    cleanups.push(second.remove);
    expect(second.builtSeconds).toBe(0);
    expect(second.events).toBe(first.events);
    expect(second.dir).not.toBe(first.dir);
  });

  it('takes its size from WARDEN_BENCH_EVENTS, and names that variable when it is not a count', () => {
    expect(benchEventCount()).toBe(1_000_000);
    process.env.WARDEN_BENCH_EVENTS = '20000';
    expect(benchEventCount()).toBe(20_000);
    process.env.WARDEN_BENCH_EVENTS = 'lots';
    expect(() => benchEventCount()).toThrow(/WARDEN_BENCH_EVENTS must be a whole number/);
  });
});
