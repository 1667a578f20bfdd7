import * as crypto from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signCheckpoint, signedCheckpoint } from '../../../src/main/audit/checkpoints.js';
import { signingKey } from '../../../src/main/audit/keys.js';
import { canonicalEventBody, chainHash } from '../../../src/main/ledger/hash.js';
import { Ledger, verifyExportFile } from '../../../src/main/ledger/index.js';
import { Frontier, leafHash, memoryTree, rootOf } from '../../../src/main/ledger/merkle.js';
import { checkpointMessage, type SignedCheckpoint } from '../../../src/shared/audit.js';
import type { LedgerEvent, NewEvent } from '../../../src/shared/events.js';
import { canonicalJson } from '../../../src/shared/json.js';
import { testKeychain } from '../../helpers/keychain.js';
import { tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let ledger: Ledger;
beforeEach(async () => {
  const temp = tempDir();
  dir = temp.dir;
  cleanup = temp.cleanup;
  ledger = Ledger.open(join(dir, 'data'));
  await append(ledger, 40);
});
afterEach(() => {
  ledger.close();
  cleanup();
});

async function append(l: Ledger, n: number, from = l.reader.head()?.seq ?? 0): Promise<void> {
  const events: NewEvent[] = Array.from({ length: n }, (_, i) => ({
    type: 'run.log',
    runId: `run-${Math.floor((from + i) / 5)}`,
    agentId: 'reconciliation',
    payload: { level: 'info', message: `step ${from + i}` },
  }));
  await l.appendMany(events);
}

function exportTo(name: string): string {
  const file = join(dir, name);
  ledger.export(file, 'jsonl', {}, { sign: (head) => signCheckpoint(ledger, head) });
  return file;
}

/** An export's lines: the header, then events. */
function read(file: string): {
  header: Record<string, unknown> & { checkpoint: SignedCheckpoint };
  events: LedgerEvent[];
} {
  const [header, ...events] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { header, events };
}
function write(file: string, header: object, events: LedgerEvent[]): string {
  writeFileSync(file, [header, ...events].map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

/** What a forger with the data folder's key would do: rewrite from an event on, chain, tree and signature. */
function forge(events: LedgerEvent[], key: crypto.KeyObject, publicDer: Buffer, cp: SignedCheckpoint) {
  let prev = '0'.repeat(64);
  const frontier = new Frontier();
  const out = events.map((e) => {
    const body = canonicalEventBody(e, canonicalJson(e.payload));
    const hash = chainHash(prev, body);
    frontier.push(leafHash(body));
    const next = { ...e, prevHash: prev, hash };
    prev = hash;
    return next;
  });
  const fields = { origin: cp.origin, size: out.length, rootHash: frontier.root().toString('hex'), time: cp.time };
  const checkpoint: SignedCheckpoint = {
    ...fields,
    signature: crypto.sign(null, Buffer.from(checkpointMessage(fields)), key).toString('base64'),
    publicKey: publicDer.toString('base64'),
    keyFingerprint: crypto.createHash('sha256').update(publicDer).digest('hex'),
  };
  return { events: out, checkpoint, head: { seq: out.length, hash: prev } };
}

describe('the Merkle tree next to the chain', () => {
  it('has, at every size, the root of its events hashed as leaves', () => {
    const leaves = [...ledger.reader.each()].map((e) => leafHash(canonicalEventBody(e, canonicalJson(e.payload))));
    for (const size of [0, 1, 2, 7, 32, 33, 40])
      expect(ledger.tree.root(size).equals(rootOf(memoryTree(leaves), size)), `size ${size}`).toBe(true);
  });

  it('completes a tile begun by another writer from the events themselves', async () => {
    // 40 events so far: the third tile holds 8; a fresh writer knows none of them.
    ledger.close();
    ledger = Ledger.open(join(dir, 'data'));
    await append(ledger, 30);
    const leaves = [...ledger.reader.each()].map((e) => leafHash(canonicalEventBody(e, canonicalJson(e.payload))));
    expect(leaves).toHaveLength(70);
    for (const size of [47, 48, 49, 64, 70])
      expect(ledger.tree.root(size).equals(rootOf(memoryTree(leaves), size)), `size ${size}`).toBe(true);
  });

  it('refuses to be changed', () => {
    const db = (ledger as unknown as { db: { exec(sql: string): void } }).db;
    expect(() => db.exec("UPDATE merkle_nodes SET hash = x'00' WHERE level = 4 AND idx = 0")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM merkle_nodes')).toThrow(/append-only/);
  });
});

describe('the signing key', () => {
  it('is made on first use, readable by its owner only, and the same for every later checkpoint', () => {
    const first = signedCheckpoint(ledger);
    const file = join(dir, 'data', 'keys', 'checkpoint-signing.pem');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data', 'keys')).mode & 0o777).toBe(0o700);
    const again = signedCheckpoint(ledger);
    expect(again.keyFingerprint).toBe(first.keyFingerprint);
    expect(ledger.latestCheckpoint()).toEqual(again);
  });

  it('can be sealed by a wrapper (the desktop app uses the OS keychain), and is then useless without it', () => {
    const wrapper = testKeychain();
    const other = join(dir, 'sealed');
    const key = signingKey(other, wrapper);
    const sealed = readFileSync(join(other, 'keys', 'checkpoint-signing.sealed'));
    expect(sealed.toString('latin1')).not.toContain('PRIVATE KEY');
    expect(signingKey(other, wrapper).fingerprint).toBe(key.fingerprint);
    expect(() => signingKey(other)).toThrow(/sealed by the desktop app's keychain/);
  });
});

describe('a verified export', () => {
  it('passes untouched: chain, signature and Merkle root', () => {
    const report = verifyExportFile(exportTo('x.jsonl'));
    expect(report).toMatchObject({ ok: true, checked: 40, checkpoint: 'verified' });
    expect(report.header).toMatchObject({ formatVersion: 3, checkpoint: { size: 40, origin: ledger.origin } });
  });

  it('names an edited event, a dropped event, a reordered pair and a truncated export', () => {
    const file = exportTo('x.jsonl');
    const { header, events } = read(file);
    const edited = events.map((e) => (e.seq === 12 ? { ...e, payload: { level: 'info', message: 'step 999' } } : e));
    expect(verifyExportFile(write(join(dir, 'edited.jsonl'), header, edited)).firstBreak).toMatchObject({
      seq: 12,
      reason: 'hash-mismatch',
    });
    const dropped = events.filter((e) => e.seq !== 20);
    expect(verifyExportFile(write(join(dir, 'dropped.jsonl'), header, dropped)).firstBreak).toMatchObject({
      seq: 20,
      reason: 'missing-seq',
    });
    const reordered = [...events];
    [reordered[9], reordered[10]] = [reordered[10]!, reordered[9]!];
    expect(verifyExportFile(write(join(dir, 'reordered.jsonl'), header, reordered)).ok).toBe(false);
    // Cut off, with the header made to agree: the signed checkpoint still says 40.
    const cut = events.slice(0, 30);
    const cutHeader = { ...header, count: 30, chainHead: { seq: 30, hash: cut[29]!.hash } };
    expect(verifyExportFile(write(join(dir, 'cut.jsonl'), cutHeader, cut)).firstBreak?.message).toBe(
      "the checkpoint is of 40 events but the header's chain head is seq 30",
    );
  });

  it('catches an event edited with the whole chain recomputed after it, by the signed Merkle root', () => {
    const { header, events } = read(exportTo('x.jsonl'));
    const edited = events.map((e) =>
      e.seq === 5 ? { ...e, payload: { level: 'info', message: 'nothing to see' } } : e,
    );
    let prev = '0'.repeat(64);
    const rechained = edited.map((e) => {
      const hash = chainHash(prev, canonicalEventBody(e, canonicalJson(e.payload)));
      const next = { ...e, prevHash: prev, hash };
      prev = hash;
      return next;
    });
    const report = verifyExportFile(
      write(join(dir, 'rechained.jsonl'), { ...header, chainHead: { seq: 40, hash: prev } }, rechained),
    );
    expect(report.ok).toBe(false);
    expect(report.firstBreak?.message).toMatch(
      /^the Merkle root of the 40 events \(.*\) is not the signed checkpoint's/,
    );
  });

  it('names a replaced checkpoint and a signature by another key', async () => {
    const earlier = read(exportTo('early.jsonl')).header.checkpoint;
    await append(ledger, 3);
    const file = exportTo('x.jsonl');
    const { header, events } = read(file);
    // An older checkpoint of the same ledger, signed and genuine, put in a later export.
    const replaced = verifyExportFile(write(join(dir, 'replaced.jsonl'), { ...header, checkpoint: earlier }, events));
    expect(replaced.firstBreak?.message).toBe("the checkpoint is of 40 events but the header's chain head is seq 43");
    // A root changed under the original signature.
    const tampered = { ...header.checkpoint, rootHash: 'f'.repeat(64) };
    expect(
      verifyExportFile(write(join(dir, 'root.jsonl'), { ...header, checkpoint: tampered }, events)).firstBreak?.message,
    ).toBe('checkpoint signature: does not match its fields (size, root, origin, time) and key');
    // Re-signed by a key of the forger's own: self-consistent, refused against the known key.
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const forged = forge(events, privateKey, der, header.checkpoint);
    const resigned = write(join(dir, 'resigned.jsonl'), { ...header, checkpoint: forged.checkpoint }, events);
    expect(verifyExportFile(resigned).ok).toBe(true);
    const trusted = verifyExportFile(resigned, { trustedKey: header.checkpoint.keyFingerprint });
    expect(trusted.ok).toBe(false);
    expect(trusted.firstBreak?.message).toMatch(
      /^checkpoint signed by key [0-9a-f]{16}…, not the expected [0-9a-f]{16}…$/,
    );
  });
});

describe('a later export against an earlier one', () => {
  it('extends it: its first events have the root the earlier one signed', async () => {
    const old = read(exportTo('old.jsonl')).header.checkpoint;
    await append(ledger, 17);
    const report = verifyExportFile(exportTo('new.jsonl'), { rootAtSize: old.size });
    expect(report.ok).toBe(true);
    expect(report.rootAt).toEqual({ size: 40, rootHash: old.rootHash });
  });

  it('that rewrote an event the earlier one holds, re-signed with the folder’s own key, does not', async () => {
    const old = read(exportTo('old.jsonl')).header.checkpoint;
    await append(ledger, 10);
    const { header, events } = read(exportTo('new.jsonl'));
    const key = signingKey(join(dir, 'data'));
    const rewritten = events.map((e) =>
      e.seq === 7 ? { ...e, payload: { level: 'info', message: 'approved by nobody' } } : e,
    );
    const forged = forge(rewritten, key.privateKey, key.publicKeyDer, header.checkpoint);
    const file = write(
      join(dir, 'forged.jsonl'),
      { ...header, chainHead: forged.head, checkpoint: forged.checkpoint },
      forged.events,
    );
    // On its own it holds: the forger had the key.
    expect(verifyExportFile(file).ok).toBe(true);
    // Against the earlier audit's checkpoint it does not.
    const report = verifyExportFile(file, { rootAtSize: old.size });
    expect(report.rootAt?.rootHash).not.toBe(old.rootHash);
  });
});
