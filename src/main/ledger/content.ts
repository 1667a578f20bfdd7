import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../../shared/json.js';
import type { ContentRef } from '../../shared/event-fields.js';
import type { RemovedContent } from '../../shared/trace.js';
import { schemaVersion } from './migrations/index.js';
import type { Redactor } from './redact.js';

/**
 * The content store's two sides (migration 005): bodies staged by the process that is about to
 * name them in an event, written in that event's transaction; and reads of a body by its hash,
 * or of who removed it, when and why, once retention has.
 */

/** A body as the store hands it out: the value, or what stands where it was. */
export type StoredContent = { sha256: string; bytes: number } & ({ body: JsonValue } | RemovedContent);

/** The SHA-256 of text as UTF-8, in hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Bodies waiting for the event that names them. `stage` redacts first, so the hash is of what
 * is kept; a body leaves the stage once an event naming it has committed.
 */
export class ContentStage {
  private readonly bodies = new Map<string, string>();

  constructor(private readonly redactor: Redactor) {}

  /** Keeps a value's canonical JSON (secrets taken out) until an event names it; returns its reference. */
  stage(value: JsonValue): ContentRef {
    const canonical = canonicalJson(value);
    const text = (this.redactor.active ? this.redactor.scrub(canonical) : null) ?? canonical;
    const sha256 = sha256Hex(text);
    this.bodies.set(sha256, text);
    return { sha256, bytes: Buffer.byteLength(text, 'utf8') };
  }

  body(sha256: string): string | undefined {
    return this.bodies.get(sha256);
  }

  /** Forgets bodies whose events have committed. */
  settle(written: Iterable<string>): void {
    for (const sha of written) this.bodies.delete(sha);
  }
}

/** Writes, inside an append's transaction, what an event's references need of the store. */
export class ContentWriter {
  private readonly upsert: Database.Statement;
  private readonly touch: Database.Statement;
  private readonly has: Database.Statement;

  constructor(db: Database.Database) {
    // A body that retention removed comes back when the same bytes are named again.
    this.upsert = db.prepare(
      `INSERT INTO content (sha256, bytes, body, last_seq) VALUES (?, ?, ?, ?)
       ON CONFLICT (sha256) DO UPDATE SET last_seq = excluded.last_seq,
         pruned_seq = CASE WHEN content.body IS NULL THEN NULL ELSE content.pruned_seq END,
         body = COALESCE(content.body, excluded.body)`,
    );
    this.touch = db.prepare('UPDATE content SET last_seq = ? WHERE sha256 = ?');
    this.has = db.prepare('SELECT 1 FROM content WHERE sha256 = ? AND bytes = ?');
  }

  /**
   * Records that event `seq` names these references, writing staged bodies. Returns the first
   * reference that neither the stage nor the store holds (the event must then be refused), or
   * null. `written` collects the staged hashes written.
   */
  record(refs: readonly ContentRef[], seq: number, stage: ContentStage, written: Set<string>): ContentRef | null {
    const missing = refs.find((ref) => stage.body(ref.sha256) === undefined && !this.has.get(ref.sha256, ref.bytes));
    if (missing) return missing;
    for (const ref of refs) {
      const text = stage.body(ref.sha256);
      if (text === undefined) this.touch.run(seq, ref.sha256);
      else {
        this.upsert.run(ref.sha256, ref.bytes, text, seq);
        written.add(ref.sha256);
      }
    }
    return null;
  }
}

/** What one prune removed. */
export interface PruneCount {
  pieces: number;
  bytes: number;
}

/** Reads bodies by hash; a removed one reads as who removed it, when and why. */
export class ContentReader {
  private readonly one: Database.Statement | null;
  private readonly pruneOf: Database.Statement | null;
  private readonly holding: Database.Statement | null;
  private readonly prunes = new Map<number, RemovedContent['removed'] & { seq: number }>();

  constructor(private readonly db: Database.Database) {
    const has = schemaVersion(db) >= 5;
    this.one = has ? db.prepare('SELECT bytes, body, pruned_seq AS prunedSeq FROM content WHERE sha256 = ?') : null;
    this.holding = has ? db.prepare('SELECT 1 FROM content WHERE sha256 = ?') : null;
    this.pruneOf = has ? db.prepare("SELECT ts, payload FROM events WHERE seq = ? AND type = 'content.pruned'") : null;
  }

