import type Database from 'better-sqlite3';
import { migration001 } from './001-events.js';
import { migration002 } from './002-facts.js';
import { migration003 } from './003-merkle.js';
import { migration004 } from './004-run-list.js';
import { migration005 } from './005-content.js';
import { migration006 } from './006-console.js';

/** One numbered step of the ledger's schema. Steps only add; none rewrites an event. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** Every migration, in order. The schema version is the last one's number. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
];

/** The schema version this build of Warden writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The schema version stored in the database (`PRAGMA user_version`). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to {@link LATEST_SCHEMA_VERSION}, each step in its own transaction
 * with the version bump, so a crash leaves the schema at a whole step.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `the ledger has schema version ${current}, newer than this Warden knows (${latest}); update Warden`,
    );
  }
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
