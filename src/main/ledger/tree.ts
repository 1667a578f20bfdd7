import type Database from 'better-sqlite3';
import { NoLedgerError } from '../../shared/errors.js';
import { canonicalEventBody } from './hash.js';
import {
  EMPTY_ROOT,
  consistencyProof,
  inclusionProof,
  leafHash,
  memoryTree,
  nodeHash,
  rootOf,
  type SubtreeHashes,
} from './merkle.js';

/** Subtrees below this level are not stored: they are rebuilt from their (at most 16) events. */
const TILE_LEVEL = 4;
/** Leaves per tile: the smallest subtree stored. */
export const TILE = 2 ** TILE_LEVEL;

/**
 * The ledger's Merkle tree (RFC 6962), kept next to the hash chain in `merkle_nodes`: the hash
 * of every complete subtree of 16 leaves or more, by level and index (node (l, i) covers
 * leaves [i·2^l, (i+1)·2^l); leaf i is the event of seq i + 1). Smaller subtrees are rebuilt
 * from their events, which the ledger holds anyway, so an append writes a node for one event
 * in sixteen, and a root or proof still reads O(log n) rows and at most a tile of events.
 */
export class StoredTree implements SubtreeHashes {
  private statements: {
    insert: Database.Statement;
    get: Database.Statement;
    events: Database.Statement;
  } | null = null;
  /** Leaf hashes of the tile being filled, by index: immutable once written, so safe to keep. */
  private readonly recent = new Map<number, Buffer>();

  constructor(private readonly db: Database.Database) {}

  /** Adds leaf `index` (the event of seq index + 1, already inserted) and the subtrees it completes. Inside the append's transaction. */
  append(index: number, leaf: Buffer): void {
    this.recent.set(index, leaf);
    if ((index + 1) % TILE !== 0) return;
    const start = index + 1 - TILE;
    const leaves = Array.from({ length: TILE }, (_, i) => this.recent.get(start + i));
    const hashes = leaves.every(Boolean) ? (leaves as Buffer[]) : this.eventLeaves(start, index + 1);
    this.recent.clear();
    const { insert } = this.prepared();
    let level = TILE_LEVEL;
    let at = start / TILE;
    let hash = memoryTree(hashes).hash(0, TILE);
    insert.run(level, at, hash);
    while (at % 2 === 1) {
      hash = nodeHash(this.node(level, at - 1), hash);
      level += 1;
      at = Math.floor(at / 2);
      insert.run(level, at, hash);
    }
  }

  /** Drops the leaves kept in memory: their transaction rolled back, so they may never be. */
  forget(): void {
    this.recent.clear();
  }

  /** MTH of leaves [start, end): stored complete subtrees, and events for what is below a tile. */
  hash(start: number, end: number): Buffer {
    const n = end - start;
    if (n <= 0) return EMPTY_ROOT;
    const level = Math.log2(n);
    if (Number.isInteger(level) && level >= TILE_LEVEL && start % n === 0) return this.node(level, start / n);
    // Ranges come aligned from the split below: one of at most a tile lies inside one tile.
    if (n <= TILE) return memoryTree(this.eventLeaves(start, end)).hash(0, n);
    let k = 1;
    while (k * 2 < n) k *= 2;
    return nodeHash(this.hash(start, start + k), this.hash(start + k, end));
  }

  /** The root of the first `size` leaves. */
  root(size: number): Buffer {
    return rootOf(this, size);
  }

  /** The audit path of leaf `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size: number): Buffer[] {
    return inclusionProof(this, index, size);
  }

  /** The proof that the tree of `size2` leaves extends that of `size1`. */
  consistencyProof(size1: number, size2: number): Buffer[] {
    return consistencyProof(this, size1, size2);
  }

  /** The leaf hashes of leaves [start, end), from their events. */
  eventLeaves(start: number, end: number): Buffer[] {
    const rows = this.prepared().events.raw().all(start, end) as [
      number,
      string,
      string | null,
      string | null,
      string,
      number,
      string,
    ][];
    if (rows.length !== end - start)
      throw new Error(`the ledger holds ${rows.length} of events ${start + 1} to ${end}`);
    return rows.map(([seq, ts, runId, agentId, type, v, payload]) =>
      leafHash(canonicalEventBody({ seq, ts, runId, agentId, type, v }, payload)),
    );
  }

  /** The stored hash of node (level, index), a tile or above. */
  protected node(level: number, index: number): Buffer {
    const row = this.prepared().get.get(level, index) as { hash: Buffer } | undefined;
    if (!row) throw new Error(`the ledger's Merkle tree has no node (${level}, ${index})`);
    return row.hash;
  }

  // Prepared on first use: a ledger opened only to verify may predate the tree.
  private prepared() {
    if (!this.statements) {
      const exists = this.db
        .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'merkle_nodes'")
        .get();
      if (!exists) throw new NoLedgerError(`${this.db.name} predates Merkle trees; open it with Warden to upgrade it`);
      this.statements = {
        insert: this.db.prepare('INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
        get: this.db.prepare('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?'),
        events: this.db.prepare(
          'SELECT seq, ts, run_id, agent_id, type, v, payload FROM events WHERE seq > ? AND seq <= ? ORDER BY seq',
        ),
      };
    }
    return this.statements;
  }
}
