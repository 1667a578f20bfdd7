import type Database from 'better-sqlite3';
import { NoLedgerError } from '../../shared/errors.js';
import { EMPTY_ROOT, consistencyProof, inclusionProof, nodeHash, rootOf, type SubtreeHashes } from './merkle.js';

/**
 * The ledger's Merkle tree (RFC 6962), kept next to the hash chain in `merkle_nodes`: every
 * complete subtree's hash, by level and index (leaf `i` is level 0, index i; node (l, i)
 * covers leaves [i·2^l, (i+1)·2^l)). An append adds its leaf and the nodes it completes, so
 * any root or proof reads O(log n) rows.
 */
export class StoredTree implements SubtreeHashes {
  private statements: { insert: Database.Statement; get: Database.Statement; last: Database.Statement } | null = null;

  constructor(private readonly db: Database.Database) {}

  /** Adds leaf `index` (the event of seq index + 1) and the subtrees it completes. Inside the append's transaction. */
  append(index: number, leaf: Buffer): void {
    const { insert } = this.prepared();
    insert.run(0, index, leaf);
    let level = 0;
    let at = index;
    let hash = leaf;
    while (at % 2 === 1) {
      hash = nodeHash(this.node(level, at - 1), hash);
      level += 1;
      at = Math.floor(at / 2);
      insert.run(level, at, hash);
    }
  }

  /** How many leaves the tree holds. */
  size(): number {
    const row = this.prepared().last.get() as { idx: number } | undefined;
    return row ? row.idx + 1 : 0;
  }

  /** MTH of leaves [start, end), from the stored complete subtrees. */
  hash(start: number, end: number): Buffer {
    const n = end - start;
    if (n <= 0) return EMPTY_ROOT;
    const level = Math.log2(n);
    if (Number.isInteger(level) && start % n === 0) return this.node(level, start / n);
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

  private node(level: number, index: number): Buffer {
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
        last: this.db.prepare('SELECT idx FROM merkle_nodes WHERE level = 0 ORDER BY idx DESC LIMIT 1'),
      };
    }
    return this.statements;
  }
}
