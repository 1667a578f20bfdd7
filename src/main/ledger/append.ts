import type Database from 'better-sqlite3';
import { canonicalJson, type JsonValue } from '../../shared/json.js';
import { EventInvalidError } from '../../shared/errors.js';
import {
  EVENT_TYPES,
  ID_PATTERN,
  checkEventPayload,
  latestVersion,
  type LedgerEvent,
  type NewEvent,
} from '../../shared/events.js';
import { GENESIS_HASH, canonicalEventBody, chainHash } from './hash.js';
import { leafHash } from './merkle.js';
import { StoredTree } from './tree.js';
import { Redactor } from './redact.js';
import { ContentStage, ContentWriter } from './content.js';
import { contentRefsOf } from '../../shared/content-refs.js';
import type { ContentRef } from '../../shared/event-fields.js';
import type { AnyEvent } from '../../shared/events.js';

/** The version each event type is written with: its newest. */
const WRITE_VERSION = new Map<string, number>(EVENT_TYPES.map((type) => [type, latestVersion(type)]));

/** Where the writer gets the time; tests pass a fixed clock. */
export type Clock = () => Date;

/** An event that passed validation and waits for its transaction. */
interface Pending {
  /** For a guarded append: builds the event inside the transaction, or throws to refuse it. */
  guard?: () => NewEvent;
  runId: string | null;
  agentId: string | null;
  type: string;
  v: number;
  payload: LedgerEvent['payload'];
  payloadText: string;
  /** The content the payload names by hash. */
  refs: ContentRef[];
  resolve: (event: LedgerEvent) => void;
  reject: (error: unknown) => void;
}

/** Options of the ledger's writer. */
export interface WriterOptions {
  clock?: Clock;
  /**
   * How long the first append of a group waits for others to join its transaction. 0 (the
   * default) groups what arrives in the same turn of the event loop, which is what
   * concurrent runs produce; a few milliseconds trade latency for larger groups.
   */
  groupWindowMs?: number;
  /** How long a lazy append waits for another append to share its transaction. Default 20 ms. */
  lazyWindowMs?: number;
  /** The secrets to keep out of every payload. */
  redactor?: Redactor;
}

/**
 * Appends events to the hash chain with group commit: appends that arrive close together
 * share one IMMEDIATE transaction (one fsync), and each append's promise resolves only after
 * that transaction has committed. The head is read inside the transaction, under SQLite's
 * write lock, so several processes appending to one file still extend a single chain.
 */
export class LedgerWriter {
  /** Transactions committed and events in them, since this writer opened. */
  readonly stats = { groups: 0, events: 0 };
  private queue: Pending[] = [];
  private scheduled = false;
  private lazyTimer: NodeJS.Timeout | null = null;
  private readonly lazyWindowMs: number;
  /** Secrets taken out of payloads before they are hashed and written. */
  readonly redactor: Redactor;
  private closed = false;
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly selectHead: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly commitGroup: (group: Pending[]) => (LedgerEvent | { refused: unknown })[];
  /** The Merkle tree over the events, extended in the same transaction as the chain. */
  private readonly tree: StoredTree;
  /** Bodies staged for the events about to name them (see `content`). */
  private readonly stage: ContentStage;
  private contentWriter: ContentWriter | undefined;
  /** Staged bodies the transaction being written has stored. */
  private written = new Set<string>();

