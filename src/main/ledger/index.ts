import type Database from 'better-sqlite3';
import type { ExportFilters } from '../../shared/export.js';
import type { EventOf, LedgerEvent, NewEvent } from '../../shared/events.js';
import { openLedgerDb, type OpenMode } from './db.js';
import { LedgerWriter, type WriterOptions } from './append.js';
import { LedgerReader } from './read.js';
import { verifyChain, type VerifyReport } from './verify.js';
import { PARALLEL_THRESHOLD, runWorker, verifyInParallel } from './verify-parallel.js';
import type { FolderTask } from './verify-folder-worker.js';
import { hashingLeaves, TileHasher } from './verify-tiles.js';
import {
  checkEvidence,
  checkpointConflict,
  type Evidence,
  type EvidenceOptions,
  type WalkedTiles,
} from './verify-evidence.js';
import { availableParallelism } from 'node:os';
import { exportLedger, type ExportFormat, type ExportOptions, type ExportSummary } from './export.js';
import { LedgerFacts } from './facts.js';
import { RunList } from './run-list.js';
import { ApprovalFacts } from './approval-facts.js';
import { RosterFacts } from './roster-facts.js';
import { schemaVersion } from './migrations/index.js';
import { NoLedgerError } from '../../shared/errors.js';
import type { SignedCheckpoint } from '../../shared/audit.js';
import { StoredTree } from './tree.js';
import { dirname, join } from 'node:path';
import { BLOBS_DIR, BlobStore } from './blobs.js';
import { prunableBefore, pruneBodies, type ContentReader, type PruneCount } from './content.js';
import type { ContentRef } from '../../shared/event-fields.js';
import type { JsonValue } from '../../shared/json.js';
import { EventInvalidError } from '../../shared/errors.js';

export { GENESIS_HASH } from './hash.js';
export { LEDGER_FILE } from './db.js';
export type { EventFilter, Page, PageQuery } from './read.js';
export type { LedgerFacets } from './facets.js';
export type { Period, GroupBy, TaskTotals, AgentSpend, EvalCaseTotals } from './facts.js';
export type { RunListQuery, RunRow, RunState } from './run-list.js';
export type { LastRun } from './roster-facts.js';
export type { ApprovalEvents } from './approval-facts.js';
export type { VerifyReport, ChainBreak, BreakReason } from './verify.js';
export type { ExportFormat, ExportOptions, ExportSummary } from './export.js';
export { verifyExportFile, type FileVerifyReport } from './verify-file.js';
export { BlobStore, BLOBS_DIR } from './blobs.js';
export type { StoredContent } from './content.js';
export type { Evidence, EvidenceOptions, CheckpointRef } from './verify-evidence.js';

/** What verifying a data folder's ledger found: its chain, and (when the chain held) its checkpoints and tree. */
export interface LedgerVerifyReport extends VerifyReport {
  evidence: Evidence | null;
}

/** How to verify a data folder's ledger: a checkpoint from outside it, a key, and (for tests) parallel parts. */
export interface LedgerVerifyOptions extends EvidenceOptions {
  /** Walk the chain in this many parallel parts, whatever its length. */
  threads?: number;
}

/** How often the WAL is flushed into the database file while appends come in. */
const WAL_FLUSH_EVERY_MS = 1_000;

/** Options for opening a ledger. */
export interface LedgerOptions extends WriterOptions {
  mode?: OpenMode;
  /**
   * Bring an older schema up to date (it only adds: projections, the Merkle tree). Default
   * true; verify and export pass false, leaving an auditor's copy as they found it.
   */
  upgrade?: boolean;
}

/**
 * The ledger of one data folder: a writer that appends with group commit, a reader that
 * pages by key, verification and export. Several processes may open the same folder.
 */
export class Ledger {
  /** The read side: pages, single events, counts. */
  readonly reader: LedgerReader;
  private readonly writer: LedgerWriter;
  private readonly lastDataVersion: { value: number };
  private readonly walFlushTimer: NodeJS.Timeout;

