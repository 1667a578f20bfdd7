/**
 * A worker thread that verifies one seq range of a ledger file on its own read-only
 * connection, for verify-parallel.ts.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { LedgerReader } from './read.js';
import { verifyChain, type ChainWalk } from './verify.js';
import { hashingLeaves, TileHasher, type TileWalk } from './verify-tiles.js';

/** The part of the chain a worker walks: seqs after `after`, through `through`. */
export interface RangeTask {
  file: string;
  after: number;
  through: number;
}

const task = workerData as RangeTask;
const db = new Database(task.file, { readonly: true, fileMustExist: true });
/** What a worker sends back: its part of the walk, and the Merkle tiles of the events it read. */
export interface RangeWalk extends ChainWalk {
  tiles: TileWalk;
}

let walk: RangeWalk;
try {
  db.exec('BEGIN');
  const tiles = new TileHasher(task.after);
  const rows = hashingLeaves(new LedgerReader(db).chainRows({ after: task.after, through: task.through }), tiles);
  walk = { ...verifyChain(rows, { contiguous: true, after: task.after }), tiles: tiles.walk() };
} finally {
  db.close();
}
parentPort!.postMessage(walk);
