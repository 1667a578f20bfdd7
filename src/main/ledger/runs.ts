import type Database from 'better-sqlite3';

/** One run as the run list shows it, from the `run_facts` projection (no events read). */
export interface RunRow {
  runId: string;
  /** The run its handoff chain started from (itself for a task). */
  rootRunId: string;
  agentId: string;
  eval: boolean;
  startedTs: string;
  finishedTs: string | null;
  /** Null while the run has not finished. */
  status: string | null;
  durationMs: number | null;
  costUsd: number;
  tokens: number;
}

/** Which runs: by agent, by status (`running` for those not finished), work or eval cases, at most `limit`. */
export interface RunQuery {
  agentId?: string;
  status?: string;
  /** true: only eval runs; false: only work; absent: both. */
  eval?: boolean;
  limit: number;
}

/**
 * The latest runs, newest first, read from `run_facts`. Rows are inserted as runs start, in
 * chain order, and never deleted, so rowid order is start order: walking the table backwards
 * stops after `limit` matches, whatever the ledger's size.
 */
export class RunList {
  private readonly statement: Database.Statement;

  constructor(db: Database.Database) {
    this.statement = db.prepare(`
      SELECT run_id AS runId, root_run_id AS rootRunId, agent_id AS agentId, eval, started_ts AS startedTs,
        finished_ts AS finishedTs, status, resolution_ms AS durationMs, cost_usd AS costUsd, tokens
      FROM run_facts
      WHERE (@agentId IS NULL OR agent_id = @agentId)
        AND (@status IS NULL OR (@status = 'running' AND status IS NULL) OR status = @status)
        AND (@eval IS NULL OR eval = @eval)
      ORDER BY rowid DESC LIMIT @limit`);
  }

  /** The runs that match, newest first. */
  latest(query: RunQuery): RunRow[] {
    const rows = this.statement.all({
      agentId: query.agentId ?? null,
      status: query.status ?? null,
      eval: query.eval === undefined ? null : Number(query.eval),
      limit: query.limit,
    }) as (Omit<RunRow, 'eval'> & { eval: number })[];
    return rows.map((r) => ({ ...r, eval: r.eval === 1 }));
  }
}
