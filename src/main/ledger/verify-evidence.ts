import type Database from 'better-sqlite3';
import type { SignedCheckpoint } from '../../shared/audit.js';
import { NoLedgerError } from '../../shared/errors.js';
import { checkpointProblem } from './checkpoint.js';
import { nodeHash } from './merkle.js';
import { schemaVersion } from './migrations/index.js';
import { StoredTree, TILE } from './tree.js';
import type { ChainBreak } from './verify.js';

/**
 * A chain alone cannot show that its end was cut off, or that it was rewritten and rehashed
 * from some point on. What can: the checkpoints the folder signed (each states a size and a
 * root) and the Merkle tree stored next to the chain, both compared here with the tree
 * rebuilt from the events the walk just read.
 */

/** What was checked beyond the chain. */
export interface Evidence {
  /** `verified`: every stored node matches the events; `none`: the ledger predates Merkle trees. */
  tree: 'verified' | 'none';
  /** Signed checkpoints kept in the ledger, each checked against the events. */
  checkpoints: number;
  latest: CheckpointRef | null;
  /** The checkpoint given from outside the folder (`verify --since`), when there was one. */
  since: CheckpointRef | null;
}

/** A checkpoint as a report names it. */
export interface CheckpointRef {
  size: number;
  time: string;
  keyFingerprint: string;
}

/** The tree the walk rebuilt: the hashes of its complete tiles, up to the head it walked to. */
export interface WalkedTiles {
  head: number;
  tiles: Buffer[];
}

/** A checkpoint from outside the folder, and the key it must be signed with, if any. */
export interface EvidenceOptions {
  since?: SignedCheckpoint;
  trustedKey?: string;
}

/**
 * Checks, in the caller's read transaction, the checkpoint given from outside, then every
 * checkpoint the ledger kept, then every stored Merkle node against the tree rebuilt from the
 * events; returns the first problem (checkpoints first: they are what an auditor was given).
 */
export function checkEvidence(
  db: Database.Database,
  walked: WalkedTiles,
  options: EvidenceOptions = {},
): { problem: ChainBreak | null; evidence: Evidence } {
  const evidence: Evidence = { tree: 'none', checkpoints: 0, latest: null, since: null };
  if (schemaVersion(db) < 3) {
    if (options.since)
      throw new NoLedgerError(`${db.name} predates signed checkpoints; open it with Warden to upgrade it`);
    return { problem: null, evidence };
  }
  const origin = (db.prepare("SELECT value FROM meta WHERE key = 'origin'").get() as { value: string }).value;
  // Appends by others after the walk began are not the walk's to judge; deletions are.
  const now = (db.prepare('SELECT max(seq) AS seq FROM events').get() as { seq: number | null }).seq ?? 0;
  const rebuilt = new WalkedTree(db, walked.tiles);
  const firstNodeMismatch = storedNodeProblem(db, rebuilt, walked.head, now);

  const judge = (c: SignedCheckpoint, whose: string, trustedKey?: string): ChainBreak | null => {
    const name = `${whose} of ${c.size} events signed ${c.time} with key ${c.keyFingerprint.slice(0, 16)}…`;
    const signature = checkpointProblem(c, trustedKey);
    if (signature)
      return {
        seq: Math.min(c.size, walked.head + 1),
        reason: 'checkpoint',
        message: `${name} does not hold: ${signature}`,
      };
    if (c.size > now)
      return {
        seq: now + 1,
        reason: 'checkpoint',
        message: `${name} no longer holds: the ledger ends at seq ${now}: events were cut off at the end`,
      };
    if (c.size > walked.head) return null;
    if (rebuilt.root(c.size).toString('hex') === c.rootHash) return null;
    const from = firstNodeMismatch && firstNodeMismatch.seq <= c.size ? firstNodeMismatch.seq : c.size;
    return {
      seq: from,
      reason: 'checkpoint',
      message: `${name} no longer holds: the Merkle root of the ledger's first ${c.size} events is not the one it signed: history was rewritten`,
    };
  };

  if (options.since) {
    const c = options.since;
    if (c.origin !== origin)
      return {
        problem: {
          seq: 0,
          reason: 'checkpoint',
          message: `the given checkpoint is of another ledger (${c.origin}), not this one (${origin})`,
        },
        evidence,
      };
    const problem = judge(c, 'the given checkpoint', options.trustedKey);
    if (problem) return { problem, evidence };
    evidence.since = ref(c);
  }
  for (const c of storedCheckpoints(db, origin)) {
    const problem = judge(c, 'the checkpoint');
    if (problem) return { problem, evidence };
    if (c.size > walked.head) continue;
    evidence.checkpoints += 1;
    evidence.latest = ref(c);
  }
  if (firstNodeMismatch) return { problem: firstNodeMismatch, evidence };
  evidence.tree = 'verified';
  return { problem: null, evidence };
}

