import type Database from 'better-sqlite3';

/** Takes a ledger back to before migration 006: its index, tables, triggers and column gone (schema 5). */
export function undoConsole(db: Database.Database): void {
  db.exec(`
    DROP TRIGGER approval_facts_requested; DROP TRIGGER approval_facts_decided;
    DROP TRIGGER run_facts_cap; DROP TRIGGER run_days_started;
    DROP TABLE approval_facts; DROP TABLE run_days;
    DROP INDEX events_by_agent_type;
    ALTER TABLE run_facts DROP COLUMN cap;
  `);
  db.pragma('user_version = 5');
}
