import type Database from 'better-sqlite3';

/** A time range, ISO-8601 UTC: `from` inclusive, `to` exclusive. Either end may be open. */
export interface Period {
  from?: string;
  to?: string;
}

/** What KPIs can be grouped by: the run's agent, its tier, or its business unit. */
export type GroupBy = 'agent' | 'tier' | 'unit';

/** Tasks of one group on one day (UTC), summed. */
export interface TaskTotals {
  key: string;
  day: string;
  tasks: number;
  resolved: number;
  /** Sum over resolved tasks of start-to-end milliseconds, approval waits included. */
  resolutionMsSum: number;
  intervened: number;
  /** Model and tool cost of resolved tasks, their handoff trees included. */
  resolvedCostUsd: number;
}

/** What one agent spent in a period: model and tool cost of all its runs, eval runs included. */
export interface AgentSpend {
  agentId: string;
  unit: string;
  costUsd: number;
  tokens: number;
}

/** Graded eval cases of one agent in a period. */
export interface EvalCaseTotals {
  agentId: string;
  tier: string;
  cases: number;
  passed: number;
  meanLatencyMs: number;
}

const COLUMN: Record<GroupBy, string> = { agent: 'agent_id', tier: 'tier', unit: 'unit' };

/**
 * Reads the projections that migration 002's triggers keep in step with appends: KPI totals
 * and rolling eval accuracy, aggregated in SQL over indexed tables rather than over events.
 */
export class LedgerFacts {
  private readonly taskTotals: Record<GroupBy, Database.Statement>;
  private readonly spendStatement: Database.Statement;
  private readonly evalStatement: Database.Statement;

  constructor(db: Database.Database) {
    const task = (key: string) =>
      db.prepare(`
        SELECT ${key} AS key, substr(started_ts, 1, 10) AS day,
          count(*) AS tasks,
          sum(status = 'ok') AS resolved,
          total(CASE WHEN status = 'ok' THEN (julianday(finished_ts) - julianday(started_ts)) * 86400000.0 END)
            AS resolutionMsSum,
          sum(approvals > 0 OR rejections > 0 OR drafts > 0 OR status = 'cancelled') AS intervened,
          total(CASE WHEN status = 'ok' THEN tree_cost_usd END) AS resolvedCostUsd
        FROM run_facts
        WHERE run_id = root_run_id AND eval = 0 AND started_ts >= @from AND started_ts < @to
        GROUP BY key, day ORDER BY day, key`);
    this.taskTotals = { agent: task(COLUMN.agent), tier: task(COLUMN.tier), unit: task(COLUMN.unit) };
    this.spendStatement = db.prepare(`
      SELECT agent_id AS agentId, max(unit) AS unit, total(cost_usd) AS costUsd, total(tokens) AS tokens
      FROM run_facts WHERE started_ts >= @from AND started_ts < @to
      GROUP BY agent_id ORDER BY agent_id`);
    this.evalStatement = db.prepare(`
      SELECT agent_id AS agentId, max(tier) AS tier, count(*) AS cases, sum(passed) AS passed,
        avg(latency_ms) AS meanLatencyMs
      FROM eval_case_facts WHERE ts >= @from AND ts < @to
      GROUP BY agent_id ORDER BY agent_id`);
  }

  /** Tasks (root runs that are not eval runs) started in the period, by group and day. */
  tasks(period: Period, by: GroupBy): TaskTotals[] {
    return this.taskTotals[by].all(bounds(period)) as TaskTotals[];
  }

  /** Spend per agent of runs started in the period. */
  spend(period: Period): AgentSpend[] {
    return this.spendStatement.all(bounds(period)) as AgentSpend[];
  }

  /** Eval cases graded in the period, per agent. */
  evalCases(period: Period): EvalCaseTotals[] {
    return this.evalStatement.all(bounds(period)) as EvalCaseTotals[];
  }
}

/** Open ends as bounds that sort below and above every ISO time. */
function bounds(period: Period): { from: string; to: string } {
  return { from: period.from ?? '', to: period.to ?? '\uffff' };
}
