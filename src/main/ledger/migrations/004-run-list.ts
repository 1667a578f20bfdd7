import type Database from 'better-sqlite3';
import type { Migration } from './index.js';

/** How many characters of a run's input the run list keeps as its task summary. */
export const TASK_SUMMARY_CHARS = 160;

/**
 * What the console's run list shows of each run, added to `run_facts` so that a page of runs
 * reads a page of rows: the task (its input, cut short), the parent run, approvals still open,
 * and the tool calls that failed (with those a person rejected counted apart, as
 * `runtime/outcome.ts` tells them), the run's own and, on the root, its handoff tree's. `state`
 * is the status the list filters by: the run's end, else `waiting` while an approval is open,
 * else `running`. An index for each combination of filters lets a page seek its
 * own rows, in `started_seq` order, without reading other runs.
 */
export const migration004: Migration = {
  version: 4,
  name: 'run-list',
  up(db) {
    db.exec(`
      ALTER TABLE run_facts ADD COLUMN task TEXT;
      ALTER TABLE run_facts ADD COLUMN parent_run_id TEXT;
      ALTER TABLE run_facts ADD COLUMN open_approvals INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE run_facts ADD COLUMN failed_calls INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE run_facts ADD COLUMN rejected_calls INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE run_facts ADD COLUMN tree_failed_calls INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE run_facts ADD COLUMN tree_rejected_calls INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE run_facts ADD COLUMN state TEXT GENERATED ALWAYS AS
        (COALESCE(status, CASE WHEN open_approvals > 0 THEN 'waiting' ELSE 'running' END)) VIRTUAL;
      -- One index per combination of filters, each ending in started_seq (eval alone has run_facts_by_kind).
      CREATE INDEX run_facts_by_seq ON run_facts(started_seq);
      CREATE INDEX run_facts_by_agent_seq ON run_facts(agent_id, started_seq);
      CREATE INDEX run_facts_by_agent_kind ON run_facts(agent_id, eval, started_seq);
      CREATE INDEX run_facts_by_state ON run_facts(state, started_seq);
      CREATE INDEX run_facts_by_state_kind ON run_facts(state, eval, started_seq);
      CREATE INDEX run_facts_by_agent_state ON run_facts(agent_id, state, started_seq);
      CREATE INDEX run_facts_by_agent_state_kind ON run_facts(agent_id, state, eval, started_seq);

      -- On the new row, whichever of the events' triggers made it: its task and parent.
      CREATE TRIGGER run_list_started AFTER INSERT ON run_facts BEGIN
        UPDATE run_facts SET
          task = (SELECT ${TASK} FROM events WHERE seq = NEW.started_seq),
          parent_run_id = (SELECT json_extract(payload, '$.parentRunId') FROM events WHERE seq = NEW.started_seq)
        WHERE run_id = NEW.run_id;
      END;
      CREATE TRIGGER run_list_approval_requested AFTER INSERT ON events WHEN NEW.type = 'approval.requested' BEGIN
        UPDATE run_facts SET open_approvals = open_approvals + 1 WHERE run_id = NEW.run_id;
      END;
      CREATE TRIGGER run_list_approval_decided AFTER INSERT ON events WHEN NEW.type = 'approval.decided' BEGIN
        UPDATE run_facts SET open_approvals = max(open_approvals - 1, 0),
          rejected_calls = rejected_calls + ${REJECTED}
        WHERE run_id = NEW.run_id;
        UPDATE run_facts SET tree_rejected_calls = tree_rejected_calls + ${REJECTED}
        WHERE ${REJECTED} AND run_id = (SELECT root_run_id FROM run_facts WHERE run_id = NEW.run_id);
      END;
      CREATE TRIGGER run_list_tool_failed AFTER INSERT ON events
      WHEN NEW.type = 'tool.result' AND json_extract(NEW.payload, '$.ok') = 0 BEGIN
        UPDATE run_facts SET failed_calls = failed_calls + 1 WHERE run_id = NEW.run_id;
        UPDATE run_facts SET tree_failed_calls = tree_failed_calls + 1
        WHERE run_id = (SELECT root_run_id FROM run_facts WHERE run_id = NEW.run_id);
      END;
    `);
    backfill(db);
  },
};

/** A run's task: its input (a string as it is, anything else as JSON), cut short. */
const TASK = `substr(json_extract(payload, '$.input'), 1, ${TASK_SUMMARY_CHARS})`;

/** 1 when the decision being appended is a person's rejection (an expiry is a failure, as outcome.ts says). */
const REJECTED = `(json_extract(NEW.payload, '$.decision') = 'rejected')`;

/** Projects the events already in the ledger: each reads the events of one type by its index, once. */
function backfill(db: Database.Database): void {
  db.exec(`
    UPDATE run_facts SET
      task = (SELECT ${TASK} FROM events WHERE seq = run_facts.started_seq),
      parent_run_id = (SELECT json_extract(payload, '$.parentRunId') FROM events WHERE seq = run_facts.started_seq);
    UPDATE run_facts SET failed_calls = f.n FROM (
      SELECT run_id, count(*) AS n FROM events
      WHERE type = 'tool.result' AND json_extract(payload, '$.ok') = 0 GROUP BY run_id
    ) AS f WHERE f.run_id = run_facts.run_id;
    UPDATE run_facts SET open_approvals = max(a.open, 0), rejected_calls = a.rejected FROM (
      SELECT run_id, sum(CASE type WHEN 'approval.requested' THEN 1 ELSE -1 END) AS open,
        sum(type = 'approval.decided' AND json_extract(payload, '$.decision') = 'rejected') AS rejected
      FROM events WHERE type IN ('approval.requested', 'approval.decided') GROUP BY run_id
    ) AS a WHERE a.run_id = run_facts.run_id;
    UPDATE run_facts SET tree_failed_calls = t.failed, tree_rejected_calls = t.rejected FROM (
      SELECT root_run_id, sum(failed_calls) AS failed, sum(rejected_calls) AS rejected FROM run_facts GROUP BY root_run_id
    ) AS t WHERE t.root_run_id = run_facts.run_id;
  `);
}
