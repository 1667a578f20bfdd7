import type { Migration } from './index.js';

/**
 * What the console asks on every refresh, kept so that each answer reads a few rows however
 * long the ledger: an index for one agent's events of one type (its holds, prompt versions,
 * suite runs); the approval queue (`approval_facts`: each request's seq and its decision's);
 * which cap a run hit (`run_facts.cap`); and the runs each agent started on each day
 * (`run_days`, work and eval apart, as `spend_days` keeps their spend). Kept by triggers in the append's transaction; an older
 * ledger is back-filled from its events.
 */
export const migration006: Migration = {
  version: 6,
  name: 'console',
  up(db) {
    db.exec(`
      CREATE INDEX events_by_agent_type ON events(agent_id, type, seq);

      CREATE TABLE approval_facts (
        approval_id   TEXT PRIMARY KEY,
        requested_seq INTEGER NOT NULL,
        -- The first decision after the request; null while it waits.
        decided_seq   INTEGER
      );
      CREATE INDEX approval_facts_pending ON approval_facts(requested_seq) WHERE decided_seq IS NULL;
      CREATE INDEX approval_facts_decided ON approval_facts(decided_seq) WHERE decided_seq IS NOT NULL;
      CREATE TRIGGER approval_facts_requested AFTER INSERT ON events WHEN NEW.type = 'approval.requested' BEGIN
        INSERT INTO approval_facts (approval_id, requested_seq) VALUES (json_extract(NEW.payload, '$.approvalId'), NEW.seq)
        ON CONFLICT (approval_id) DO UPDATE SET requested_seq = excluded.requested_seq, decided_seq = NULL;
      END;
      CREATE TRIGGER approval_facts_decided AFTER INSERT ON events WHEN NEW.type = 'approval.decided' BEGIN
        UPDATE approval_facts SET decided_seq = NEW.seq
        WHERE approval_id = json_extract(NEW.payload, '$.approvalId') AND decided_seq IS NULL;
      END;

      ALTER TABLE run_facts ADD COLUMN cap TEXT;
      -- The sandbox says which cap stopped a program (run.finished v1 could say it too).
      CREATE TRIGGER run_facts_cap AFTER INSERT ON events
      WHEN NEW.type IN ('sandbox.limit', 'run.finished') AND json_extract(NEW.payload, '$.limit') IS NOT NULL BEGIN
        UPDATE run_facts SET cap = json_extract(NEW.payload, '$.limit') WHERE run_id = NEW.run_id;
      END;

      CREATE TABLE run_days (
        day      TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        eval     INTEGER NOT NULL,
        runs     INTEGER NOT NULL,
        PRIMARY KEY (day, agent_id, eval)
      ) WITHOUT ROWID;
      CREATE TRIGGER run_days_started AFTER INSERT ON run_facts BEGIN
        INSERT INTO run_days (day, agent_id, eval, runs) VALUES (substr(NEW.started_ts, 1, 10), NEW.agent_id, NEW.eval, 1)
        ON CONFLICT (day, agent_id, eval) DO UPDATE SET runs = runs + 1;
      END;
    `);
    // The events already there, each type read once by its index.
    db.exec(`
      INSERT INTO approval_facts (approval_id, requested_seq)
      SELECT json_extract(payload, '$.approvalId'), seq FROM events WHERE type = 'approval.requested' ORDER BY seq
      ON CONFLICT (approval_id) DO UPDATE SET requested_seq = excluded.requested_seq;
      UPDATE approval_facts SET decided_seq = d.seq FROM (
        SELECT json_extract(payload, '$.approvalId') AS approval_id, min(seq) AS seq FROM events
        WHERE type = 'approval.decided' GROUP BY 1
      ) AS d WHERE d.approval_id = approval_facts.approval_id AND d.seq > approval_facts.requested_seq;
      UPDATE run_facts SET cap = c.cap FROM (
        SELECT run_id, json_extract(payload, '$.limit') AS cap FROM events
        WHERE type IN ('sandbox.limit', 'run.finished') AND json_extract(payload, '$.limit') IS NOT NULL
      ) AS c WHERE c.run_id = run_facts.run_id;
      INSERT INTO run_days (day, agent_id, eval, runs)
      SELECT substr(started_ts, 1, 10), agent_id, eval, count(*) FROM run_facts GROUP BY 1, 2, 3;
    `);
  },
};
