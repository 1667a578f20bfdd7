import type Database from 'better-sqlite3';
import { ContentReader } from './content.js';
import type { EventOf, EventType, LedgerEvent } from '../../shared/events.js';
import { ledgerFacets, type LedgerFacets } from './facets.js';
import type { ChainRow } from './verify.js';

/** Which events a query or an export takes. Times are ISO-8601; `to` is exclusive. */
export interface EventFilter {
  runId?: string;
  agentId?: string;
  type?: string;
  from?: string;
  to?: string;
}

/** One keyset page: events after (or before) a seq, newest or oldest first. */
export interface PageQuery extends EventFilter {
  /** Events with seq greater than this (ascending pages). */
  afterSeq?: number;
  /** Events with seq less than this (descending pages). */
  beforeSeq?: number;
  /**
   * Only eval events (true) or only work (false): an eval event is one of an eval run (its
   * `run_facts` row says so, read by primary key) or an `eval.case` or `eval.run` summary.
   */
  eval?: boolean;
  limit?: number;
  order?: 'asc' | 'desc';
}

/** A page of events and the key to ask for the next one (null at the end). */
export interface Page<E = LedgerEvent> {
  events: E[];
  nextKey: number | null;
}

/** The row shape of the events table, in column order. */
export type EventRow = [
  seq: number,
  ts: string,
  runId: string | null,
  agentId: string | null,
  type: string,
  v: number,
  payload: string,
  prevHash: string,
  hash: string,
];

const COLUMNS = 'seq, ts, run_id, agent_id, type, v, payload, prev_hash, hash';

/** JSON's form of a nullable id column: null, or the id in quotes (ids need no escaping). */
const quoted = (column: string) => `CASE WHEN ${column} IS NULL THEN 'null' ELSE '"' || ${column} || '"' END`;

/** What each event's hash covers: prev_hash, then its canonical JSON in the key order of hash.ts's canonicalEventBody. */
const CHAIN_SQL =
  `SELECT seq, prev_hash, hash, prev_hash || '{"agentId":' || ${quoted('agent_id')} || ',"payload":' || payload ||` +
  ` ',"runId":' || ${quoted('run_id')} || ',"seq":' || seq || ',"ts":"' || ts || '","type":"' || type ||` +
  ` '","v":' || v || '}' FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`;
const MAX_PAGE = 1000;

/** The first seq at or after a time: the ts index's first entry from there (exported for its plan's test). */
export const FIRST_SEQ_AT_SQL = 'SELECT seq FROM events WHERE ts >= ? ORDER BY ts LIMIT 1';

/**
 * An event of an eval: a summary of a suite's case or run, or any event of an eval run. The run
 * is looked up by `run_facts`' primary key, one probe per row the page reads, so a page of work
 * costs its rows plus the eval events it steps over, never a scan of the runs.
 */
const EVAL_EVENT =
  "events.type IN ('eval.case', 'eval.run') OR EXISTS (SELECT 1 FROM run_facts f WHERE f.run_id = events.run_id AND f.eval = 1)";

/** Turns a raw row into a ledger event. */
export function rowToEvent(row: EventRow): LedgerEvent {
  const [seq, ts, runId, agentId, type, v, payload, prevHash, hash] = row;
  return { seq, ts, runId, agentId, type, v, payload: JSON.parse(payload), prevHash, hash };
}

/**
 * Read side of the ledger. Every query pages by key (seq), never by OFFSET, so page 9,000 of a
 * big ledger costs what page 1 costs. Time bounds are turned into seq bounds first: the
 * writer keeps time non-decreasing along the chain, so the ts index answers them in one probe.
 */
export class LedgerReader {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private contentReader: ContentReader | undefined;

  /** The bodies events name by hash (a model's prompt and reply, a large result), and what retention left of them. */
  get contents(): ContentReader {
    return (this.contentReader ??= new ContentReader(this.db));
  }

  /** The last event's seq and hash, or null for an empty ledger. */
  head(): { seq: number; hash: string } | null {
    const row = this.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    return row ?? null;
  }

  /** One event by seq. */
  get(seq: number): LedgerEvent | null {
    const row = this.prepare(`SELECT ${COLUMNS} FROM events WHERE seq = ?`).raw().get(seq) as EventRow | undefined;
    return row ? rowToEvent(row) : null;
  }

  /** A keyset page of events of one type, typed by the event union. */
  page<T extends EventType>(query: PageQuery & { type: T }): Page<EventOf<T>>;
  /** A keyset page of events. */
  page(query?: PageQuery): Page;
  page(query: PageQuery = {}): Page {
    const limit = Math.min(Math.max(1, query.limit ?? 100), MAX_PAGE);
    const desc = query.order === 'desc';
    const { sql, params } = this.where(query);
    const rows = this.prepare(`SELECT ${COLUMNS} FROM events ${sql} ORDER BY seq ${desc ? 'DESC' : 'ASC'} LIMIT ?`)
      .raw()
      .all(...params, limit + 1) as EventRow[];
    const more = rows.length > limit;
    const events = rows.slice(0, limit).map(rowToEvent);
    return { events, nextKey: more ? events[events.length - 1]!.seq : null };
  }

