import { GENESIS_HASH, sha256Hex } from './hash.js';

/**
 * Why a ledger failed verification: its chain, or (a data folder's) a signed checkpoint or the
 * stored Merkle tree that the events no longer match.
 */
export type BreakReason =
  'hash-mismatch' | 'broken-link' | 'missing-seq' | 'bad-genesis' | 'malformed' | 'checkpoint' | 'tree';

/** Where a chain first went wrong. */
export interface ChainBreak {
  seq: number;
  reason: BreakReason;
  message: string;
}

/** What verification found. */
export interface VerifyReport {
  ok: boolean;
  /** Events whose own hash was recomputed. */
  checked: number;
  /** Links (prev_hash equals the previous event's hash) that were checked. */
  linksChecked: number;
  /** Places where a filtered export leaves events out, so the link could not be checked. */
  gaps: number;
  head: { seq: number; hash: string } | null;
  firstBreak: ChainBreak | null;
}

/** A walk over (part of) a chain: the report, and the first event's link for joining parts. */
export interface ChainWalk extends VerifyReport {
  /** The prev_hash of the first event walked (null when none was). */
  firstPrevHash: string | null;
}

/**
 * An event as the verifier needs it: its seq, its link, its hash, and what its hash covers
 * (prev_hash followed by the event's canonical JSON; see hash.ts).
 */
export type ChainRow = [seq: number, prevHash: string, hash: string, hashInput: string];

/** How strictly to treat gaps in seq, and where the walk starts. */
export interface ChainOptions {
  /** A whole ledger has no gaps: a jump in seq is a deleted event. A filtered export may have gaps. */
  contiguous: boolean;
  /**
   * Walk only the part of a chain after this seq (default 0, the whole chain). The first
   * event's link then points outside the walk: it is not checked here but reported as
   * `firstPrevHash`, for whoever joins the parts.
   */
  after?: number;
}

/**
 * Walks a chain in seq order and reports the first event that does not hold. Each event's
 * hash is recomputed from its fields and payload; each link to the event just before it is
 * checked where that event is present. Stops at the first break: everything after it is
 * unproven, and one precise place is what an auditor needs.
 */
export function verifyChain(rows: Iterable<ChainRow>, options: ChainOptions): ChainWalk {
  let checked = 0;
  let linksChecked = 0;
  let gaps = 0;
  // The last good event, as two scalars: this loop runs a million times in a big verify.
  const after = options.after ?? 0;
  let lastSeq = after;
  let lastHash = '';
  let firstPrevHash: string | null = null;
  const head = () => (checked > 0 ? { seq: lastSeq, hash: lastHash } : null);
  const fail = (seq: number, reason: BreakReason, message: string): ChainWalk => ({
    ok: false,
    checked,
    linksChecked,
    gaps,
    firstPrevHash,
    head: head(),
    firstBreak: { seq, reason, message },
  });

  for (const row of rows) {
    const [seq, prevHash, hash, hashInput] = row;
    if (checked === 0) firstPrevHash = prevHash;
    const expected = lastSeq + 1;
    if (seq !== expected) {
      if (seq < expected) {
        return fail(seq, 'malformed', `seq ${seq} is out of order (expected ${expected} or later)`);
      }
      if (options.contiguous) {
        const missing = expected === seq - 1 ? `seq ${expected} is` : `seqs ${expected}–${seq - 1} are`;
        return fail(expected, 'missing-seq', `${missing} missing: events were deleted`);
      }
      gaps += 1;
    } else if (checked > 0) {
      if (prevHash !== lastHash) {
        return fail(
          seq,
          'broken-link',
          `seq ${seq}'s prev_hash does not match seq ${lastSeq}'s hash: one of them was replaced or rows were reordered`,
        );
      }
      linksChecked += 1;
    } else if (seq === 1 && prevHash !== GENESIS_HASH) {
      return fail(seq, 'bad-genesis', `seq 1's prev_hash is not the genesis hash: the first event was replaced`);
    }
    // hashInput starts with prevHash, so checking the link above also pins what is hashed here.
    if (sha256Hex(hashInput) !== hash) {
      return fail(seq, 'hash-mismatch', `seq ${seq}'s contents do not match its hash: the event was altered`);
    }
    checked += 1;
    lastSeq = seq;
    lastHash = hash;
  }
  return { ok: true, checked, linksChecked, gaps, firstPrevHash, head: head(), firstBreak: null };
}
