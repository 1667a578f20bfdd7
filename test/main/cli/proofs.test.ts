import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/main/ledger/index.js';
import type { InclusionProof } from '../../../src/shared/audit.js';
import type { NewEvent } from '../../../src/shared/events.js';
import { cli, useTempDirs } from './helpers.js';

const temp = useTempDirs();
let dir: string;
let data: string;
beforeAll(async () => {
  dir = temp.make('warden-proofs-');
  data = join(dir, 'data');
  const ledger = Ledger.open(data);
  const events: NewEvent[] = Array.from({ length: 45 }, (_, i) => ({
    type: 'run.log',
    runId: `run-${i % 4}`,
    agentId: 'reconciliation',
    payload: { level: 'info', message: `step ${i}` },
  }));
  await ledger.appendMany(events);
  ledger.close();
});
afterAll(() => temp.cleanup());

function proofFile(name: string, proof: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(proof));
  return file;
}

describe('warden ledger prove and verify-proof', () => {
  it('proves one event to a signed checkpoint, checked with no ledger at hand', async () => {
    const out = join(dir, 'proof-17.json');
    const made = await cli('ledger', 'prove', '--seq', '17', '--out', out, '--data-dir', data);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^Wrote the proof that seq 17 \(run\.log\) is in the ledger of 45 events to /);
    const checked = await cli('ledger', 'verify-proof', out);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/^Proven: seq 17 \(run\.log, .*\) is event 17 of the 45 in ledger warden:/);
    const proof = JSON.parse(readFileSync(out, 'utf8')) as InclusionProof;
    expect(proof.path).toHaveLength(6);
    const withKey = await cli('ledger', 'verify-proof', out, '--key', proof.checkpoint.keyFingerprint);
    expect(withKey.code).toBe(0);
  });

  it('refuses every corruption: index off by one, wrong size, a flipped bit in each element, an element removed or added, an edited event, another key', async () => {
    const out = join(dir, 'proof-30.json');
    expect((await cli('ledger', 'prove', '--seq', '30', '--out', out, '--data-dir', data)).code).toBe(0);
    const good = JSON.parse(readFileSync(out, 'utf8')) as InclusionProof;
    const refused = async (name: string, proof: InclusionProof, why: RegExp) => {
      const result = await cli('ledger', 'verify-proof', proofFile(`${name}.json`, proof));
      expect(result.code, name).toBe(1);
      expect(result.stdout, name).toMatch(why);
    };
    const path = /the path does not lead from seq 30 to the root/;
    await refused('index-up', { ...good, leafIndex: 30 }, /leafIndex 30 is not the place of seq 30/);
    await refused('index-down', { ...good, leafIndex: 28, event: { ...good.event } }, /leafIndex 28/);
    await refused(
      'size',
      { ...good, checkpoint: { ...good.checkpoint, size: 46 } },
      /checkpoint signature: does not match/,
    );
    for (let i = 0; i < good.path.length; i++) {
      for (const nibble of [0, 31, 63]) {
        const element = good.path[i]!;
        const flipped =
          element.slice(0, nibble) + (parseInt(element[nibble]!, 16) ^ 1).toString(16) + element.slice(nibble + 1);
        await refused(`bit-${i}-${nibble}`, { ...good, path: good.path.map((p, j) => (j === i ? flipped : p)) }, path);
      }
      await refused(`removed-${i}`, { ...good, path: good.path.filter((_, j) => j !== i) }, path);
    }
    await refused('added', { ...good, path: [...good.path, 'a'.repeat(64)] }, path);
    await refused(
      'edited-event',
      { ...good, event: { ...good.event, payload: { level: 'info', message: 'step 1000' } } },
      /event seq 30: its hash does not match its contents/,
    );
    // A valid proof from another data folder, checked against this folder's key.
    const other = join(dir, 'other');
    const ledger = Ledger.open(other);
    await ledger.append({ type: 'run.log', payload: { level: 'info', message: 'elsewhere' } });
    ledger.close();
    const foreign = join(dir, 'foreign.json');
    expect((await cli('ledger', 'prove', '--seq', '1', '--out', foreign, '--data-dir', other)).code).toBe(0);
    const result = await cli('ledger', 'verify-proof', foreign, '--key', good.checkpoint.keyFingerprint);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/checkpoint signed by key [0-9a-f]{16}…, not the expected/);
  });

  it('refuses bad input in one line', async () => {
    expect(await cli('ledger', 'prove', '--seq', '99', '--out', join(dir, 'p.json'), '--data-dir', data)).toMatchObject(
      {
        code: 2,
        stderr: 'warden ledger prove: --seq: the ledger has no event 99 (its head is seq 45)',
      },
    );
    expect((await cli('ledger', 'verify-proof', proofFile('junk.json', { kind: 'nope' }))).stderr).toMatch(
      /is not an inclusion proof: kind:/,
    );
    expect((await cli('ledger', 'verify-proof')).stderr).toBe(
      'warden ledger verify-proof: name the proof file (warden ledger prove writes one)',
    );
  });
});

describe('warden ledger verify --file NEW --since OLD', () => {
  it('says NEW extends OLD, and refuses a NEW from another ledger or a rewritten one', async () => {
    const old = join(dir, 'old.jsonl');
    expect((await cli('ledger', 'export', '--format', 'jsonl', '--out', old, '--data-dir', data)).code).toBe(0);
    const ledger = Ledger.open(data);
    await ledger.append({ type: 'run.log', payload: { level: 'info', message: 'later' } });
    ledger.close();
    const later = join(dir, 'new.jsonl');
    expect((await cli('ledger', 'export', '--format', 'jsonl', '--out', later, '--data-dir', data)).code).toBe(0);
    const ok = await cli('ledger', 'verify', '--file', later, '--since', old);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Extends: .* keeps the 45 events .* and adds 1;/);
    // Reversed, the older is shorter: history cut.
    const cut = await cli('ledger', 'verify', '--file', old, '--since', later);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/holds 45 events, fewer than the 46 .* signed: history was cut/);
    // Another ledger entirely.
    const another = Ledger.open(join(dir, 'another'));
    await another.append({ type: 'run.log', payload: { level: 'info', message: 'elsewhere' } });
    another.close();
    const foreign = join(dir, 'foreign.jsonl');
    expect(
      (await cli('ledger', 'export', '--format', 'jsonl', '--out', foreign, '--data-dir', join(dir, 'another'))).code,
    ).toBe(0);
    const elsewhere = await cli('ledger', 'verify', '--file', foreign, '--since', old);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toMatch(/exports of different ledgers/);
    // --since over a data folder that does not exist (named, so the machine's own folder is never read).
    expect(await cli('ledger', 'verify', '--since', old, '--data-dir', join(dir, 'nowhere'))).toMatchObject({
      code: 2,
    });
    expect((await cli('ledger', 'verify', '--file', later, '--key', 'abc')).stderr).toMatch(
      /--key: expected the key's SHA-256/,
    );
  });
});
