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

/**
 * What one agent spent in a period: model and tool cost of its work, which is what its budget
 * counts (the sum of {@link LedgerFacts.spentOn} over the days), and of its eval runs apart.
 */
export interface AgentSpend {
  agentId: string;
  unit: string;
  costUsd: number;
  tokens: number;
  evalCostUsd: number;
}

/** The work's spend in `spend_days`: eval runs aside, as a daily budget counts it. */
const WORK = 'eval = 0';

/** Graded eval cases of one agent in a period. */
export interface EvalCaseTotals {
  agentId: string;
  tier: string;
  cases: number;
  passed: number;
  meanLatencyMs: number;
}

/** The agents of a business unit: every run (work or eval, handoffs included), sought by the (eval, started_seq) index. */
export const AGENTS_OF_UNIT_SQL = `
  SELECT DISTINCT agent_id FROM run_facts INDEXED BY run_facts_by_kind
  WHERE eval IN (0, 1) AND started_seq < @before AND unit = @unit ORDER BY agent_id`;

const COLUMN: Record<GroupBy, string> = { agent: 'agent_id', tier: 'tier', unit: 'unit' };
const DAY_MS = 86_400_000;

/**
 * Reads the projections that migration 002's triggers keep in step with appends. KPIs read
 * the daily rollups for the whole days of a period and the runs themselves only for its
 * partial first and last days, so a query over months costs a row per group and day.
 */
export class LedgerFacts {
  private readonly taskDays: Record<GroupBy, Database.Statement>;
  private readonly taskRuns: Record<GroupBy, Database.Statement>;
  private readonly spendStatement: Database.Statement;
  private readonly evalStatement: Database.Statement;
  private readonly budgetStatement: Database.Statement;
  /**
   * Behind a function rather than a statement field: its `@unit` parameter is not among those
   * test/main/ledger/facts-plans.test.ts binds to every statement field; test/main/audit
   * checks its plan instead.
   */
  private readonly unitAgents: (unit: string, before: number) => string[];

  constructor(db: Database.Database) {
    const byKey = <T>(make: (column: string) => T): Record<GroupBy, T> => ({
      agent: make(COLUMN.agent),
      tier: make(COLUMN.tier),
      unit: make(COLUMN.unit),
    });
    this.taskDays = byKey((key) =>
      db.prepare(`
        SELECT ${key} AS key, day, sum(tasks) AS tasks, sum(resolved) AS resolved,
          total(resolution_ms_sum) AS resolutionMsSum, sum(intervened) AS intervened,
          total(resolved_cost_usd) AS resolvedCostUsd
        FROM task_days WHERE day >= @from AND day < @to
        GROUP BY key, day`),
    );
    // Told which index: left to itself, the planner takes (eval, started_seq) and reads every task.
    this.taskRuns = byKey((key) =>
      db.prepare(`
        SELECT ${key} AS key, substr(started_ts, 1, 10) AS day,
          count(*) AS tasks,
          sum(status IS 'ok') AS resolved,
          total(CASE WHEN status IS 'ok' THEN resolution_ms END) AS resolutionMsSum,
          sum(approvals > 0 OR rejections > 0 OR drafts > 0 OR status IS 'cancelled') AS intervened,
          total(CASE WHEN status IS 'ok' THEN tree_cost_usd END) AS resolvedCostUsd
        FROM run_facts INDEXED BY run_facts_tasks
        WHERE run_id = root_run_id AND eval = 0 AND started_ts >= @from AND started_ts < @to
        GROUP BY key, day`),
    );
    this.spendStatement = db.prepare(`
      SELECT agent_id AS agentId, max(unit) AS unit,
        total(CASE WHEN ${WORK} THEN cost_usd END) AS costUsd, total(CASE WHEN ${WORK} THEN tokens END) AS tokens,
        total(CASE WHEN NOT ${WORK} THEN cost_usd END) AS evalCostUsd
      FROM spend_days WHERE day >= @from AND day < @to AND agent_id != ''
      GROUP BY agent_id ORDER BY agent_id`);
    this.budgetStatement = db.prepare(`
      SELECT total(cost_usd) AS usd, total(tokens) AS tokens FROM spend_days
      WHERE day = @day AND agent_id = @agentId AND ${WORK}`);
    this.evalStatement = db.prepare(`
      SELECT agent_id AS agentId, max(tier) AS tier, count(*) AS cases, sum(passed) AS passed,
        avg(latency_ms) AS meanLatencyMs
      FROM eval_case_facts WHERE ts >= @from AND ts < @to
      GROUP BY agent_id ORDER BY agent_id`);
    const unitAgents = db.prepare(AGENTS_OF_UNIT_SQL).pluck();
    this.unitAgents = (unit, before) => unitAgents.all({ unit, before }) as string[];
  }

