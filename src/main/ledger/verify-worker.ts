/**
 * A worker thread that verifies one seq range of a ledger file on its own read-only
 * connection, for verify-parallel.ts.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { LedgerReader } from './read.js';
import { verifyChain, type ChainWalk } from './verify.js';

/** The part of the chain a worker walks: seqs after `after`, through `through`. */
export interface RangeTask {
  file: string;
  after: number;
  through: number;
}

const task = workerData as RangeTask;
const db = new Database(task.file, { readonly: true, fileMustExist: true });
let walk: ChainWalk;
try {
  db.exec('BEGIN');
  walk = verifyChain(new LedgerReader(db).chainRows({ after: task.after, through: task.through }), {
    contiguous: true,
    after: task.after,
  });
} finally {
  db.close();
}
parentPort!.postMessage(walk);
