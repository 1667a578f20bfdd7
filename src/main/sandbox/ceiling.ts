import { WORKER_CEILING_BASE_MB, WORKER_CEILING_PER_CAP } from '../../shared/sandbox.js';

/** What a worker reports when its resident memory is over its ceiling. */
export interface OverCeiling {
  rssMb: number;
  ceilingMb: number;
}

/**
 * A worker's resident-memory ceiling in MB: the pool's, when it set one; else a base for the
 * worker itself plus a multiple of the memory caps of the runs it holds, so the ceiling stays
 * behind every isolate's cap and only catches what the caps cannot count.
 */
export function workerCeilingMb(runCapsMb: Iterable<number>, fixedMb?: number): number {
  if (fixedMb !== undefined) return fixedMb;
  let caps = 0;
  for (const mb of runCapsMb) caps += mb;
  return WORKER_CEILING_BASE_MB + WORKER_CEILING_PER_CAP * caps;
}

/**
 * Checks this process's resident memory against a ceiling; answers what to report the first
 * time it is over (once: the host kills the worker on the report), else null.
 */
export function ceilingWatch(
  rssBytes: () => number = () => process.memoryUsage.rss(),
): (ceilingMb: number) => OverCeiling | null {
  let reported = false;
  return (ceilingMb) => {
    if (reported) return null;
    const rssMb = Math.round(rssBytes() / (1024 * 1024));
    if (rssMb <= ceilingMb) return null;
    reported = true;
    return { rssMb, ceilingMb };
  };
}
