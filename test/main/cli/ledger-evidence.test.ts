import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keychainTools } from '../../helpers/keychain-tools.js';
import { cutEnd, forgetCheckpoints, rebuildTree, rewriteAndRehash } from '../../helpers/tamper.js';
import { cli, expectOneCleanLine, makeLedger, useTempDirs } from './helpers.js';

const temp = useTempDirs();
let dir: string;
let data: string;
beforeEach(async () => {
  dir = temp.make('warden-evidence-cli-');
  data = join(dir, 'data');
  await makeLedger(
    data,
    Array.from({ length: 20 }, (_, i) => ({ message: `event ${i + 1}` })),
  );
});
afterEach(() => temp.cleanup());

/** Signs a checkpoint of the folder by exporting it, as an audit would. */
async function exportAll(name = 'all.jsonl'): Promise<string> {
  const out = join(dir, name);
  const r = await cli('ledger', 'export', '--format', 'jsonl', '--out', out, '--data-dir', data);
  expect(r.code).toBe(0);
  return out;
}

describe('warden ledger verify --data-dir: cut short or rewritten', () => {
  it('a ledger whose last events were deleted fails (exit 1), naming the checkpoint', async () => {
    await exportAll();
    cutEnd(data, 15);
    const r = await cli('ledger', 'verify', '--data-dir', data);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(
      /^TAMPERED: the ledger in .*: seq 16: the checkpoint of 20 events signed \S+ with key [0-9a-f]{16}… no longer holds: the ledger ends at seq 15: events were cut off at the end \(checkpoint\)\.$/,
    );
  });

  it('a whole chain rewritten and rehashed fails (exit 1), naming the checkpoint', async () => {
    await exportAll();
    rewriteAndRehash(data);
    const r = await cli('ledger', 'verify', '--data-dir', data);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(
      /^TAMPERED: .*: seq 1: the checkpoint of 20 events signed .* no longer holds: the Merkle root of the ledger's first 20 events is not the one it signed: history was rewritten \(checkpoint\)\.$/,
    );
  });

  it('an untouched ledger says what anchored it and where its key lives', async () => {
    await exportAll();
    const r = await cli('ledger', 'verify', '--data-dir', data);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(
      /^Intact: .*: 20 events, 19 links checked; head seq 20, hash [0-9a-f]{64}\. Stored Merkle tree matches the events; the checkpoint it signed holds \(20 events, \S+\)\.$/,
    );
    expect(r.out[1]).toBe(
      `The signing key lives beside the data (${join(data, 'keys', 'checkpoint-signing.pem')}), sealed by no OS keychain: ` +
        'whoever can change the ledger can also read the key and re-sign a rewritten ledger. Keep a checkpoint outside ' +
        'the folder (warden ledger checkpoint --out F) and verify with --since F to catch that.',
    );
    const json = JSON.parse((await cli('ledger', 'verify', '--data-dir', data, '--json')).out[0]!) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      ok: true,
      evidence: { tree: 'verified', checkpoints: 1 },
      signingKey: { sealed: false },
    });
  });
});