  private constructor(
    private readonly db: Database.Database,
    options: WriterOptions,
  ) {
    this.reader = new LedgerReader(db);
    this.writer = new LedgerWriter(db, options);
    this.lastDataVersion = { value: this.dataVersion() };
    // Flushing the WAL into the database file (SQLite's "WAL checkpoint") takes fsyncs of its
    // own. SQLite runs it inside whichever commit crosses 1,000 pages, stalling that append;
    // here it runs on a timer between appends instead (measured: about a quarter off the
    // append path).
    db.pragma('wal_autocheckpoint = 0');
    let flushedAt = 0;
    this.walFlushTimer = setInterval(() => {
      if (this.writer.stats.groups === flushedAt) return;
      flushedAt = this.writer.stats.groups;
      this.flushWal();
    }, WAL_FLUSH_EVERY_MS);
    this.walFlushTimer.unref();
  }

  /** Copies committed pages from the WAL into the database file, without blocking readers or writers. */
  flushWal(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy with another process's flush: the next tick tries again.
    }
  }

  /** Opens (or, in `create` mode, makes) the ledger in a data folder. */
  static open(dataDir: string, options: LedgerOptions = {}): Ledger {
    return new Ledger(openLedgerDb(dataDir, options.mode ?? 'create', options.upgrade ?? true), options);
  }

  /**
   * Keeps a value in the content store by its hash (secrets taken out first) and returns the
   * reference an event names it by; the body is written with the first event that does.
   */
  content(value: JsonValue): ContentRef {
    return this.writer.content(value);
  }

  /** Bodies by hash, and what retention left where it removed one. */
  get contents(): ContentReader {
    return this.reader.contents;
  }

  /**
   * What a prune before `before` would remove now: the last event before the date, and the
   * bodies no event after it names (count and bytes), read from the content store's index.
   */
  prunable(before: Date): { throughSeq: number } & PruneCount {
    return prunableBefore(this.db, before);
  }

  /**
   * Retention: removes the bodies of content that no event at or after `before` names, keeping
   * their hashes, and records who did it and why as a `content.pruned` event (in the same
   * transaction). Events are never removed, so the chain and its proofs still verify.
   */
  prune(options: { before: Date; by: string; reason: string }): Promise<EventOf<'content.pruned'>> {
    if (!options.reason.trim()) return Promise.reject(new EventInvalidError('a prune needs a reason'));
    return this.appendIf(() => {
      const { throughSeq } = this.prunable(options.before);
      // Inside the write transaction: the prune event takes the next seq.
      const next = (this.reader.head()?.seq ?? 0) + 1;
      const removed = pruneBodies(this.db, throughSeq, next);
      return {
        type: 'content.pruned',
        payload: {
          before: options.before.toISOString(),
          throughSeq,
          by: options.by,
          reason: options.reason,
          ...removed,
        },
      };
    });
  }

  /** Appends one event; resolves once it is durable. */
  append<E extends NewEvent>(event: E): Promise<EventOf<E['type']>> {
    return this.writer.append(event) as Promise<EventOf<E['type']>>;
  }

  /** Appends an observation nobody waits on: it rides the next transaction (see LedgerWriter.appendLazy). */
  appendLazy(event: NewEvent): Promise<LedgerEvent> {
    return this.writer.appendLazy(event);
  }

  /** Appends the event `build` returns, deciding inside the write transaction (see LedgerWriter.appendIf). */
  appendIf<E extends NewEvent>(build: () => E): Promise<EventOf<E['type']>> {
    return this.writer.appendIf(build) as Promise<EventOf<E['type']>>;
  }

  /** Appends events in order in one transaction; all or none. */
  appendMany(events: readonly NewEvent[]): Promise<LedgerEvent[]> {
    return this.writer.appendMany(events);
  }

  private factsReader: LedgerFacts | undefined;
  private storedTree: StoredTree | undefined;

  /** The Merkle tree over the events: roots and proofs. */
  get tree(): StoredTree {
    return (this.storedTree ??= new StoredTree(this.db));
  }

  /** The data folder's id, which its signed checkpoints name (`warden:<uuid>`). */
  get origin(): string {
    const row =
      schemaVersion(this.db) >= 3
        ? (this.db.prepare("SELECT value FROM meta WHERE key = 'origin'").get() as { value: string } | undefined)
        : undefined;
    if (!row) throw new NoLedgerError(`${this.db.name} predates signed checkpoints; open it with Warden to upgrade it`);
    return row.value;
  }

  private blobStore: BlobStore | undefined;

  /** The bytes events record by hash (large images, audio, resources' blobs), in the data folder's `blobs/`. */
  get blobs(): BlobStore {
    return (this.blobStore ??= new BlobStore(join(this.dataDir, BLOBS_DIR)));
  }

  /** Whether text (or bytes read as Latin-1) holds a registered secret, plain or encoded. */
  holdsSecret(text: string): boolean {
    return this.writer.redactor.scrubText(text) !== text;
  }

  /** The folder the ledger lives in. */
  get dataDir(): string {
    return dirname(this.db.name);
  }

  /**
   * The number of events and the Merkle root over them, read together in one transaction (so
   * an append by another process cannot fall between them).
   */
  treeHead(): { size: number; rootHash: string } {
    return this.db.transaction(() => {
      const size = this.reader.head()?.seq ?? 0;
      return { size, rootHash: this.tree.root(size).toString('hex') };
    })();
  }

  /** Keeps a signed checkpoint, so later ones can be checked against it. */
  recordCheckpoint(c: SignedCheckpoint): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO checkpoints (size, time, root_hash, signature, public_key, key_fingerprint) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(c.size, c.time, c.rootHash, c.signature, c.publicKey, c.keyFingerprint);
  }

  /** The latest signed checkpoint kept, or null. */
  latestCheckpoint(): SignedCheckpoint | null {
    const row = this.db
      .prepare(
        'SELECT size, time, root_hash AS rootHash, signature, public_key AS publicKey, key_fingerprint AS keyFingerprint FROM checkpoints ORDER BY size DESC, time DESC LIMIT 1',
      )
      .get() as Omit<SignedCheckpoint, 'origin'> | undefined;
    return row ? { origin: this.origin, ...row } : null;
  }

  /** The projections KPIs and rolling accuracy read (a ledger opened for verify may predate them). */
  get facts(): LedgerFacts {
    if (!this.factsReader) {
      if (schemaVersion(this.db) < 2)
        throw new NoLedgerError(
          `${this.db.name} predates KPIs (schema ${schemaVersion(this.db)}); open it with Warden to upgrade it`,
        );
      this.factsReader = new LedgerFacts(this.db);
    }
    return this.factsReader;
  }

  private readonly projections = new Map<string, unknown>();

  /** Pages of runs for the console's run list, from `run_facts` (schema 4 and up). */
  get runs(): RunList {
    return this.projection('the run list', 4, () => new RunList(this.db));
  }

  /** The approval queue's requests and decisions by seq (schema 6 and up). */
  get approvalFacts(): ApprovalFacts {
    return this.projection('the approval queue', 6, () => new ApprovalFacts(this.db));
  }

  /** Each agent's latest run, runs under way and runs per day, for the roster (schema 6 and up). */
  get roster(): RosterFacts {
    return this.projection("the roster's health", 6, () => new RosterFacts(this.db));
  }

  /** A reader over projections a schema version added, made once; refused on an older ledger. */
  private projection<T>(what: string, version: number, make: () => T): T {
    let reader = this.projections.get(what) as T | undefined;
    if (reader === undefined) {
      const schema = schemaVersion(this.db);
      if (schema < version)
        throw new NoLedgerError(
          `${this.db.name} predates ${what} (schema ${schema}); open it with Warden to upgrade it`,
        );
      reader = make();
      this.projections.set(what, reader);
    }
    return reader;
  }

  /** Takes `value` out of every event payload written from now on, as `[redacted:name]`. */
  redact(name: string, value: string | undefined): void {
    this.writer.redactor.add(name, value);
  }

  /** Plain text (a log line) with the registered secrets taken out. */
  redactText(text: string): string {
    return this.writer.redactor.scrubText(text);
  }

  /** Group-commit counters of this process's writer: transactions and the events in them. */
  get writeStats(): Readonly<{ groups: number; events: number }> {
    return this.writer.stats;
  }

  /**
   * Recomputes the whole chain and names the first event that does not hold, then checks the
   * checkpoints the folder signed (and `since`, one given from outside) and the stored Merkle
   * tree against the events, so a ledger cut short or rewritten and rehashed does not pass.
   * A big ledger's chain is walked in parallel, one part per core, in worker threads.
   */
  async verify(options: LedgerVerifyOptions = {}): Promise<LedgerVerifyReport> {
    const head = this.reader.head();
    const threads = options.threads ?? availableParallelism();
    const parallel = options.threads !== undefined || (head !== null && head.seq >= PARALLEL_THRESHOLD);
    if (head && parallel && threads > 1) {
      const { tiles, ...walk } = await verifyInParallel(this.db.name, head.seq, threads);
      return this.inReadTransaction(() =>
        this.withEvidence(walk, tiles && { head: walk.head?.seq ?? 0, ...tiles }, options),
      );
    }
    return this.verifySerial(options);
  }

  /**
   * The same check as {@link verify}, made in a worker thread on a connection of its own, so
   * this thread's event loop stays free meanwhile (the console's server answers other requests).
   */
  verifyInWorker(options: EvidenceOptions = {}): Promise<LedgerVerifyReport> {
    const task: FolderTask = { dataDir: this.dataDir, options };
    return runWorker<LedgerVerifyReport>('verify-folder-worker', task);
  }

  /** The chain walked on this thread, and the evidence checked, in one read transaction. */
  verifySerial(options: EvidenceOptions = {}): LedgerVerifyReport {
    // One read transaction, so appends by others during a long verify do not mix in.
    return this.inReadTransaction(() => {
      const tiles = new TileHasher();
      const rows = hashingLeaves(this.reader.chainRows(), tiles);
      const { firstPrevHash: _joinsNothing, ...report } = verifyChain(rows, { contiguous: true });
      return this.withEvidence(report, { head: report.head?.seq ?? 0, ...tiles.whole() }, options);
    });
  }

  /**
   * Why the ledger must not be signed at this head: it is shorter than, or its tree no longer
   * has the root of, a checkpoint signed before. Null when it may be.
   */
  checkpointConflict(head: { size: number }): string | null {
    return schemaVersion(this.db) < 3 ? null : checkpointConflict(this.db, this.tree, this.origin, head);
  }

  private withEvidence(report: VerifyReport, walked: WalkedTiles | null, options: EvidenceOptions): LedgerVerifyReport {
    if (!report.ok || !walked) return { ...report, evidence: null };
    const { problem, evidence } = checkEvidence(this.db, walked, options);
    return problem ? { ...report, ok: false, firstBreak: problem, evidence } : { ...report, evidence };
  }

  private inReadTransaction<T>(read: () => T): T {
    this.db.exec('BEGIN');
    try {
      return read();
    } finally {
      this.db.exec('COMMIT');
    }
  }

  /** Writes the matching events to a file in JSONL (verifiable on its own) or CSV. */
  export(file: string, format: ExportFormat, filters: ExportFilters = {}, options: ExportOptions = {}): ExportSummary {
    const summary = exportLedger(this.db, file, format, filters, options);
    if (summary.checkpoint) this.recordCheckpoint(summary.checkpoint);
    return summary;
  }

  /**
   * Whether another connection (this process or another) has committed since the last call:
   * SQLite's `data_version` changes when someone else writes, which is how a console notices
   * the CLI's appends without polling the table.
   */
  changedByOthers(): boolean {
    const now = this.dataVersion();
    const changed = now !== this.lastDataVersion.value;
    this.lastDataVersion.value = now;
    return changed;
  }

  /** Commits what is waiting and closes the database. */
  close(): void {
    clearInterval(this.walFlushTimer);
    this.writer.close();
    this.flushWal();
    this.db.close();
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }
}