/**
 * Why the ledger may not be signed now: it is shorter than a checkpoint signed before, or its
 * tree no longer has the root one signed. Null when every earlier checkpoint still holds.
 * Checkpoints whose signature fails are not the folder's own, and verify reports them.
 */
export function checkpointConflict(
  db: Database.Database,
  tree: StoredTree,
  origin: string,
  head: { size: number },
): string | null {
  const seen = new Set<number>();
  for (const c of storedCheckpoints(db, origin)) {
    if (seen.has(c.size) || checkpointProblem(c) !== null) continue;
    seen.add(c.size);
    const name = `the checkpoint of ${c.size} events signed ${c.time}`;
    if (c.size > head.size)
      return `the ledger holds ${head.size} events, fewer than ${name}: events were cut off at the end`;
    if (tree.root(c.size).toString('hex') !== c.rootHash)
      return `the ledger's first ${c.size} events no longer have the Merkle root ${name} states: history was rewritten`;
  }
  return null;
}

/** The checkpoints a ledger kept, smallest first. */
function storedCheckpoints(db: Database.Database, origin: string): SignedCheckpoint[] {
  const rows = db
    .prepare(
      'SELECT size, time, root_hash AS rootHash, signature, public_key AS publicKey, key_fingerprint AS keyFingerprint FROM checkpoints ORDER BY size, time',
    )
    .all() as Omit<SignedCheckpoint, 'origin'>[];
  return rows.map((r) => ({ origin, ...r }));
}

/**
 * The first stored node (by the events it covers) that does not match the events: one that
 * covers events the ledger no longer holds (cut off), one whose hash differs (rewritten), or
 * nodes missing altogether.
 */
function storedNodeProblem(db: Database.Database, rebuilt: WalkedTree, head: number, now: number): ChainBreak | null {
  // The mismatch that ends first, and of those the smallest node, locates a change best:
  // above a changed tile, every node up to the root differs too.
  let first: ChainBreak | null = null;
  let firstEnd = Infinity;
  let counted = 0;
  let furthest = 0;
  const rows = db.prepare('SELECT level, idx, hash FROM merkle_nodes').raw().iterate() as Iterable<
    [number, number, Buffer]
  >;
  for (const [level, idx, hash] of rows) {
    const start = idx * 2 ** level;
    const end = start + 2 ** level;
    furthest = Math.max(furthest, end);
    if (end > head) continue;
    counted += 1;
    if (end > firstEnd || (end === firstEnd && start + 1 <= first!.seq)) continue;
    if (!rebuilt.node(level, idx).equals(hash)) {
      firstEnd = end;
      first = {
        seq: start + 1,
        reason: 'tree',
        message: `the stored Merkle tree's node over seqs ${start + 1}–${end} does not match the events: they were changed after it was written`,
      };
    }
  }
  if (furthest > now)
    return {
      seq: now + 1,
      reason: 'tree',
      message: `the stored Merkle tree covers ${furthest} events but the ledger ends at seq ${now}: events were cut off at the end`,
    };
  if (first) return first;
  let expected = 0;
  for (let size = TILE; size <= head; size *= 2) expected += Math.floor(head / size);
  if (counted < expected)
    return {
      seq: head,
      reason: 'tree',
      message: `the stored Merkle tree lacks ${expected - counted} of its nodes over the ledger's ${head} events: rows were deleted`,
    };
  return null;
}

/**
 * The tree rebuilt from the walked events: its nodes come from the tiles the walk hashed
 * instead of from `merkle_nodes`; ranges below a tile are read from the events, as the stored
 * tree reads them.
 */
class WalkedTree extends StoredTree {
  private readonly memo = new Map<string, Buffer>();

  constructor(
    db: Database.Database,
    private readonly tiles: Buffer[],
  ) {
    super(db);
  }

  /** The node over leaves [index·2^level, (index+1)·2^level), a tile or above, all within the walk. */
  override node(level: number, index: number): Buffer {
    if (2 ** level === TILE) return this.tiles[index]!;
    const key = `${level}:${index}`;
    let hash = this.memo.get(key);
    if (!hash) {
      hash = nodeHash(this.node(level - 1, 2 * index), this.node(level - 1, 2 * index + 1));
      this.memo.set(key, hash);
    }
    return hash;
  }
}

function ref(c: SignedCheckpoint): CheckpointRef {
  return { size: c.size, time: c.time, keyFingerprint: c.keyFingerprint };
}
