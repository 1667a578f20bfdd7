import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration001 } from '../../../../src/main/ledger/migrations/001-events.js';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../../../../src/main/ledger/migrations/index.js';
import { tempDir } from '../../../helpers/temp.js';

let db: Database.Database;
let cleanup: () => void;

beforeEach(() => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  db = new Database(join(temp.dir, 'm.db'));
});
afterEach(() => {
  db.close();
  cleanup();
});

describe('migration 001: events', () => {
  it('creates the events table with its columns, indexes and triggers', () => {
    migration001.up(db);
    const columns = (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['seq', 'ts', 'run_id', 'agent_id', 'type', 'v', 'payload', 'prev_hash', 'hash']);
    const names = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger')").all() as { name: string }[]
    ).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'events_by_run',
        'events_by_agent',
        'events_by_type',
        'events_by_ts',
        'events_refuse_update',
        'events_refuse_delete',
      ]),
    );
  });

  it('is recorded as the schema version, and running migrate twice changes nothing', () => {
    expect(migrate(db, [migration001])).toBe(1);
    expect(schemaVersion(db)).toBe(1);
    expect(migrate(db, [migration001])).toBe(1);
    expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('refuses a database from a newer Warden', () => {
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/schema version 99, newer than this Warden knows/);
  });

  it('leaves the version alone when a step fails half way', () => {
    const broken = {
      version: 1,
      name: 'broken',
      up: (d: Database.Database) => d.exec('CREATE TABLE t (a); SELECT nope FROM nowhere;'),
    };
    expect(() => migrate(db, [broken])).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 't'").get()).toEqual({ n: 0 });
  });
});
