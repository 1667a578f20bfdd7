import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../../../src/main/ledger/index.js';
import { tempDir } from '../../../helpers/temp.js';
import { buildKpiLedger } from '../../kpis/fixture.js';
import { undoRunList } from './undo-004.js';
import { undoConsole } from './undo-006.js';
import { LATEST_SCHEMA_VERSION } from '../../../../src/main/ledger/migrations/index.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  const temp = tempDir();
  dir = join(temp.dir, 'data');
  cleanup = temp.cleanup;
});
afterEach(() => cleanup());

describe('migration 003: merkle', () => {
  it('gives a ledger that predates it the same tree its appends would have built, and an origin', async () => {
    (await buildKpiLedger(dir)).close();
    const file = join(dir, 'ledger.db');
    const db = new Database(file);
    const nodes = db.prepare('SELECT level, idx, hash FROM merkle_nodes ORDER BY level, idx').all();
    expect(nodes.length).toBeGreaterThan(0);
    const origin = (db.prepare("SELECT value FROM meta WHERE key = 'origin'").get() as { value: string }).value;
    expect(origin).toMatch(/^warden:[0-9a-f-]{36}$/);
    undoConsole(db);
    undoRunList(db);
    db.exec('DROP TABLE merkle_nodes; DROP TABLE meta; DROP TABLE checkpoints;');
    db.pragma('user_version = 2');
    db.close();

    const ledger = Ledger.open(dir, { mode: 'existing' });
    try {
      expect(ledger.origin).toMatch(/^warden:/);
      expect(ledger.origin).not.toBe(origin);
    } finally {
      ledger.close();
    }
    const upgraded = new Database(file);
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(upgraded.prepare('SELECT level, idx, hash FROM merkle_nodes ORDER BY level, idx').all()).toEqual(nodes);
    } finally {
      upgraded.close();
    }
  });

  it('is left alone by verify, which reads an older ledger as it is', async () => {
    (await buildKpiLedger(dir)).close();
    const db = new Database(join(dir, 'ledger.db'));
    db.exec('DROP TABLE merkle_nodes; DROP TABLE meta; DROP TABLE checkpoints;');
    db.pragma('user_version = 2');
    db.close();
    const ledger = Ledger.open(dir, { mode: 'existing', upgrade: false });
    try {
      expect((await ledger.verify()).ok).toBe(true);
      expect(() => ledger.origin).toThrow(/predates signed checkpoints/);
    } finally {
      ledger.close();
    }
  });
});
