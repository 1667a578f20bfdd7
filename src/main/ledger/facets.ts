import type Database from 'better-sqlite3';

/**
 * The distinct values of an indexed column of the events, by a loose index scan: each step
 * seeks the next value past the last one found, so the cost is the number of distinct values
 * times one index probe, the same on a ledger of ten events or ten million.
 */
function distinctSql(column: 'agent_id' | 'type'): string {
  return (
    `WITH RECURSIVE found(value) AS (` +
    // `> ''` rather than `IS NOT NULL`: a seek, where the planner would call the first step a scan.
    `SELECT (SELECT ${column} FROM events WHERE ${column} > '' ORDER BY ${column} LIMIT 1) ` +
    `UNION ALL SELECT (SELECT ${column} FROM events WHERE ${column} > found.value ORDER BY ${column} LIMIT 1) ` +
    `FROM found WHERE found.value IS NOT NULL) SELECT value FROM found WHERE value IS NOT NULL`
  );
}

/** The SQL of each facet, for tests that read its plan. */
export const FACET_SQL = { agents: distinctSql('agent_id'), types: distinctSql('type') } as const;

/** What the ledger view's pickers offer: every agent that has an event, and every event type that occurs. */
export interface LedgerFacets {
  agents: string[];
  types: string[];
}

/** Reads the ledger's facets, each from its events index (never a scan of the events). */
export function ledgerFacets(db: Database.Database): LedgerFacets {
  const values = (sql: string) => db.prepare(sql).pluck().all() as string[];
  return { agents: values(FACET_SQL.agents), types: values(FACET_SQL.types) };
}
