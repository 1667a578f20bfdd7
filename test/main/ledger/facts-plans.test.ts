import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { buildKpiLedger } from '../kpis/fixture.js';

// KPIs stay fast on a big ledger only if every projection query seeks by an index.
let db: Database.Database;
let cleanup: () => void;
beforeAll(async () => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  (await buildKpiLedger(join(temp.dir, 'data'))).close();
  db = new Database(join(temp.dir, 'data', 'ledger.db'), { readonly: true });
});
afterAll(() => {
  db.close();
  cleanup();
});

function plan(sql: string, params: object): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join(' | ');
}

describe('projection queries', () => {
  it('seek by index, never scan', async () => {
    const { LedgerFacts } = await import('../../../src/main/ledger/facts.js');
    const facts = new LedgerFacts(db) as unknown as Record<string, unknown>;
    const statements: Database.Statement[] = [];
    for (const value of Object.values(facts)) {
      if (value && typeof value === 'object' && 'source' in value) statements.push(value as Database.Statement);
      else if (value && typeof value === 'object')
        statements.push(...(Object.values(value) as Database.Statement[]).filter((v) => 'source' in v));
    }
    expect(statements.length).toBeGreaterThanOrEqual(9);
    const params = { from: 'a', to: 'b', day: 'a', agentId: 'x', eval: 0, before: 9, limit: 1 };
    for (const statement of statements) {
      const detail = plan(statement.source, params);
      expect(detail, statement.source).not.toMatch(/\bSCAN\b/);
      expect(detail, statement.source).toMatch(/SEARCH/);
      // The tasks of a partial day: by start time, not by every task there is.
      if (statement.source.includes('root_run_id')) expect(detail).toContain('run_facts_tasks');
    }
  });
});
