import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ledger } from '../../src/main/ledger/index.js';
import { exportOtlp } from '../../src/main/trace/otlp-export.js';
import { report } from './stats.js';

/**
 * `ledger export --format otlp` of a whole ledger: how fast it writes traces, and how far the
 * heap grows meanwhile (sampled whenever the export waits for the disk), which stays near one
 * trace's worth however many runs the ledger holds.
 */
export async function otlpExportBenchmark(ledger: Ledger): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-otlp-'));
  try {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const started = performance.now();
    const summary = await exportOtlp(ledger, join(dir, 'traces.jsonl'), {});
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    report(`otlp export, ${summary.traces.toLocaleString('en-US')} traces`, summary.traces / seconds, 'traces/s', '-');
    report('  same, file size', statSync(summary.file).size / 2 ** 20, 'MiB', '-');
    report('  same, heap growth at its peak', (peak - before) / 2 ** 20, 'MiB', 'flat (one trace)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
