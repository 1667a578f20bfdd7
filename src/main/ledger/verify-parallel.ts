import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChainBreak, VerifyReport } from './verify.js';
import type { RangeTask, RangeWalk } from './verify-worker.js';
import { TileHasher } from './verify-tiles.js';

/** A parallel walk's report, with the Merkle tiles rebuilt from its events when the chain held. */
export interface ParallelReport extends VerifyReport {
  tiles: { tiles: Buffer[] } | null;
}

/** Below this many events one thread is faster than starting workers. */
export const PARALLEL_THRESHOLD = 100_000;

/**
 * Verifies a ledger's chain up to `headSeq` in parallel: the range is cut into one part per
 * core, each part is walked by a worker thread on its own read-only connection, and the parts
 * are joined here by checking that each part's first link points at the previous part's last
 * hash. The first break by seq wins, as in a single walk.
 */
export async function verifyInParallel(
  file: string,
  headSeq: number,
  threads = availableParallelism(),
): Promise<ParallelReport> {
  const parts = Math.max(1, Math.min(threads, 8));
  const size = Math.ceil(headSeq / parts);
  const tasks: RangeTask[] = [];
  for (let after = 0; after < headSeq; after += size)
    tasks.push({ file, after, through: Math.min(headSeq, after + size) });
  const walks = await Promise.all(tasks.map((task) => runWorker<RangeWalk>('verify-worker', task)));

  let checked = 0;
  let linksChecked = 0;
  let head: VerifyReport['head'] = null;
  const broken = (seq: number, reason: ChainBreak['reason'], message: string): ParallelReport => ({
    ok: false,
    checked,
    linksChecked,
    gaps: 0,
    head,
    firstBreak: { seq, reason, message },
    tiles: null,
  });
  const tiles = new TileHasher();
  for (let i = 0; i < walks.length; i++) {
    const walk = walks[i]!;
    const first = tasks[i]!.after + 1;
    // Checked in the order a single walk checks the part's first event: is it there, does it
    // link to the event before it (the previous part's last), then its own hash (in the part).
    const missingFirst = walk.firstBreak?.reason === 'missing-seq' && walk.firstBreak.seq === first;
    if (head && !missingFirst && walk.firstPrevHash !== null) {
      if (walk.firstPrevHash !== head.hash) {
        return broken(
          first,
          'broken-link',
          `seq ${first}'s prev_hash does not match seq ${head.seq}'s hash: one of them was replaced or rows were reordered`,
        );
      }
      linksChecked += 1;
    }
    checked += walk.checked;
    linksChecked += walk.linksChecked;
    if (!walk.ok) return { ...broken(0, 'malformed', ''), head: walk.head ?? head, firstBreak: walk.firstBreak };
    if (walk.head?.seq !== tasks[i]!.through) {
      const seq = (walk.head?.seq ?? tasks[i]!.after) + 1;
      return broken(seq, 'missing-seq', `seq ${seq} is missing: events were deleted`);
    }
    head = walk.head;
    tiles.join(walk.tiles);
  }
  return { ok: true, checked, linksChecked, gaps: 0, head, firstBreak: null, tiles: tiles.whole() };
}

/**
 * Runs one of this folder's worker files (`name`, without extension) on `data` and resolves
 * with the one message it sends back.
 */
export function runWorker<T>(name: string, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = spawn(name, data);
    worker.once('message', (result: T) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`a ledger worker (${name}) exited with code ${code}`));
    });
  });
}

/** Starts a worker: the built .js beside this file, or from source through tsx. */
function spawn(name: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), { workerData });
  const require = createRequire(here);
  // tsx's ESM API (its "import" export; require.resolve would pick the CommonJS one).
  const api = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = pathToFileURL(fileURLToPath(new URL(`./${name}.ts`, here))).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