  /** The body under a hash, what stands where it was, or null when the store never held it. */
  get(sha256: string): StoredContent | null {
    const row = this.one?.get(sha256) as { bytes: number; body: string | null; prunedSeq: number | null } | undefined;
    if (!row) return null;
    if (row.body !== null) return { sha256, bytes: row.bytes, body: JSON.parse(row.body) as JsonValue };
    const prune = row.prunedSeq === null ? null : this.prune(row.prunedSeq);
    const removed = prune
      ? { sha256, at: prune.at, by: prune.by, reason: prune.reason }
      : { sha256, at: '', by: 'unknown', reason: 'no prune event names it' };
    return { sha256, bytes: row.bytes, removed };
  }

  /** The body a reference names, or what stands where it was; a reference the store never held reads as removed by nobody. */
  resolve(ref: ContentRef): JsonValue | RemovedContent {
    const found = this.get(ref.sha256);
    if (!found) return { removed: { sha256: ref.sha256, at: '', by: 'unknown', reason: 'not in this ledger' } };
    return 'body' in found ? found.body : { removed: found.removed };
  }

  /** The raw rows of the store in hash order, for verify and export: the body as stored (canonical JSON) or null. */
  *rows(): IterableIterator<{ sha256: string; bytes: number; body: string | null; prunedSeq: number | null }> {
    if (schemaVersion(this.db) < 5) return;
    yield* this.db
      .prepare('SELECT sha256, bytes, body, pruned_seq AS prunedSeq FROM content ORDER BY sha256')
      .iterate() as IterableIterator<{ sha256: string; bytes: number; body: string | null; prunedSeq: number | null }>;
  }

  /** The body text under a hash as stored (canonical JSON), null once pruned, undefined when never held. */
  raw(sha256: string): { bytes: number; body: string | null; prunedSeq: number | null } | undefined {
    return this.one?.get(sha256) as { bytes: number; body: string | null; prunedSeq: number | null } | undefined;
  }

  /** Whether the store holds a row for a hash (a body, or what retention left). */
  holds(sha256: string): boolean {
    return this.holding?.get(sha256) !== undefined;
  }

  /** The prune event of a seq: when, by whom, why. */
  prune(seq: number): (RemovedContent['removed'] & { seq: number }) | null {
    const cached = this.prunes.get(seq);
    if (cached) return cached;
    const row = this.pruneOf?.get(seq) as { ts: string; payload: string } | undefined;
    if (!row) return null;
    const payload = JSON.parse(row.payload) as { by: string; reason: string };
    const found = { seq, sha256: '', at: row.ts, by: payload.by, reason: payload.reason };
    this.prunes.set(seq, found);
    return found;
  }
}

/**
 * What a prune before a date would remove now: the last event before the date (time never runs
 * backwards along the chain, so the ts index finds it), and the bodies no later event names.
 */
export function prunableBefore(db: Database.Database, before: Date): { throughSeq: number } & PruneCount {
  const last = db
    .prepare('SELECT seq FROM events WHERE ts < ? ORDER BY ts DESC, seq DESC LIMIT 1')
    .get(before.toISOString()) as { seq: number } | undefined;
  const throughSeq = last?.seq ?? 0;
  return { throughSeq, ...prunableBodies(db, throughSeq) };
}

/** The bodies no event after `throughSeq` names: how many, and their bytes (from the partial index). */
export function prunableBodies(db: Database.Database, throughSeq: number): PruneCount {
  // A ledger opened without upgrading (verify, export) may predate the content store.
  if (schemaVersion(db) < 5) return { pieces: 0, bytes: 0 };
  return db
    .prepare(
      'SELECT count(*) AS pieces, coalesce(sum(bytes), 0) AS bytes FROM content WHERE body IS NOT NULL AND last_seq <= ?',
    )
    .get(throughSeq) as PruneCount;
}

/**
 * Inside the prune event's transaction: removes the bodies last named at or before `throughSeq`
 * and marks them with the prune event's seq. Returns how many, and how many bytes.
 */
export function pruneBodies(db: Database.Database, throughSeq: number, pruneSeq: number): PruneCount {
  const count = prunableBodies(db, throughSeq);
  if (count.pieces === 0) return count;
  db.prepare('UPDATE content SET body = NULL, pruned_seq = ? WHERE body IS NOT NULL AND last_seq <= ?').run(
    pruneSeq,
    throughSeq,
  );
  return count;
}
