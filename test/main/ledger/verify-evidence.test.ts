import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedCheckpoint } from '../../../src/main/audit/checkpoints.js';
import { Ledger, type LedgerVerifyOptions } from '../../../src/main/ledger/index.js';
import type { SignedCheckpoint } from '../../../src/shared/audit.js';
import { cutEnd, cutTree, forgetCheckpoints, rebuildTree, rewriteAndRehash } from '../../helpers/tamper.js';
import { logEvent, tempDir } from '../../helpers/temp.js';

// Workers start from source through tsx here: slow on a busy machine, never a timing assertion.
const SLOW = 180_000;

let dir: string;
let cleanup: () => void;
/** The checkpoints the folder signed: of 20 events, then of 40. */
let signed: SignedCheckpoint[];

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  const ledger = Ledger.open(dir);
  signed = [];
  for (let part = 0; part < 2; part++) {
    await ledger.appendMany(
      Array.from({ length: 20 }, (_, i) => logEvent(`event ${part * 20 + i + 1}`, `run-${i % 3}`)),
    );
    signed.push(signedCheckpoint(ledger));
  }
  ledger.close();
});
afterEach(() => cleanup());

/** Verifies the folder on one thread and in three parallel parts (not tile-aligned); both must agree. */
async function verify(options: LedgerVerifyOptions = {}) {
  const ledger = Ledger.open(dir, { mode: 'existing', upgrade: false });
  try {
    const serial = ledger.verifySerial(options);
    const parallel = await ledger.verify({ ...options, threads: 3 });
    const where = (r: typeof serial) => ({ ok: r.ok, break: r.firstBreak, evidence: r.evidence });
    expect(where(parallel)).toEqual(where(serial));
    return serial;
  } finally {
    ledger.close();
  }
}

