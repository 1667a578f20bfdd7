import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  Frontier,
  consistencyProof,
  inclusionProof,
  leafHash,
  memoryTree,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/main/ledger/merkle.js';

/** The RFC 6962 test vectors published with Certificate Transparency (see the file's `source`). */
const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/merkle/rfc6962-vectors.json', import.meta.url), 'utf8'),
) as {
  leafInputsHex: string[];
  rootsHex: string[];
  inclusion: {
    leafIdx: number;
    treeSize: number;
    root: string;
    leafHash: string;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
    file: string;
  }[];
  consistency: {
    size1: number;
    size2: number;
    root1: string;
    root2: string;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
    file: string;
  }[];
};
const b64 = (s: string | null | undefined) => Buffer.from(s ?? '', 'base64');
const leaves = vectors.leafInputsHex.map((hex) => leafHash(Buffer.from(hex, 'hex')));
const tree = memoryTree(leaves);

describe('RFC 6962 Merkle tree', () => {
  it('hashes a string leaf as its UTF-8 bytes after a 0x00 byte', () => {
    const expected = createHash('sha256')
      .update(Buffer.from([0]))
      .update('héllo', 'utf8')
      .digest();
    expect(leafHash('héllo').equals(expected)).toBe(true);
    expect(leafHash(Buffer.from('héllo', 'utf8')).equals(expected)).toBe(true);
  });

  it('has the published root for every size from 0 to 8', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(vectors.rootsHex[0]);
    for (let size = 0; size <= 8; size++)
      expect(rootOf(memoryTree(leaves.slice(0, size)), size).toString('hex'), `size ${size}`).toBe(
        vectors.rootsHex[size],
      );
  });

  it('gets the same roots leaf by leaf, in a frontier', () => {
    const frontier = new Frontier();
    expect(frontier.root().toString('hex')).toBe(vectors.rootsHex[0]);
    leaves.forEach((leaf, i) => {
      frontier.push(leaf);
      expect(frontier.root().toString('hex')).toBe(vectors.rootsHex[i + 1]);
    });
    const many = Array.from({ length: 1000 }, (_, i) => leafHash(`e${i}`));
    const big = new Frontier();
    many.forEach((leaf) => big.push(leaf));
    expect(big.root().equals(rootOf(memoryTree(many), 1000))).toBe(true);
  });

  it('verifies every published inclusion case as published: the valid ones pass, every corrupted one fails', () => {
    expect(vectors.inclusion.filter((c) => !c.wantErr).length).toBeGreaterThan(5);
    expect(vectors.inclusion.filter((c) => c.wantErr).length).toBeGreaterThan(50);
    for (const c of vectors.inclusion) {
      const ok = verifyInclusion(c.leafIdx, c.treeSize, b64(c.leafHash), (c.proof ?? []).map(b64), b64(c.root));
      expect(ok, `${c.file}: ${c.desc}`).toBe(!c.wantErr);
    }
  });

  it('verifies every published consistency case as published', () => {
    expect(vectors.consistency.filter((c) => c.wantErr).length).toBeGreaterThan(50);
    for (const c of vectors.consistency) {
      const ok = verifyConsistency(c.size1, c.size2, b64(c.root1), b64(c.root2), (c.proof ?? []).map(b64));
      expect(ok, `${c.file}: ${c.desc}`).toBe(!c.wantErr);
    }
  });

  it('makes the published proofs, and every proof it makes for sizes 1 to 8 verifies', () => {
    for (const c of vectors.inclusion.filter((v) => !v.wantErr && v.file.endsWith('happy-path.json')))
      expect(inclusionProof(tree, c.leafIdx, c.treeSize).map((p) => p.toString('base64'))).toEqual(c.proof ?? []);
    for (const c of vectors.consistency.filter((v) => !v.wantErr && v.file.endsWith('happy-path.json')))
      expect(consistencyProof(tree, c.size1, c.size2).map((p) => p.toString('base64'))).toEqual(c.proof ?? []);
    for (let size = 1; size <= 8; size++) {
      const root = rootOf(tree, size);
      for (let i = 0; i < size; i++)
        expect(verifyInclusion(i, size, leaves[i]!, inclusionProof(tree, i, size), root)).toBe(true);
      for (let m = 1; m <= size; m++)
        expect(
          verifyConsistency(m, size, rootOf(tree, m), root, consistencyProof(tree, m, size)),
          `${m} → ${size}`,
        ).toBe(true);
    }
  });

  it('refuses every corruption of a proof: index off by one, a size of another shape, a flipped bit in each element, an element removed or added', () => {
    const big = memoryTree(Array.from({ length: 37 }, (_, i) => leafHash(`event ${i}`)));
    const size = 37;
    const root = rootOf(big, size);
    for (const index of [0, 5, 18, 31, 36]) {
      const leaf = leafHash(`event ${index}`);
      const path = inclusionProof(big, index, size);
      expect(verifyInclusion(index, size, leaf, path, root)).toBe(true);
      expect(verifyInclusion(index + 1, size, leaf, path, root)).toBe(false);
      if (index > 0) expect(verifyInclusion(index - 1, size, leaf, path, root)).toBe(false);
      // A size that changes the path's shape fails here; one that does not (size 38 for leaf 0)
      // leaves the same path, and is caught by the signature over the size (proof files).
      expect(verifyInclusion(index, size * 2, leaf, path, root)).toBe(false);
      path.forEach((element, i) => {
        for (const bit of [0, 7, 128, 255]) {
          const flipped = Buffer.from(element);
          flipped[bit >> 3]! ^= 1 << (bit & 7);
          const corrupted = path.map((p, j) => (j === i ? flipped : p));
          expect(verifyInclusion(index, size, leaf, corrupted, root), `bit ${bit} of element ${i}`).toBe(false);
        }
        expect(
          verifyInclusion(
            index,
            size,
            leaf,
            path.filter((_, j) => j !== i),
            root,
          ),
        ).toBe(false);
      });
      expect(verifyInclusion(index, size, leaf, [...path, leafHash('extra')], root)).toBe(false);
      expect(verifyInclusion(index, size, leaf, [leafHash('extra'), ...path], root)).toBe(false);
    }
    const proof = consistencyProof(big, 11, size);
    expect(verifyConsistency(11, size, rootOf(big, 11), root, proof)).toBe(true);
    expect(verifyConsistency(12, size, rootOf(big, 11), root, proof)).toBe(false);
    expect(verifyConsistency(11, size * 2, rootOf(big, 11), root, proof)).toBe(false);
    proof.forEach((element, i) => {
      const flipped = Buffer.from(element);
      flipped[31]! ^= 1;
      expect(
        verifyConsistency(
          11,
          size,
          rootOf(big, 11),
          root,
          proof.map((p, j) => (j === i ? flipped : p)),
        ),
      ).toBe(false);
      expect(
        verifyConsistency(
          11,
          size,
          rootOf(big, 11),
          root,
          proof.filter((_, j) => j !== i),
        ),
      ).toBe(false);
    });
    expect(verifyConsistency(11, size, rootOf(big, 11), root, [...proof, EMPTY_ROOT])).toBe(false);
  });
});
