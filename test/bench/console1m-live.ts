import type { Page } from '@playwright/test';
import type { Warden } from '../../src/main/host/warden.js';
import type { NewEvent } from '../../src/shared/events.js';
import { benchRun } from './bench-ledger.js';
import { frameDeltas } from './page-probe.js';
import { report, reportPercentiles } from './stats.js';

/** The rate the live view is measured at, events a second. */
const RATE = 2_000;
/** How long the stream runs before frames are counted: the live buffer fills, the first runs end. */
const WARM_UP_MS = 5_000;

/**
 * Appends whole runs (`benchRun`) to the ledger at RATE events a second, as Warden's own work
 * would, until stopped; resolves with the events appended once stopped.
 */
function appendRuns(warden: Warden): { stop(): Promise<number> } {
  const started = performance.now();
  let written = 0;
  let n = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const due = Math.floor(((performance.now() - started) / 1000) * RATE);
      const batch: NewEvent[] = [];
      while (written + batch.length < due) batch.push(...benchRun(++n, `live-${n}`));
      if (batch.length) {
        await warden.ledger.appendMany(batch);
        written += batch.length;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return written;
    },
  };
}

/**
 * The page on screen (the Live view) while the server's ledger grows by RATE events a second:
 * frame times over `ms`, and the page's JS heap after a forced GC before the stream, after its
 * warm-up, and at the end (flat is the target).
 */
export async function liveUnderLoad(page: Page, warden: Warden, ms: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize / 2 ** 20;
  };
  const before = await heap();
  const started = performance.now();
  const appender = appendRuns(warden);
  await new Promise((r) => setTimeout(r, WARM_UP_MS));
  const warm = await heap();
  const frames = await frameDeltas(page, ms);
  const end = await heap();
  const written = await appender.stop();
  const seconds = (performance.now() - started) / 1000;
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
