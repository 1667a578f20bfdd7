import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NoLedgerError } from '../../shared/errors.js';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations/index.js';

/** The ledger's file name inside a data folder. */
export const LEDGER_FILE = 'ledger.db';

/** `PRAGMA application_id` of a Warden ledger ("WARD"), so a stray SQLite file is not taken for one. */
export const APPLICATION_ID = 0x57415244;

/** How long an append waits for another process's write lock before it fails. */
const BUSY_TIMEOUT_MS = 10_000;

/** Whether to make a new ledger or insist on an existing one. */
export type OpenMode = 'create' | 'existing';

/**
 * Opens the ledger in a data folder. `create` makes the folder and the ledger when they are
 * missing (for the runtime); `existing` refuses a folder that holds no Warden ledger (for
 * verify and export, where a wrong path must not silently produce an empty ledger).
 * `upgrade` brings an older schema up to date (it only adds projections); verify and export
 * leave the file as they found it.
 */
export function openLedgerDb(dataDir: string, mode: OpenMode, upgrade = mode === 'create'): Database.Database {
  const file = join(dataDir, LEDGER_FILE);
  if (mode === 'existing') {
    if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
      throw new NoLedgerError(`data folder ${dataDir} does not exist`);
    }
    if (!existsSync(file)) {
      throw new NoLedgerError(`${dataDir} holds no Warden ledger (no ${LEDGER_FILE})`);
    }
  } else {
    mkdirSync(dataDir, { recursive: true });
  }

  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: mode === 'existing' });
  } catch (error) {
    throw new NoLedgerError(`${file} cannot be opened: ${(error as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const appId = db.pragma('application_id', { simple: true }) as number;
    const fresh = appId === 0 && schemaVersion(db) === 0 && isEmpty(db);
    if (mode === 'create' && fresh) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
    } else if (appId !== APPLICATION_ID) {
      throw new NoLedgerError(`${file} is not a Warden ledger`);
    }
    db.pragma('journal_mode = WAL');
    // better-sqlite3 leaves WAL at NORMAL, which may lose the last commits on power loss;
    // an audit ledger must not, so every commit waits for fsync.
    db.pragma('synchronous = FULL');
    if (upgrade) migrate(db);
    const version = schemaVersion(db);
    if (version < 1 || version > LATEST_SCHEMA_VERSION) {
      throw new NoLedgerError(
        `${file} has ledger schema version ${version}; this Warden reads 1 to ${LATEST_SCHEMA_VERSION}`,
      );
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof NoLedgerError) throw error;
    // SQLITE_NOTADB and friends: the file exists but is not a database we can read.
    throw new NoLedgerError(`${file} is not a Warden ledger: ${(error as Error).message}`);
  }
}

function isEmpty(db: Database.Database): boolean {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
  return row.n === 0;
}