describe('verify --data-dir: the chain against its signed checkpoints and stored tree', () => {
  it('passes an untouched ledger, having checked both checkpoints and the tree', { timeout: SLOW }, async () => {
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.evidence).toEqual({
      tree: 'verified',
      checkpoints: 2,
      latest: { size: 40, time: signed[1]!.time, keyFingerprint: signed[1]!.keyFingerprint },
      since: null,
    });
  });

  it(
    'fails a ledger whose last events were deleted, naming the checkpoint it no longer holds',
    { timeout: SLOW },
    async () => {
      cutEnd(dir, 30);
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.firstBreak).toMatchObject({ seq: 31, reason: 'checkpoint' });
      expect(report.firstBreak!.message).toBe(
        `the checkpoint of 40 events signed ${signed[1]!.time} with key ${signed[1]!.keyFingerprint.slice(0, 16)}… no longer holds: the ledger ends at seq 30: events were cut off at the end`,
      );
    },
  );

  it('fails the cut even when the tree nodes past it were deleted too', { timeout: SLOW }, async () => {
    cutEnd(dir, 30);
    cutTree(dir, 30);
    const report = await verify();
    expect(report.firstBreak).toMatchObject({ seq: 31, reason: 'checkpoint' });
    expect(report.firstBreak!.message).toContain('the checkpoint of 40 events');
  });

  it(
    'fails a chain rewritten and rehashed from its first event, naming the first checkpoint',
    { timeout: SLOW },
    async () => {
      rewriteAndRehash(dir);
      const report = await verify();
      expect(report.ok).toBe(false);
      // The stored tree still holds the old events' hashes: the rewrite starts at seq 1.
      expect(report.firstBreak).toMatchObject({ seq: 1, reason: 'checkpoint' });
      expect(report.firstBreak!.message).toMatch(
        /^the checkpoint of 20 events signed .* no longer holds: the Merkle root of the ledger's first 20 events is not the one it signed: history was rewritten$/,
      );
    },
  );

  it('fails the rewrite when the stored tree was rebuilt to match it', { timeout: SLOW }, async () => {
    rewriteAndRehash(dir, 25);
    rebuildTree(dir);
    const report = await verify();
    expect(report.firstBreak).toMatchObject({ seq: 40, reason: 'checkpoint' });
    expect(report.firstBreak!.message).toContain('the checkpoint of 40 events');
  });

  it('without checkpoints, the stored tree still catches a rewrite and a cut', { timeout: SLOW }, async () => {
    forgetCheckpoints(dir);
    rewriteAndRehash(dir, 18);
    const rewritten = await verify();
    expect(rewritten.firstBreak).toEqual({
      seq: 17,
      reason: 'tree',
      message:
        "the stored Merkle tree's node over seqs 17–32 does not match the events: they were changed after it was written",
    });
    cleanup();
    ({ dir, cleanup } = tempDir());
    const ledger = Ledger.open(dir);
    await ledger.appendMany(Array.from({ length: 40 }, (_, i) => logEvent(`event ${i + 1}`)));
    ledger.close();
    cutEnd(dir, 20);
    const cut = await verify();
    expect(cut.firstBreak).toEqual({
      seq: 21,
      reason: 'tree',
      message: 'the stored Merkle tree covers 32 events but the ledger ends at seq 20: events were cut off at the end',
    });
  });

  it(
    'a same-key forgery passes the folder alone, and fails against a checkpoint kept outside it',
    { timeout: SLOW },
    async () => {
      const kept = signed[1]!;
      // Everything an attacker with the folder and its plain key can do: rewrite, rebuild, re-sign.
      rewriteAndRehash(dir, 5);
      rebuildTree(dir);
      forgetCheckpoints(dir);
      const ledger = Ledger.open(dir, { mode: 'existing' });
      const forged = signedCheckpoint(ledger);
      ledger.close();
      expect(forged.keyFingerprint).toBe(kept.keyFingerprint);
      expect((await verify()).ok).toBe(true);

      const report = await verify({ since: kept });
      expect(report.ok).toBe(false);
      expect(report.firstBreak).toMatchObject({ seq: 40, reason: 'checkpoint' });
      expect(report.firstBreak!.message).toMatch(
        /^the given checkpoint of 40 events signed .* no longer holds: .*history was rewritten$/,
      );
    },
  );

  it(
    'checks a checkpoint given from outside: it holds, or is of another ledger, or of another key',
    { timeout: SLOW },
    async () => {
      const holds = await verify({ since: signed[0]! });
      expect(holds.ok).toBe(true);
      expect(holds.evidence?.since).toEqual({
        size: 20,
        time: signed[0]!.time,
        keyFingerprint: signed[0]!.keyFingerprint,
      });

      const other = { ...signed[0]!, origin: 'warden:00000000-0000-0000-0000-000000000000' };
      expect((await verify({ since: other })).firstBreak?.message).toMatch(
        /^the given checkpoint is of another ledger/,
      );
      const wrongKey = await verify({ since: signed[0]!, trustedKey: 'ab'.repeat(32) });
      expect(wrongKey.firstBreak?.message).toMatch(
        /^the given checkpoint of 20 events .* does not hold: checkpoint signed by key/,
      );
    },
  );
});

describe('signing refuses a ledger that no longer holds an earlier checkpoint', () => {
  it('refuses one cut shorter than a checkpoint, and one rewritten under it', async () => {
    cutEnd(dir, 30);
    const cut = Ledger.open(dir, { mode: 'existing' });
    try {
      expect(() => signedCheckpoint(cut)).toThrow(
        expect.objectContaining({
          code: 'E_LEDGER_TAMPERED',
          message: expect.stringContaining(
            `the ledger holds 30 events, fewer than the checkpoint of 40 events signed ${signed[1]!.time}: events were cut off at the end`,
          ),
        }),
      );
    } finally {
      cut.close();
    }
    cleanup();
    ({ dir, cleanup } = tempDir());
    const ledger = Ledger.open(dir);
    await ledger.appendMany(Array.from({ length: 20 }, (_, i) => logEvent(`event ${i + 1}`)));
    signedCheckpoint(ledger);
    ledger.close();
    rewriteAndRehash(dir, 3);
    rebuildTree(dir);
    const rewritten = Ledger.open(dir, { mode: 'existing' });
    try {
      expect(() => signedCheckpoint(rewritten)).toThrow(/no longer have the Merkle root the checkpoint of 20 events/);
      expect(rewritten.checkpointConflict({ size: 20 })).toMatch(/history was rewritten$/);
    } finally {
      rewritten.close();
    }
  });

  it('signs a ledger that only grew since', async () => {
    const ledger = Ledger.open(dir, { mode: 'existing' });
    try {
      await ledger.append(logEvent('one more'));
      expect(signedCheckpoint(ledger).size).toBe(41);
    } finally {
      ledger.close();
    }
  });
});
