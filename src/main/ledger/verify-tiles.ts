import { leafHash, memoryTree } from './merkle.js';
import { TILE } from './tree.js';
import type { ChainRow } from './verify.js';

/**
 * The Merkle tree's tiles recomputed from the events a verify walk read (hex, so they cross
 * to and from worker threads as they are): `leading` leaves before the walk's first tile
 * boundary, the hashes of the whole `tiles` after it, and the `trailing` leaves after the last.
 */
export interface TileWalk {
  leading: string[];
  tiles: string[];
  trailing: string[];
}

/**
 * Hashes the tree's tiles from leaves pushed in seq order, starting at leaf `next`. A walk
 * that starts inside a tile keeps that tile's first leaves apart, for whoever joins the parts.
 */
export class TileHasher {
  private readonly leading: Buffer[] = [];
  private readonly tiles: Buffer[] = [];
  private pending: Buffer[] = [];
  private aligned: boolean;

  constructor(private next = 0) {
    this.aligned = next % TILE === 0;
  }

  /** The next leaf's hash. */
  push(leaf: Buffer): void {
    this.next += 1;
    if (!this.aligned) {
      this.leading.push(leaf);
      this.aligned = this.next % TILE === 0;
      return;
    }
    this.pending.push(leaf);
    if (this.pending.length === TILE) {
      this.tiles.push(memoryTree(this.pending).hash(0, TILE));
      this.pending = [];
    }
  }

  /** Joins the walk of the part that follows: its leading leaves complete the tile open here. */
  join(part: TileWalk): void {
    for (const leaf of part.leading) this.push(Buffer.from(leaf, 'hex'));
    if (part.tiles.length > 0) {
      if (this.pending.length > 0 || !this.aligned)
        throw new Error('a verify part does not start where the last ended');
      for (const tile of part.tiles) this.tiles.push(Buffer.from(tile, 'hex'));
      this.next += part.tiles.length * TILE;
    }
    for (const leaf of part.trailing) this.push(Buffer.from(leaf, 'hex'));
  }

  /** The tiles completed so far (the leaves of the one still open are read from the events). */
  whole(): { tiles: Buffer[] } {
    return { tiles: this.tiles };
  }

  /** The walk as hex, to send across threads. */
  walk(): TileWalk {
    const hex = (b: Buffer) => b.toString('hex');
    return { leading: this.leading.map(hex), tiles: this.tiles.map(hex), trailing: this.pending.map(hex) };
  }
}

/** Passes a walk's rows on unchanged, pushing each event's leaf hash (its body, after the 64-hex link). */
export function* hashingLeaves(rows: Iterable<ChainRow>, hasher: TileHasher): Generator<ChainRow> {
  for (const row of rows) {
    hasher.push(leafHash(row[3].slice(64)));
    yield row;
  }
}
