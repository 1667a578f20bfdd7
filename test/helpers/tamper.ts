import Database from 'better-sqlite3';
import { join } from 'node:path';
import { canonicalEventBody, chainHash, GENESIS_HASH } from '../../src/main/ledger/hash.js';
import { LEDGER_FILE } from '../../src/main/ledger/index.js';
import { LedgerReader, type EventRow } from '../../src/main/ledger/read.js';
import { leafHash } from '../../src/main/ledger/merkle.js';
import { StoredTree } from '../../src/main/ledger/tree.js';

/**
 * What an attacker with sqlite3 and the data folder can do to a ledger: drop the triggers
 * that refuse change, then cut, rewrite and rehash, rebuild the stored tree, or forget the
 * checkpoints. Each opens the real file as the attacker would.
 */
function attack(dataDir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(join(dataDir, LEDGER_FILE));
  try {
    db.exec(`
      DROP TRIGGER IF EXISTS events_refuse_update; DROP TRIGGER IF EXISTS events_refuse_delete;
      DROP TRIGGER IF EXISTS merkle_nodes_refuse_update; DROP TRIGGER IF EXISTS merkle_nodes_refuse_delete;
    `);
    db.transaction(() => edit(db))();
  } finally {
    db.close();
  }
}

/** Deletes every event after `keep`, as `DELETE FROM events WHERE seq > keep`. */
export function cutEnd(dataDir: string, keep: number): void {
  attack(dataDir, (db) => db.prepare('DELETE FROM events WHERE seq > ?').run(keep));
}

/** Every event as stored, with the body its hashes cover. */
function events(db: Database.Database): { row: EventRow; body: string }[] {
  return [...new LedgerReader(db).iterateRows()].map((row) => {
    const [seq, ts, runId, agentId, type, v, payload] = row;
    return { row, body: canonicalEventBody({ seq, ts, runId, agentId, type, v }, payload) };
  });
}

/** Rewrites every event's message from seq `from` on and rehashes the chain so each link holds. */
export function rewriteAndRehash(dataDir: string, from = 1): void {
  attack(dataDir, (db) => {
    const update = db.prepare('UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    let prev = GENESIS_HASH;
    for (const { row } of events(db)) {
      const [seq, ts, runId, agentId, type, v, stored] = row;
      const payload = seq >= from ? stored.replace(/"message":"/, '"message":"forged ') : stored;
      const hash = chainHash(prev, canonicalEventBody({ seq, ts, runId, agentId, type, v }, payload));
      update.run(payload, prev, hash, seq);
      prev = hash;
    }
  });
}

/** Throws the stored Merkle tree away and builds it anew from the events as they now are. */
export function rebuildTree(dataDir: string): void {
  attack(dataDir, (db) => {
    db.exec('DELETE FROM merkle_nodes');
    const tree = new StoredTree(db);
    for (const { row, body } of events(db)) tree.append(row[0] - 1, leafHash(body));
  });
}

/** Deletes stored Merkle nodes over events after `keep`, as a careful attacker cutting the end would. */
export function cutTree(dataDir: string, keep: number): void {
  attack(dataDir, (db) => db.prepare('DELETE FROM merkle_nodes WHERE (idx + 1) * (1 << level) > ?').run(keep));
}

/** Forgets the checkpoints the folder signed (all, or those past `keep` events). */
export function forgetCheckpoints(dataDir: string, keep = 0): void {
  attack(dataDir, (db) => db.prepare('DELETE FROM checkpoints WHERE size > ?').run(keep));
}
