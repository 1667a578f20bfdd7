import type Database from 'better-sqlite3';

/** The states a run is listed and filtered by: its end, or `waiting` (an approval open), or `running`. */
export type RunState = 'running' | 'waiting' | 'ok' | 'error' | 'limit' | 'cancelled' | 'interrupted' | 'rejected';

/** What the run list asks for: a page of runs before a seq, newest first, with any of three filters. */
export interface RunListQuery {
  beforeSeq?: number;
  limit: number;
  agentId?: string;
  /** Only eval runs (true) or only work (false); both when left out. */
  eval?: boolean;
  state?: RunState;
}

/** One run as migration 004's projection holds it. */
export interface RunRow {
  runId: string;
  agentId: string;
  parentRunId: string | null;
  startedSeq: number;
  startedTs: string;
  finishedTs: string | null;
  state: RunState;
  eval: boolean;
  task: string | null;
  durationMs: number | null;
  costUsd: number;
  tokens: number;
  /** Tool calls without a result in the run and (for a root run) its handoff tree, rejected ones among them. */
  failedCalls: number;
  rejectedCalls: number;
}

type Filter = 'agentId' | 'eval' | 'state';
const FILTERS: readonly Filter[] = ['agentId', 'eval', 'state'];
const CONDITION: Record<Filter, string> = {
  agentId: 'agent_id = @agentId',
  eval: 'eval = @eval',
  state: 'state = @state',
};

/**
 * Pages of runs from `run_facts`, never from the events: one statement per combination of
 * filters, each seeking the index made for it, so a page reads its own rows and no others.
 */
export class RunList {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** The latest runs before `beforeSeq` that pass the filters, and one more when there is a next page. */
  page(query: RunListQuery): RunRow[] {
    const used = FILTERS.filter((f) => query[f] !== undefined);
    const rows = this.statement(used).all({
      before: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
      limit: query.limit + 1,
      ...(query.agentId !== undefined ? { agentId: query.agentId } : {}),
      ...(query.eval !== undefined ? { eval: query.eval ? 1 : 0 } : {}),
      ...(query.state !== undefined ? { state: query.state } : {}),
    }) as (Omit<RunRow, 'eval'> & { eval: number })[];
    return rows.map((r) => ({ ...r, eval: r.eval === 1 }));
  }

  /** The SQL of a page with these filters (exported for the test that reads its plan). */
  static sql(filters: readonly Filter[]): string {
    const where = ['started_seq < @before', ...filters.map((f) => CONDITION[f])].join(' AND ');
    return `
      SELECT run_id AS runId, agent_id AS agentId, parent_run_id AS parentRunId, started_seq AS startedSeq,
        started_ts AS startedTs, finished_ts AS finishedTs, state, eval, task, resolution_ms AS durationMs,
        cost_usd AS costUsd, tokens,
        CASE WHEN run_id = root_run_id THEN tree_failed_calls ELSE failed_calls END AS failedCalls,
        CASE WHEN run_id = root_run_id THEN tree_rejected_calls ELSE rejected_calls END AS rejectedCalls
      FROM run_facts ${indexFor(filters)} WHERE ${where} ORDER BY started_seq DESC LIMIT @limit`;
  }

  private statement(filters: readonly Filter[]): Database.Statement {
    const key = filters.join(',');
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(RunList.sql(filters));
      this.statements.set(key, statement);
    }
    return statement;
  }
}

/**
 * The index a page seeks: the one whose columns are the filters, then `started_seq`. Told, not
 * left to the planner, which may prefer walking every run in seq order to seeking the few of
 * one agent or state.
 */
function indexFor(filters: readonly Filter[]): string {
  const agent = filters.includes('agentId') ? '_agent' : '';
  const state = filters.includes('state') ? '_state' : '';
  const kind = filters.includes('eval') ? '_kind' : '';
  if (!agent && !state) return kind ? 'INDEXED BY run_facts_by_kind' : 'INDEXED BY run_facts_by_seq';
  if (agent && !state) return `INDEXED BY run_facts_by_agent_${kind ? 'kind' : 'seq'}`;
  return `INDEXED BY run_facts_by${agent}${state}${kind}`;
}
