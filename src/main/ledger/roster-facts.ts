import type Database from 'better-sqlite3';
import type { RunState } from './run-list.js';

/** How an agent's latest run of work stands, as the roster shows it. */
export interface LastRun {
  runId: string;
  state: RunState;
  /** The cap a run that ended `limit` hit. */
  cap: 'memory' | 'cpu' | 'wall' | null;
  startedAt: string;
  finishedAt: string | null;
}

/**
 * What the roster asks of each agent, from the projections (migrations 004 and 006): its latest
 * run of work, how many of its runs are under way or waiting for a person, and its runs on a
 * day. Each query seeks an index by agent (test/main/ledger/roster-facts.test.ts reads the
 * plans), so the roster costs a few rows per agent however long the ledger.
 */
export class RosterFacts {
  private readonly lastRunStatement: Database.Statement;
  private readonly activeStatement: Database.Statement;
  private readonly runsStatement: Database.Statement;

  constructor(db: Database.Database) {
    this.lastRunStatement = db.prepare(`
      SELECT run_id AS runId, state, cap, started_ts AS startedAt, finished_ts AS finishedAt
      FROM run_facts INDEXED BY run_facts_by_agent_kind
      WHERE agent_id = @agentId AND eval = 0 ORDER BY started_seq DESC LIMIT 1`);
    this.activeStatement = db.prepare(`
      SELECT count(*) FILTER (WHERE state = 'running') AS running, count(*) FILTER (WHERE state = 'waiting') AS waiting
      FROM run_facts INDEXED BY run_facts_by_agent_state WHERE agent_id = @agentId AND state IN ('running', 'waiting')`);
    this.runsStatement = db.prepare(
      'SELECT COALESCE(max(runs), 0) AS n FROM run_days WHERE day = @day AND agent_id = @agentId AND eval = 0',
    );
  }

  /** The agent's latest run of work (eval runs aside), or null before its first. */
  lastRun(agentId: string): LastRun | null {
    return (this.lastRunStatement.get({ agentId }) as LastRun | undefined) ?? null;
  }

  /** How many of the agent's runs (work or eval) are under way, and how many wait for a person. */
  active(agentId: string): { running: number; waiting: number } {
    return this.activeStatement.get({ agentId }) as { running: number; waiting: number };
  }

  /** How many runs of its work (eval runs aside) an agent started on one UTC day. */
  runsOn(agentId: string, day: string): number {
    return (this.runsStatement.get({ agentId, day }) as { n: number }).n;
  }
}
