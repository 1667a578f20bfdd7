import type { Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameDeltas } from './page-probe.js';
import { report, reportPercentiles } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The rate the live view is measured at, events a second. */
const RATE = 2_000;
/** How long the stream runs before frames are counted: the live buffer fills, the first runs end. */
const WARM_UP_MS = 5_000;

/**
 * A second process appending whole runs to the data folder at RATE events a second
 * (append-runs.ts), so the appends do not hold up this process's server and browser driver.
 */
function appendRuns(dir: string): { stop(): Promise<{ written: number; seconds: number }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'append-runs.ts'), dir, String(RATE)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(out) as { written: number; seconds: number };
    },
  };
}

/**
 * The page on screen (the Live view) while the server's ledger grows by RATE events a second:
 * frame times over `ms`, and the page's JS heap after a forced GC before the stream, after its
 * warm-up, and at the end (flat is the target).
 */
export async function liveUnderLoad(page: Page, dataDir: string, ms: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize / 2 ** 20;
  };
  const before = await heap();
  const appender = appendRuns(dataDir);
  await new Promise((r) => setTimeout(r, WARM_UP_MS));
  const warm = await heap();
  const frames = await frameDeltas(page, ms);
  const end = await heap();
  const { written, seconds } = await appender.stop();
  await cdp.detach();
  report(
    `live view: events appended a second (${written.toLocaleString('en-US')} in all)`,
    written / seconds,
    'ev/s',
    `${RATE}`,
  );
  reportPercentiles(`live view at ${RATE} events/s for ${ms / 1000} s, frame`, frames, 'ms', { p95: '<= 33' });
  report('  page JS heap after GC, before the stream', before, 'MiB', '-');
  report(`  same, after ${WARM_UP_MS / 1000} s of it`, warm, 'MiB', '-');
  report(`  same, ${ms / 1000} s later`, end, 'MiB', 'flat');
}
