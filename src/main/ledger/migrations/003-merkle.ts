import { randomUUID } from 'node:crypto';
import type { Migration } from './index.js';
import { canonicalEventBody } from '../hash.js';
import { leafHash } from '../merkle.js';
import { StoredTree } from '../tree.js';

/**
 * The Merkle tree next to the hash chain (`merkle_nodes`: its subtrees of 16 leaves and up), the data folder's id (`meta`
 * origin) that its signed checkpoints name, and the checkpoints signed so far. Nodes are
 * append-only like events. An existing ledger's events are added to the tree in seq order.
 */
export const migration003: Migration = {
  version: 3,
  name: 'merkle',
  up(db) {
    db.exec(`
      CREATE TABLE merkle_nodes (
        level INTEGER NOT NULL,
        idx   INTEGER NOT NULL,
        hash  BLOB    NOT NULL,
        PRIMARY KEY (level, idx)
      ) WITHOUT ROWID;
      CREATE TRIGGER merkle_nodes_refuse_update BEFORE UPDATE ON merkle_nodes
        BEGIN SELECT RAISE(ABORT, 'the Merkle tree is append-only: UPDATE refused'); END;
      CREATE TRIGGER merkle_nodes_refuse_delete BEFORE DELETE ON merkle_nodes
        BEGIN SELECT RAISE(ABORT, 'the Merkle tree is append-only: DELETE refused'); END;
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE checkpoints (
        size            INTEGER NOT NULL,
        time            TEXT    NOT NULL,
        root_hash       TEXT    NOT NULL,
        signature       TEXT    NOT NULL,
        public_key      TEXT    NOT NULL,
        key_fingerprint TEXT    NOT NULL,
        PRIMARY KEY (size, time)
      );
    `);
    db.prepare("INSERT INTO meta (key, value) VALUES ('origin', ?)").run(`warden:${randomUUID()}`);
    const tree = new StoredTree(db);
    const page = db.prepare(
      'SELECT seq, ts, run_id, agent_id, type, v, payload FROM events WHERE seq > ? ORDER BY seq LIMIT 10000',
    );
    for (let after = 0; ;) {
      const rows = page.all(after) as {
        seq: number;
        ts: string;
        run_id: string | null;
        agent_id: string | null;
        type: string;
        v: number;
        payload: string;
      }[];
      if (rows.length === 0) return;
      for (const r of rows) {
        const body = canonicalEventBody(
          { seq: r.seq, ts: r.ts, runId: r.run_id, agentId: r.agent_id, type: r.type, v: r.v },
          r.payload,
        );
        tree.append(r.seq - 1, leafHash(body));
      }
      after = rows[rows.length - 1]!.seq;
    }
  },
};
