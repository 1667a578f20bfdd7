import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE } from '../../../src/main/ledger/index.js';
import { cli, expectOneCleanLine, makeLedger, useTempDirs, write } from './helpers.js';

const temp = useTempDirs();
let dir: string;
beforeEach(() => {
  dir = temp.make('warden-verify-cli-');
});
afterEach(() => temp.cleanup());

const EVENTS = [{ message: 'one' }, { message: 'two' }, { message: 'three' }, { message: 'four' }];

/** Rewrites one event's payload behind the ledger's back, as someone with the file would. */
function tamper(dataDir: string, seq: number, payload: string): void {
  const db = new Database(join(dataDir, LEDGER_FILE));
  try {
    db.exec('DROP TRIGGER events_refuse_update');
    const changed = db.prepare('UPDATE events SET payload = ? WHERE seq = ?').run(payload, seq).changes;
    expect(changed).toBe(1);
  } finally {
    db.close();
  }
}

describe('warden ledger verify --data-dir: folders that hold no ledger', () => {
  it('a folder that does not exist exits 2 and is not created', async () => {
    const missing = join(dir, 'no-such-folder');
    const r = await cli('ledger', 'verify', '--data-dir', missing);
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toBe(`warden: data folder ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });

  it('an existing folder without ledger.db exits 2 and still has no ledger.db afterwards', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = await cli('ledger', 'verify', '--data-dir', empty);
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toBe(`warden: ${empty} holds no Warden ledger (no ledger.db)`);
    expect(readdirSync(empty)).toEqual([]);
    expect(existsSync(join(empty, LEDGER_FILE))).toBe(false);
  });

  it('a ledger.db that is not a SQLite database exits 2 naming the file', async () => {
    const file = write(dir, LEDGER_FILE, 'this is not a database, just some text\n'.repeat(100));
    const r = await cli('ledger', 'verify', '--data-dir', dir);
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err).startsWith(`warden: ${file} is not a Warden ledger`)).toBe(true);
    expect(r.out).toEqual([]);
  });

  it('a SQLite database that is not a Warden ledger exits 2 and is left as it was', async () => {
    const file = join(dir, LEDGER_FILE);
    const foreign = new Database(file);
    foreign.exec('CREATE TABLE notes (t TEXT)');
    foreign.close();
    const r = await cli('ledger', 'verify', '--data-dir', dir);
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toBe(`warden: ${file} is not a Warden ledger`);
    const check = new Database(file, { readonly: true });
    const tables = check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all();
    check.close();
    expect(tables).toEqual([{ name: 'notes' }]);
  });

  it('without --data-dir it reads WARDEN_DATA_DIR', async () => {
    const saved = process.env.WARDEN_DATA_DIR;
    process.env.WARDEN_DATA_DIR = join(dir, 'from-env');
    try {
      const r = await cli('ledger', 'verify');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(join(dir, 'from-env'));
    } finally {
      if (saved === undefined) delete process.env.WARDEN_DATA_DIR;
      else process.env.WARDEN_DATA_DIR = saved;
    }
  });
});

describe('warden ledger verify --data-dir: a real ledger', () => {
  it('an untouched ledger is Intact (exit 0)', async () => {
    await makeLedger(dir, EVENTS);
    const r = await cli('ledger', 'verify', '--data-dir', dir);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(2);
    expect(r.out[0]).toMatch(
      /^Intact: the ledger in .*: 4 events, 3 links checked; head seq 4, hash [0-9a-f]{64}\. Stored Merkle tree matches the events; no checkpoint signed yet\.$/,
    );
    expect(r.out[1]).toBe('No signing key yet: nothing in this folder was signed.');
    expect(r.err).toEqual([]);
  });

  it('--json prints one parseable report', async () => {
    await makeLedger(dir, EVENTS);
    const r = await cli('ledger', 'verify', '--data-dir', dir, '--json');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    const report = JSON.parse(r.out[0]!) as Record<string, unknown>;
    expect(report).toMatchObject({ ok: true, checked: 4, linksChecked: 3, gaps: 0, firstBreak: null });
    expect(report.head).toMatchObject({ seq: 4 });
    expect(report.dataDir).toBe(dir);
  });

  it('an event changed behind the ledger exits 1 and names its seq', async () => {
    await makeLedger(dir, EVENTS);
    tamper(dir, 3, '{"level":"info","message":"THREE, edited"}');
    const r = await cli('ledger', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/^TAMPERED: the ledger in .*: seq 3: .*\(hash-mismatch\)\.$/);
    const json = await cli('ledger', 'verify', '--data-dir', dir, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; checked: number; firstBreak: { seq: number } };
    expect(report.ok).toBe(false);
    expect(report.checked).toBe(2);
    expect(report.firstBreak).toMatchObject({ seq: 3, reason: 'hash-mismatch' });
  });

  it('an empty ledger is intact', async () => {
    await makeLedger(dir, []);
    const r = await cli('ledger', 'verify', '--data-dir', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 events');
  });
});

describe('warden ledger verify: bad usage', () => {
  it('--data-dir and --file together exit 2', async () => {
    await makeLedger(dir, EVENTS);
    const r = await cli('ledger', 'verify', '--data-dir', dir, '--file', join(dir, 'x.jsonl'));
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toBe('warden ledger verify: give --data-dir or --file, not both');
  });

  it('--file that is random text, empty, or missing exits 2 naming the file', async () => {
    const random = write(dir, 'notes.txt', 'Dear auditor,\nplease find attached.\n');
    const r = await cli('ledger', 'verify', '--file', random);
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toBe(
      `warden: ${random} is not a Warden ledger export (its first line is not JSON)`,
    );

    const otherJson = write(dir, 'other.jsonl', '{"kind":"something else"}\n');
    const r2 = await cli('ledger', 'verify', '--file', otherJson);
    expect(r2.code).toBe(2);
    expect(expectOneCleanLine(r2.err)).toContain(`${otherJson} is not a Warden ledger export`);

    const empty = write(dir, 'empty.jsonl', '');
    const r3 = await cli('ledger', 'verify', '--file', empty);
    expect(r3.code).toBe(2);
    expect(expectOneCleanLine(r3.err)).toContain(`${empty} is empty`);

    const missing = join(dir, 'absent.jsonl');
    const r4 = await cli('ledger', 'verify', '--file', missing);
    expect(r4.code).toBe(2);
    expect(expectOneCleanLine(r4.err)).toContain(missing);
  });
});