  /** Every event of one type that matches, oldest first, typed by the event union. */
  each<T extends EventType>(filter: PageQuery & { type: T }): Generator<EventOf<T>>;
  /** Every event that matches, oldest first, read page by page (keyset, 1,000 at a time). */
  each(filter?: PageQuery): Generator<LedgerEvent>;
  *each(filter: PageQuery = {}): Generator<LedgerEvent> {
    let key: number | null = filter.afterSeq ?? 0;
    while (key !== null) {
      const page: Page = this.page({ ...filter, afterSeq: key, limit: MAX_PAGE, order: 'asc' });
      yield* page.events;
      key = page.nextKey;
    }
  }

  /** The SQL and parameters of a page: one seek by key, then at most `limit` rows. */
  pageSql(query: PageQuery, limit: number): { sql: string; params: (string | number)[] } {
    const { sql, params } = this.where(query);
    const order = query.order === 'desc' ? 'DESC' : 'ASC';
    return { sql: `SELECT ${COLUMNS} FROM events ${sql} ORDER BY seq ${order} LIMIT ?`, params: [...params, limit] };
  }

  /** Every event that matches, oldest first, as raw rows (for exports and verify). */
  iterateRows(filter: EventFilter = {}): IterableIterator<EventRow> {
    const { sql, params } = this.where(filter);
    return this.prepare(`SELECT ${COLUMNS} FROM events ${sql} ORDER BY seq`)
      .raw()
      .iterate(...params) as IterableIterator<EventRow>;
  }

  /**
   * The whole chain, oldest first, as verify needs it: each event's canonical JSON is built by
   * SQLite from the stored columns (ids and types never need JSON escaping, and the payload is
   * stored canonical), which is about twice as fast as building it here. Read in keyset
   * chunks: fewer crossings into SQLite than a row-at-a-time iterator.
   */
  *chainRows(range: { after?: number; through?: number } = {}, chunk = 5_000): Generator<ChainRow> {
    const statement = this.prepare(CHAIN_SQL).raw();
    const through = range.through ?? Number.MAX_SAFE_INTEGER;
    let after = range.after ?? 0;
    for (;;) {
      const rows = statement.all(after, through, chunk) as ChainRow[];
      if (rows.length === 0) return;
      yield* rows;
      after = rows[rows.length - 1]![0];
    }
  }

  /** The agents that have events and the event types that occur, each by its index. */
  facets(): LedgerFacets {
    return ledgerFacets(this.db);
  }

  /** How many events match. */
  count(filter: EventFilter = {}): number {
    const { sql, params } = this.where(filter);
    return (this.prepare(`SELECT count(*) AS n FROM events ${sql}`).get(...params) as { n: number }).n;
  }

  /** The first seq at or after a time, or null when no event is that late: one probe of the ts index. */
  firstSeqAtOrAfter(ts: string): number | null {
    // Time never goes back along the chain and the index orders equal times by seq, so the
    // index's first entry at or after the time is the first event: one probe. (A `min(seq)`
    // here would walk the table from seq 1 until a late enough row.)
    const row = this.prepare(FIRST_SEQ_AT_SQL).get(ts) as { seq: number } | undefined;
    return row?.seq ?? null;
  }

  private where(query: PageQuery): { sql: string; params: (string | number)[] } {
    const clauses: string[] = [];
    const params: (string | number)[] = [];
    let lower = query.afterSeq ?? 0;
    let upper = query.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    if (query.from !== undefined) {
      const first = this.firstSeqAtOrAfter(query.from);
      lower = Math.max(lower, first === null ? Number.MAX_SAFE_INTEGER : first - 1);
    }
    if (query.to !== undefined) {
      const first = this.firstSeqAtOrAfter(query.to);
      if (first !== null) upper = Math.min(upper, first);
    }
    if (lower > 0) {
      clauses.push('seq > ?');
      params.push(lower);
    }
    if (upper < Number.MAX_SAFE_INTEGER) {
      clauses.push('seq < ?');
      params.push(upper);
    }
    for (const [column, value] of [
      ['run_id', query.runId],
      ['agent_id', query.agentId],
      ['type', query.type],
    ] as const) {
      if (value === undefined) continue;
      clauses.push(`${column} = ?`);
      params.push(value);
    }
    if (query.eval !== undefined) clauses.push(query.eval ? `(${EVAL_EVENT})` : `NOT (${EVAL_EVENT})`);
    return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
