import type Database from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Projections for KPIs and rolling eval accuracy, kept in step with appends by triggers in the
 * same transaction: one row per run (`run_facts`), one per graded eval case
 * (`eval_case_facts`), and daily rollups of tasks (`task_days`) and spend (`spend_days`), so
 * a KPI over months reads a row per group and day instead of every run. They hold nothing the events do not: they can be dropped and rebuilt
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
    `UPDATE run_facts SET finished_ts = @ts, status = json_extract(@payload, '$.status'),
       resolution_ms = round((unixepoch(@ts, 'subsec') - unixepoch(started_ts, 'subsec')) * 1000)
     WHERE run_id = @run_id`,
  ],
  'model.called': [
    `UPDATE run_facts SET cost_usd = cost_usd + json_extract(@payload, '$.costUsd'),
       tokens = tokens + json_extract(@payload, '$.inputTokens') + json_extract(@payload, '$.outputTokens')
     WHERE run_id = @run_id`,
    `UPDATE run_facts SET tree_cost_usd = tree_cost_usd + json_extract(@payload, '$.costUsd')
     WHERE run_id = (SELECT root_run_id FROM run_facts WHERE run_id = @run_id)`,
    spendDay(
      `json_extract(@payload, '$.costUsd')`,
      `json_extract(@payload, '$.inputTokens') + json_extract(@payload, '$.outputTokens')`,
    ),
  ],
  'tool.result': [
    `UPDATE run_facts SET cost_usd = cost_usd + COALESCE(json_extract(@payload, '$.costUsd'), 0) WHERE run_id = @run_id`,
    `UPDATE run_facts SET tree_cost_usd = tree_cost_usd + COALESCE(json_extract(@payload, '$.costUsd'), 0)
     WHERE run_id = (SELECT root_run_id FROM run_facts WHERE run_id = @run_id)`,
    spendDay(`COALESCE(json_extract(@payload, '$.costUsd'), 0)`, '0'),
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

/** Adds a cost to its agent's day (UTC) in `spend_days`, apart for eval runs. */
function spendDay(costUsd: string, tokens: string): string {
  return `INSERT INTO spend_days (day, agent_id, unit, eval, cost_usd, tokens)
    SELECT substr(@ts, 1, 10), COALESCE(@agent_id, ''), COALESCE(r.unit, ''), COALESCE(r.eval, 0), ${costUsd}, ${tokens}
    FROM (SELECT 1) LEFT JOIN run_facts r ON r.run_id = @run_id
    WHERE true
    ON CONFLICT (day, agent_id, unit, eval) DO UPDATE SET cost_usd = cost_usd + excluded.cost_usd, tokens = tokens + excluded.tokens`;
}

/** Whether a run row counts as resolved (1) or not (0), and whether a person stepped in. */
const resolved = (row: string) => `(${row}.status IS 'ok')`;
const intervened = (row: string) =>
  `(${row}.approvals > 0 OR ${row}.rejections > 0 OR ${row}.drafts > 0 OR ${row}.status IS 'cancelled')`;

/**
 * The daily rollup of tasks (root runs that are not eval runs), kept by triggers on
 * `run_facts`: a new task adds to its start day; every change to it that the rollup can see
 * adds the difference it makes (resolved, time to resolution, intervention, cost), so a day's
 * row is always the sum of its tasks as they stand. Changes it cannot see (the cost of a task
 * still running) cost nothing.
 */
const TASK_DAY_TRIGGERS = `
  CREATE TRIGGER task_days_insert AFTER INSERT ON run_facts
  WHEN NEW.run_id = NEW.root_run_id AND NEW.eval = 0 BEGIN
    INSERT INTO task_days (day, agent_id, tier, unit, tasks)
    VALUES (substr(NEW.started_ts, 1, 10), NEW.agent_id, NEW.tier, NEW.unit, 1)
    ON CONFLICT (day, agent_id, tier, unit) DO UPDATE SET tasks = tasks + 1;
  END;
  CREATE TRIGGER task_days_update AFTER UPDATE ON run_facts
  WHEN NEW.run_id = NEW.root_run_id AND NEW.eval = 0 AND (
    ${resolved('NEW')} != ${resolved('OLD')} OR ${intervened('NEW')} != ${intervened('OLD')}
    OR (${resolved('NEW')} AND (NEW.tree_cost_usd != OLD.tree_cost_usd OR NEW.resolution_ms IS NOT OLD.resolution_ms))
  ) BEGIN
    UPDATE task_days SET
      resolved = resolved + ${resolved('NEW')} - ${resolved('OLD')},
      resolution_ms_sum = resolution_ms_sum + ${resolved('NEW')} * COALESCE(NEW.resolution_ms, 0)
        - ${resolved('OLD')} * COALESCE(OLD.resolution_ms, 0),
      intervened = intervened + ${intervened('NEW')} - ${intervened('OLD')},
      resolved_cost_usd = resolved_cost_usd + ${resolved('NEW')} * NEW.tree_cost_usd - ${resolved('OLD')} * OLD.tree_cost_usd
    WHERE day = substr(NEW.started_ts, 1, 10) AND agent_id = NEW.agent_id AND tier = NEW.tier AND unit = NEW.unit;
  END;`;

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
        -- Start to end, set when the run finishes.
        resolution_ms REAL,
        cost_usd      REAL NOT NULL DEFAULT 0,
        tokens        INTEGER NOT NULL DEFAULT 0,
        tree_cost_usd REAL NOT NULL DEFAULT 0,
        approvals     INTEGER NOT NULL DEFAULT 0,
        rejections    INTEGER NOT NULL DEFAULT 0,
        drafts        INTEGER NOT NULL DEFAULT 0
      );
      -- Tasks (root runs that are not eval runs) by start time: what KPIs aggregate.
      CREATE INDEX run_facts_tasks ON run_facts(started_ts) WHERE run_id = root_run_id AND eval = 0;
      -- An agent's work since a time (runs today).
      CREATE INDEX run_facts_by_agent ON run_facts(agent_id, eval, started_ts);
      -- The latest runs, work or eval, as the console lists them.
      CREATE INDEX run_facts_by_kind ON run_facts(eval, started_seq);
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
      CREATE TABLE task_days (
        day               TEXT NOT NULL,
        agent_id          TEXT NOT NULL,
        tier              TEXT NOT NULL,
        unit              TEXT NOT NULL,
        tasks             INTEGER NOT NULL DEFAULT 0,
        resolved          INTEGER NOT NULL DEFAULT 0,
        resolution_ms_sum REAL NOT NULL DEFAULT 0,
        intervened        INTEGER NOT NULL DEFAULT 0,
        resolved_cost_usd REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (day, agent_id, tier, unit)
      ) WITHOUT ROWID;
      CREATE TABLE spend_days (
        day      TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        unit     TEXT NOT NULL,
        -- Eval runs' spend is kept apart: it counts in spend, not against the daily budget.
        eval     INTEGER NOT NULL,
        cost_usd REAL NOT NULL DEFAULT 0,
        tokens   INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, agent_id, unit, eval)
      ) WITHOUT ROWID;
      ${TASK_DAY_TRIGGERS}
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
