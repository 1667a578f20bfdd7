import * as crypto from 'node:crypto';

/**
 * RFC 6962 Merkle trees (as RFC 9162 restates them): hashes, the tree head, inclusion and
 * consistency proofs, and their verification. Pure functions over a source of subtree hashes,
 * so the same code serves a tree stored in SQLite and a list of leaves read from an export.
 */

/** SHA-256 of the empty string: the root of a tree with no leaves. */
export const EMPTY_ROOT = crypto.createHash('sha256').digest();

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

// crypto.hash (Node 20.12+) hashes in one call, much faster than createHash for small inputs;
// a ledger hashes a leaf and about one node per event it appends or verifies.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'buffer') => Buffer }).hash;

/** A leaf's hash: SHA-256(0x00 || data); a string is its UTF-8 bytes (U+0000 is the byte 0x00). */
export function leafHash(data: Buffer | string): Buffer {
  if (typeof data === 'string' && oneShot) return oneShot('sha256', `\u0000${data}`, 'buffer');
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return oneShot
    ? oneShot('sha256', Buffer.concat([LEAF_PREFIX, bytes]), 'buffer')
    : crypto.createHash('sha256').update(LEAF_PREFIX).update(bytes).digest();
}

/** An inner node's hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return oneShot
    ? oneShot('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer')
    : crypto.createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** Where proofs get the hash of a range of leaves [start, end) from. */
export interface SubtreeHashes {
  /** MTH of leaves [start, end); start is always a multiple of the largest power of 2 below end − start. */
  hash(start: number, end: number): Buffer;
}

/** The largest power of two smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaf hashes held in memory: each range computed once, from the leaves up. */
export function memoryTree(leaves: readonly Buffer[]): SubtreeHashes {
  const memo = new Map<string, Buffer>();
  const hash = (start: number, end: number): Buffer => {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return leaves[start]!;
    const key = `${start}:${end}`;
    let h = memo.get(key);
    if (!h) {
      const k = split(n);
      h = nodeHash(hash(start, start + k), hash(start + k, end));
      memo.set(key, h);
    }
    return h;
  };
  return { hash };
}

/** The root (tree head) of the first `size` leaves. */
export function rootOf(tree: SubtreeHashes, size: number): Buffer {
  return size === 0 ? EMPTY_ROOT : tree.hash(0, size);
}

/** The inclusion proof (audit path) of leaf `index` in the tree of `size` leaves, leaf to root. */
export function inclusionProof(tree: SubtreeHashes, index: number, size: number): Buffer[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path = (m: number, start: number, end: number): Buffer[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = split(n);
    return m < k
      ? [...path(m, start, start + k), tree.hash(start + k, end)]
      : [...path(m - k, start + k, end), tree.hash(start, start + k)];
  };
  return path(index, 0, size);
}

/** The consistency proof that the tree of `size2` leaves extends the tree of its first `size1`. */
export function consistencyProof(tree: SubtreeHashes, size1: number, size2: number): Buffer[] {
  if (!(size1 >= 0 && size1 <= size2)) throw new RangeError(`no consistency proof from ${size1} to ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const sub = (m: number, start: number, end: number, whole: boolean): Buffer[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [tree.hash(start, end)];
    const k = split(n);
    return m <= k
      ? [...sub(m, start, start + k, whole), tree.hash(start + k, end)]
      : [...sub(m - k, start + k, end, false), tree.hash(start, start + k)];
  };
  return sub(size1, 0, size2, true);
}

/** Whether `path` proves that `leaf` is leaf `index` of the tree of `size` leaves with this root (RFC 9162 §2.1.3.2). */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Buffer,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return false;
  if (leaf.length !== 32 || root.length !== 32 || path.some((p) => p.length !== 32)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** Whether `proof` shows the tree of `size2` leaves (root2) extends the tree of `size1` (root1) (RFC 9162 §2.1.4.2). */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Buffer,
  root2: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2) && size1 >= 0 && size1 <= size2)) return false;
  // Every tree extends the empty one: a check against it proves nothing, and is refused.
  if (size1 === 0) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (root1.length !== 32 || root2.length !== 32 || proof.some((p) => p.length !== 32)) return false;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/**
 * The root of a tree built leaf by leaf, in O(log n) memory: the hashes of the complete
 * subtrees along its right edge. What verifying a million-event export uses.
 */
export class Frontier {
  private readonly stack: { size: number; hash: Buffer }[] = [];
  /** Leaves pushed so far. */
  size = 0;

  /** Adds the next leaf's hash. */
  push(leaf: Buffer): void {
    let top = { size: 1, hash: leaf };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.size === top.size) {
      const left = this.stack.pop()!;
      top = { size: left.size * 2, hash: nodeHash(left.hash, top.hash) };
    }
    this.stack.push(top);
    this.size += 1;
  }

  /** The root of the leaves pushed so far. */
  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let hash = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i]!.hash, hash);
    return hash;
  }
}