describe('warden ledger export refuses to sign what no longer holds an earlier checkpoint', () => {
  it('refuses a shorter ledger (exit 1, one line) and writes no file', async () => {
    await exportAll();
    cutEnd(data, 15);
    for (const format of ['jsonl', 'html']) {
      const out = join(dir, `after-cut.${format}`);
      const r = await cli('ledger', 'export', '--format', format, '--out', out, '--data-dir', data);
      expect(r.code).toBe(1);
      expect(expectOneCleanLine(r.err)).toMatch(
        /^warden: refusing to sign the ledger in .*: the ledger holds 15 events, fewer than the checkpoint of 20 events signed \S+: events were cut off at the end; run warden ledger verify --data-dir /,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it('refuses a ledger rewritten under a checkpoint, its tree rebuilt to match', async () => {
    await exportAll();
    rewriteAndRehash(data, 7);
    rebuildTree(data);
    const r = await cli('ledger', 'export', '--format', 'jsonl', '--out', join(dir, 'again.jsonl'), '--data-dir', data);
    expect(r.code).toBe(1);
    expect(expectOneCleanLine(r.err)).toMatch(
      /no longer have the Merkle root the checkpoint of 20 events signed .* states: history was rewritten/,
    );
  });
});

describe('warden ledger checkpoint --out F, and verify --since F', () => {
  it('writes a versioned signed checkpoint for an auditor', async () => {
    const file = join(dir, 'for-auditor.json');
    const r = await cli('ledger', 'checkpoint', '--out', file, '--data-dir', data);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(
      /^Wrote the checkpoint of 20 events \(root [0-9a-f]{64}, key [0-9a-f]{64}\) to .*for-auditor\.json\./,
    );
    expect(r.out[1]).toMatch(/^The signing key lives beside the data/);
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ kind: 'warden.ledger.checkpoint', formatVersion: 1, checkpoint: { size: 20 } });
    const since = await cli('ledger', 'verify', '--data-dir', data, '--since', file);
    expect(since.code).toBe(0);
    expect(since.out[0]).toMatch(
      /The checkpoint in .*for-auditor\.json holds: 20 events, signed \S+ with key [0-9a-f]{16}…\.$/,
    );
  });

  it('catches a rewrite re-signed with the same key, with --data-dir and with --file', async () => {
    const file = join(dir, 'for-auditor.json');
    expect((await cli('ledger', 'checkpoint', '--out', file, '--data-dir', data)).code).toBe(0);
    // The attacker has the folder and its plain key: rewrite, rebuild, forget, re-sign.
    rewriteAndRehash(data, 4);
    rebuildTree(data);
    forgetCheckpoints(data);
    const forged = await exportAll('forged.jsonl');
    expect((await cli('ledger', 'verify', '--data-dir', data)).code).toBe(0);
    expect((await cli('ledger', 'verify', '--file', forged)).code).toBe(0);

    const folder = await cli('ledger', 'verify', '--data-dir', data, '--since', file);
    expect(folder.code).toBe(1);
    expect(folder.out[0]).toMatch(
      /^TAMPERED: .*: the given checkpoint of 20 events signed .* no longer holds: .*history was rewritten \(checkpoint\)\.$/,
    );
    const exported = await cli('ledger', 'verify', '--file', forged, '--since', file);
    expect(exported.code).toBe(1);
    expect(exported.out[0]).toMatch(
      /^NOT AN EXTENSION: .*forged\.jsonl rewrote history: the Merkle root of its first 20 events is not the one .*for-auditor\.json signed$/,
    );
  });

  it('accepts a later export that extends the checkpoint, and refuses a file that is neither', async () => {
    const file = join(dir, 'for-auditor.json');
    expect((await cli('ledger', 'checkpoint', '--out', file, '--data-dir', data)).code).toBe(0);
    await makeLedger(data, [{ message: 'later' }]);
    const later = await exportAll('later.jsonl');
    const r = await cli('ledger', 'verify', '--file', later, '--since', file);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^Extends: .*later\.jsonl keeps the 20 events .*for-auditor\.json signed .* and adds 1/);

    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'not a checkpoint\n');
    const bad = await cli('ledger', 'verify', '--data-dir', data, '--since', junk);
    expect(bad.code).toBe(2);
    expect(expectOneCleanLine(bad.err)).toBe(
      `warden: --since: ${junk} is neither a checkpoint file (warden ledger checkpoint) nor a JSONL export`,
    );
  });

  it('is in --help', async () => {
    const r = await cli('ledger', 'checkpoint', '--help');
    expect(r.stdout).toContain('warden ledger checkpoint --out F [--data-dir D] [--json]');
    expect((await cli('ledger', 'verify', '--help')).stdout).toContain(
      '--since OLD: a checkpoint file from warden ledger checkpoint',
    );
  });
});

describe('where the signing key lives, said plainly', () => {
  it('a report cover says the key lives beside the data where no keychain is reachable', async () => {
    const out = join(dir, 'report.html');
    expect((await cli('ledger', 'export', '--format', 'html', '--out', out, '--data-dir', data)).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('The signing key lives beside the data');
    expect(html).toContain('this signature alone does not rule out a rewrite');
  });

  it('with an OS keychain, the CLI seals the key there and verify and the report say so', async () => {
    const tools = keychainTools(join(dir, 'keychain'));
    const saved = {
      PATH: process.env.PATH,
      WARDEN_KEYCHAIN: process.env.WARDEN_KEYCHAIN,
      FILE: process.env.FAKE_KEYCHAIN_FILE,
    };
    process.env.PATH = `${tools.bin}:${saved.PATH}`;
    process.env.FAKE_KEYCHAIN_FILE = tools.env.FAKE_KEYCHAIN_FILE;
    delete process.env.WARDEN_KEYCHAIN;
    try {
      const out = join(dir, 'report.html');
      expect((await cli('ledger', 'export', '--format', 'html', '--out', out, '--data-dir', data)).code).toBe(0);
      expect(readdirSync(join(data, 'keys'))).toEqual(['checkpoint-signing.keychain']);
      expect(readFileSync(out, 'utf8')).toContain('The signing key is sealed by the OS keychain (Secret Service).');
      const r = await cli('ledger', 'verify', '--data-dir', data);
      expect(r.code).toBe(0);
      expect(r.out[1]).toBe('The signing key is sealed by the OS keychain (Secret Service).');
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.WARDEN_KEYCHAIN === undefined) delete process.env.WARDEN_KEYCHAIN;
      else process.env.WARDEN_KEYCHAIN = saved.WARDEN_KEYCHAIN;
      delete process.env.FAKE_KEYCHAIN_FILE;
    }
  });
});
