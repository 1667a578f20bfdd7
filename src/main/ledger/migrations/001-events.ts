import type { Migration } from './index.js';

/** The append-only events table, its read indexes, and the triggers that refuse change. */
export const migration001: Migration = {
  version: 1,
  name: 'events',
  up(db) {
    db.exec(`
      CREATE TABLE events (
        seq       INTEGER PRIMARY KEY,
        ts        TEXT    NOT NULL,
        run_id    TEXT,
        agent_id  TEXT,
        type      TEXT    NOT NULL,
        v         INTEGER NOT NULL,
        payload   TEXT    NOT NULL,
        prev_hash TEXT    NOT NULL,
        hash      TEXT    NOT NULL
      );
      CREATE INDEX events_by_run   ON events(run_id, seq);
      CREATE INDEX events_by_agent ON events(agent_id, seq);
      CREATE INDEX events_by_type  ON events(type, seq);
      CREATE INDEX events_by_ts    ON events(ts);
      CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE refused'); END;
      CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: DELETE refused'); END;
    `);
  },
};