  constructor(
    private readonly db: Database.Database,
    options: WriterOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.windowMs = options.groupWindowMs ?? 0;
    this.lazyWindowMs = options.lazyWindowMs ?? 20;
    this.redactor = options.redactor ?? new Redactor();
    this.selectHead = db.prepare('SELECT seq, ts, hash FROM events ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(
      'INSERT INTO events (seq, ts, run_id, agent_id, type, v, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.tree = new StoredTree(db);
    this.stage = new ContentStage(this.redactor);
    const tx = db.transaction((group: Pending[]) => this.writeGroup(group));
    this.commitGroup = (group) => tx.immediate(group);
  }

  /**
   * Keeps a value in the content store, by the hash of its canonical JSON (secrets taken out
   * first), once an event naming the returned reference is appended. Stage it just before that
   * append: a body nobody names is never written.
   */
  content(value: JsonValue): ContentRef {
    return this.stage.stage(value);
  }

  /** Validates an event and appends it; resolves with the stored event once it is durable. */
  append(event: NewEvent): Promise<LedgerEvent> {
    return new Promise((resolve, reject) => {
      if (this.closed) throw new Error('the ledger is closed');
      this.queue.push({ ...this.prepare(event), resolve, reject });
      this.schedule();
    });
  }

  /**
   * Appends an event that nobody waits on at once (an observation): it joins the next
   * transaction anyone else starts, or commits on its own after `lazyWindowMs`. Order is kept:
   * whatever is appended after it commits with it or after it.
   */
  appendLazy(event: NewEvent): Promise<LedgerEvent> {
    // Checked here, not in the promise: a bad observation throws at its caller, synchronously.
    if (this.closed) throw new Error('the ledger is closed');
    const prepared = this.prepare(event);
    return new Promise((resolve, reject) => {
      this.queue.push({ ...prepared, resolve, reject });
      this.lazyTimer ??= setTimeout(() => {
        this.lazyTimer = null;
        this.flush();
      }, this.lazyWindowMs);
    });
  }

  /** Appends several events in order, in one transaction with whatever else is waiting. */
  appendMany(events: readonly NewEvent[]): Promise<LedgerEvent[]> {
    // Validate all first so that one bad event refuses the whole set, not a prefix of it.
    let prepared: Omit<Pending, 'resolve' | 'reject'>[];
    try {
      prepared = events.map((e) => this.prepare(e));
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.closed) return Promise.reject(new Error('the ledger is closed'));
    const done = prepared.map(
      (p) => new Promise<LedgerEvent>((resolve, reject) => this.queue.push({ ...p, resolve, reject })),
    );
    this.schedule();
    return Promise.all(done);
  }

  /**
   * Appends the event `build` returns, calling it inside the write transaction, after every
   * event queued before it is in place: what it reads of the ledger is what the event will
   * follow, even with other processes appending. Throwing refuses the append (and only it).
   * This is how a decision that must happen once (an approval) stays once across processes.
   */
  appendIf(build: () => NewEvent): Promise<LedgerEvent> {
    return new Promise((resolve, reject) => {
      if (this.closed) throw new Error('the ledger is closed');
      this.queue.push({
        guard: build,
        runId: null,
        agentId: null,
        type: '',
        v: 0,
        payload: null,
        payloadText: '',
        refs: [],
        resolve,
        reject,
      });
      this.schedule();
    });
  }

  /** Commits whatever is waiting now, without waiting for the group window. */
  flush(): void {
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    let stored: (LedgerEvent | { refused: unknown })[];
    this.written = new Set();
    try {
      stored = this.commitGroup(group);
      this.stage.settle(this.written);
      this.stats.groups += 1;
      this.stats.events += stored.filter((e) => !('refused' in e)).length;
    } catch (error) {
      this.tree.forget();
      for (const p of group) p.reject(error);
      return;
    }
    for (let i = 0; i < group.length; i++) {
      const result = stored[i]!;
      if ('refused' in result) group[i]!.reject(result.refused);
      else group[i]!.resolve(result);
    }
  }

  /** Commits what is waiting and refuses further appends. */
  close(): void {
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = null;
    this.flush();
    this.closed = true;
  }

  private schedule(): void {
    if (this.lazyTimer) {
      clearTimeout(this.lazyTimer);
      this.lazyTimer = null;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.flush();
    };
    if (this.windowMs > 0) setTimeout(run, this.windowMs);
    else setImmediate(run);
  }

  /** Validates an event, then takes every registered secret out of its payload before it is hashed. */
  private prepare(event: NewEvent): Omit<Pending, 'resolve' | 'reject'> {
    const prepared = prepareEvent(event);
    const scrubbed = this.redactor.active ? this.redactor.scrub(prepared.payloadText) : null;
    if (scrubbed === null) return prepared;
    return { ...prepared, payloadText: scrubbed, payload: JSON.parse(scrubbed) as LedgerEvent['payload'] };
  }

  private writeGroup(group: Pending[]): (LedgerEvent | { refused: unknown })[] {
    const head = this.selectHead.get() as { seq: number; ts: string; hash: string } | undefined;
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    // Time in the ledger never runs backwards, even if the wall clock does or another
    // process's clock is ahead: so a time range is also a seq range.
    let ts = this.clock().toISOString();
    if (head && head.ts > ts) ts = head.ts;
    const stored: (LedgerEvent | { refused: unknown })[] = [];
    for (let p of group) {
      if (p.guard) {
        try {
          p = { ...p, ...this.prepare(p.guard()) };
        } catch (refused) {
          stored.push({ refused });
          continue;
        }
      }
      if (p.refs.length > 0) {
        this.contentWriter ??= new ContentWriter(this.db);
        const missing = this.contentWriter.record(p.refs, seq + 1, this.stage, this.written);
        if (missing) {
          stored.push({
            refused: new EventInvalidError(
              `refused event: it names content ${missing.sha256} that the ledger does not hold`,
            ),
          });
          continue;
        }
      }
      seq += 1;
      const fields = { seq, ts, runId: p.runId, agentId: p.agentId, type: p.type, v: p.v };
      const body = canonicalEventBody(fields, p.payloadText);
      const hash = chainHash(prevHash, body);
      this.insert.run(seq, ts, p.runId, p.agentId, p.type, p.v, p.payloadText, prevHash, hash);
      this.tree.append(seq - 1, leafHash(body));
      stored.push({ ...fields, payload: p.payload, prevHash, hash });
      prevHash = hash;
    }
    return stored;
  }
}

function prepareEvent(event: NewEvent): Omit<Pending, 'resolve' | 'reject'> {
  const type = (event as { type: unknown }).type;
  if (typeof type !== 'string') throw new EventInvalidError('event has no type');
  const v = WRITE_VERSION.get(type) ?? 0;
  const checked = checkEventPayload(type, v, event.payload);
  if (!checked.ok) throw new EventInvalidError(`refused event: ${checked.message}`);
  for (const key of ['runId', 'agentId'] as const) {
    const value = event[key];
    if (value !== undefined && value !== null && (typeof value !== 'string' || !ID_PATTERN.test(value))) {
      throw new EventInvalidError(`refused event: ${key} must be an id of letters, digits and . _ : @ -`);
    }
  }
  return {
    runId: event.runId ?? null,
    agentId: event.agentId ?? null,
    type,
    v,
    payload: checked.payload,
    payloadText: canonicalJson(checked.payload),
    refs: contentRefsOf({ type, payload: checked.payload } as AnyEvent),
  };
}