  /** Tasks (root runs that are not eval runs) started in the period, by group and day. */
  tasks(period: Period, by: GroupBy): TaskTotals[] {
    const { from, to } = bounds(period);
    // Whole days come from the rollup; the partial days at either end from the runs.
    const wholeFrom = from === '' || isMidnight(from) ? from.slice(0, 10) : nextDay(from);
    const wholeTo = to === OPEN_END ? OPEN_END : to.slice(0, 10);
    let rows: TaskTotals[];
    if (wholeFrom >= wholeTo) {
      rows = this.taskRuns[by].all({ from, to }) as TaskTotals[];
    } else {
      rows = this.taskDays[by].all({ from: wholeFrom, to: wholeTo }) as TaskTotals[];
      if (from !== '' && !isMidnight(from))
        rows.push(...(this.taskRuns[by].all({ from, to: `${wholeFrom}T00:00:00.000Z` }) as TaskTotals[]));
      if (to !== OPEN_END && !isMidnight(to))
        rows.push(...(this.taskRuns[by].all({ from: `${wholeTo}T00:00:00.000Z`, to }) as TaskTotals[]));
    }
    return rows.sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key));
  }

  /** Spend per agent on the days (UTC, whole, as budgets are) that the period touches: its work's, and its eval runs' apart. */
  spend(period: Period): AgentSpend[] {
    const { from, to } = bounds(period);
    const lastDay = to === OPEN_END ? OPEN_END : isMidnight(to) ? to.slice(0, 10) : nextDay(to);
    return this.spendStatement.all({ from: from.slice(0, 10), to: lastDay }) as AgentSpend[];
  }

  /**
   * What an agent's work (eval runs aside) spent on one UTC day: what its daily budget counts,
   * the roster shows for today, and {@link spend} sums over a period's days.
   */
  spentOn(agentId: string, day: string): { usd: number; tokens: number } {
    return this.budgetStatement.get({ agentId, day }) as { usd: number; tokens: number };
  }

  /**
   * The agents that ran for a business unit, by the unit recorded on their runs (work or eval,
   * handoffs included) started before a seq.
   */
  agentsOfUnit(unit: string, beforeSeq = Number.MAX_SAFE_INTEGER): string[] {
    return this.unitAgents(unit, beforeSeq);
  }

  /** Eval cases graded in the period, per agent. */
  evalCases(period: Period): EvalCaseTotals[] {
    return this.evalStatement.all(bounds(period)) as EvalCaseTotals[];
  }
}

/** Sorts after every time and day. */
const OPEN_END = '\uffff';

/** Open ends as bounds that sort below and above every time; given ends in the ledger's form. */
function bounds(period: Period): { from: string; to: string } {
  const norm = (t: string) => new Date(t).toISOString();
  return {
    from: period.from === undefined ? '' : norm(period.from),
    to: period.to === undefined ? OPEN_END : norm(period.to),
  };
}

function isMidnight(time: string): boolean {
  return time.endsWith('T00:00:00.000Z');
}

/** The day after the day of a time. */
function nextDay(time: string): string {
  return new Date(Date.parse(time.slice(0, 10)) + DAY_MS).toISOString().slice(0, 10);
}
