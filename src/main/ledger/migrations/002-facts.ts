import type Database from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Projections for KPIs and rolling eval accuracy, kept in step with appends by triggers in the
 * same transaction: one row per run (`run_facts`) and one per graded eval case
 * (`eval_case_facts`). They hold nothing the events do not: they can be dropped and rebuilt
 * from the chain, and verification never looks at them.
 *
 * Each projection step is written once, with `@column` standing for the event's column; the
 * trigger reads it as `NEW.column`, and the backfill of an existing ledger binds it.
 */
const STEPS: Record<string, string[]> = {
  'run.started': [
    `INSERT OR IGNORE INTO run_facts (run_id, root_run_id, agent_id, tier, unit, eval, started_seq, started_ts)
     VALUES (
       @run_id,
       COALESCE((SELECT root_run_id FROM run_facts WHERE run_id = json_extract(@payload, '$.parentRunId')), @run_id),
       @agent_id,
       COALESCE(json_extract(@payload, '$.tier'), 'unknown'),
       COALESCE(json_extract(@payload, '$.unit'), ''),
       CASE WHEN json_extract(@payload, '$.eval') IS NULL OR json_extract(@payload, '$.eval') = 0 THEN 0 ELSE 1 END,
       @seq,
       @ts
     )`,
  ],
  'run.finished': [
    `UPDATE run_facts SET finished_ts = @ts, status = json_extract(@payload, '$.status') WHERE run_id = @run_id`,
  ],
  'model.called': [
    `UPDATE run_facts SET cost_usd = cost_usd + json_extract(@payload, '$.costUsd'),
       tokens = tokens + json_extract(@payload, '$.inputTokens') + json_extract(@payload, '$.outputTokens')
     WHERE run_id = @run_id`,
    `UPDATE run_facts SET tree_cost_usd = tree_cost_usd + json_extract(@payload, '$.costUsd')
     WHERE run_id = (SELECT root_run_id FROM run_facts WHERE run_id = @run_id)`,
  ],
  'tool.result': [
    `UPDATE run_facts SET cost_usd = cost_usd + COALESCE(json_extract(@payload, '$.costUsd'), 0) WHERE run_id = @run_id`,
    `UPDATE run_facts SET tree_cost_usd = tree_cost_usd + COALESCE(json_extract(@payload, '$.costUsd'), 0)
     WHERE run_id = (SELECT root_run_id FROM run_facts WHERE run_id = @run_id)`,
  ],
  // Interventions count against the task: the root of the run's handoff tree.
  'approval.requested': [
    `UPDATE run_facts SET approvals = approvals + 1
     WHERE run_id = (SELECT root_run_id FROM run_facts WHERE run_id = @run_id)`,
  ],
  'approval.decided': [
    `UPDATE run_facts SET rejections = rejections + 1
     WHERE json_extract(@payload, '$.decision') = 'rejected'
       AND run_id = (SELECT root_run_id FROM run_facts WHERE run_id = @run_id)`,
  ],
  'draft.recorded': [
    `UPDATE run_facts SET drafts = drafts + 1
     WHERE run_id = (SELECT root_run_id FROM run_facts WHERE run_id = @run_id)`,
  ],
  'eval.case': [
    `INSERT OR IGNORE INTO eval_case_facts (seq, ts, agent_id, tier, eval_run_id, passed, latency_ms, cost_usd)
     VALUES (
       @seq, @ts, @agent_id,
       COALESCE((SELECT tier FROM run_facts WHERE run_id = json_extract(@payload, '$.runId')), 'unknown'),
       json_extract(@payload, '$.evalRunId'),
       json_extract(@payload, '$.passed'),
       json_extract(@payload, '$.latencyMs'),
       json_extract(@payload, '$.costUsd')
     )`,
  ],
};

const COLUMNS = ['seq', 'ts', 'run_id', 'agent_id', 'payload'] as const;

/** The projection tables, their triggers, and a backfill from the events already there. */
export const migration002: Migration = {
  version: 2,
  name: 'facts',
  up(db) {
    db.exec(`
      CREATE TABLE run_facts (
        run_id        TEXT PRIMARY KEY,
        root_run_id   TEXT NOT NULL,
        agent_id      TEXT NOT NULL,
        tier          TEXT NOT NULL,
        unit          TEXT NOT NULL,
        eval          INTEGER NOT NULL,
        started_seq   INTEGER NOT NULL,
        started_ts    TEXT NOT NULL,
        finished_ts   TEXT,
        status        TEXT,
        cost_usd      REAL NOT NULL DEFAULT 0,
        tokens        INTEGER NOT NULL DEFAULT 0,
        tree_cost_usd REAL NOT NULL DEFAULT 0,
        approvals     INTEGER NOT NULL DEFAULT 0,
        rejections    INTEGER NOT NULL DEFAULT 0,
        drafts        INTEGER NOT NULL DEFAULT 0
      );
      -- Tasks (root runs that are not eval runs) by start time: what KPIs aggregate.
      CREATE INDEX run_facts_tasks ON run_facts(started_ts) WHERE run_id = root_run_id AND eval = 0;
      CREATE INDEX run_facts_by_start ON run_facts(started_ts);
      CREATE TABLE eval_case_facts (
        seq         INTEGER PRIMARY KEY,
        ts          TEXT NOT NULL,
        agent_id    TEXT NOT NULL,
        tier        TEXT NOT NULL,
        eval_run_id TEXT NOT NULL,
        passed      INTEGER NOT NULL,
        latency_ms  REAL NOT NULL,
        cost_usd    REAL NOT NULL
      );
      CREATE INDEX eval_case_facts_by_ts ON eval_case_facts(ts);
    `);
    for (const [type, statements] of Object.entries(STEPS)) {
      const body = statements.map((sql) => `${bindTo(sql, 'NEW.')};`).join('\n');
      db.exec(`CREATE TRIGGER facts_${type.replace('.', '_')} AFTER INSERT ON events
        WHEN NEW.type = '${type}' BEGIN ${body} END;`);
    }
    backfill(db);
  },
};

/** Writes `@column` as `<prefix>column`. */
function bindTo(sql: string, prefix: string): string {
  return sql.replace(/@(seq|ts|run_id|agent_id|payload)\b/g, `${prefix}$1`);
}

/** Projects the events already in the ledger, in chain order, with the triggers' own steps. */
function backfill(db: Database.Database): void {
  const steps = new Map(
    Object.entries(STEPS).map(([type, statements]) => [type, statements.map((sql) => db.prepare(sql))]),
  );
  const types = [...steps.keys()].map((t) => `'${t}'`).join(', ');
  // Pages by key: better-sqlite3 runs no other statement while an iterator is open.
  const page = db.prepare(
    `SELECT ${COLUMNS.join(', ')}, type FROM events WHERE type IN (${types}) AND seq > ? ORDER BY seq LIMIT 10000`,
  );
  for (let after = 0; ;) {
    const rows = page.all(after) as Record<(typeof COLUMNS)[number] | 'type', string | number | null>[];
    if (rows.length === 0) return;
    for (const { type, ...params } of rows) {
      for (const statement of steps.get(type as string)!) {
        statement.run(
          Object.fromEntries(COLUMNS.filter((c) => statement.source.includes(`@${c}`)).map((c) => [c, params[c]])),
        );
      }
    }
    after = rows[rows.length - 1]!.seq as number;
  }
}
