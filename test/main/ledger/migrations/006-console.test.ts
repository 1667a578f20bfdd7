import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../../../src/main/ledger/index.js';
import { ApprovalFacts } from '../../../../src/main/ledger/approval-facts.js';
import { RosterFacts } from '../../../../src/main/ledger/roster-facts.js';
import { LedgerReader } from '../../../../src/main/ledger/read.js';
import { tempDir } from '../../../helpers/temp.js';
import { buildRunListLedger } from '../run-list-fixture.js';
import { undoConsole } from './undo-006.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  const temp = tempDir();
  dir = join(temp.dir, 'data');
  cleanup = temp.cleanup;
});
afterEach(() => cleanup());

/** The run list's ledger, and a program of `legacy` that hit its CPU cap. */
async function build(): Promise<Ledger> {
  const ledger = await buildRunListLedger(dir);
  await ledger.appendMany([
    { type: 'run.started', runId: 'p1', agentId: 'legacy', payload: { input: {}, hop: 0, tier: 'ingestion' } },
    { type: 'sandbox.limit', runId: 'p1', agentId: 'legacy', payload: { limit: 'cpu', cpuMs: 510, wallMs: 600 } },
    {
      type: 'run.finished',
      runId: 'p1',
      agentId: 'legacy',
      payload: { status: 'limit', error: { code: 'E_SANDBOX_CPU', message: 'over its 500 ms CPU cap' } },
    },
  ]);
  return ledger;
}

function snapshot(db: Database.Database) {
  return {
    approvals: db.prepare('SELECT * FROM approval_facts ORDER BY approval_id').all(),
    caps: db.prepare('SELECT run_id, cap FROM run_facts WHERE cap IS NOT NULL ORDER BY run_id').all(),
    runDays: db.prepare('SELECT * FROM run_days ORDER BY day, agent_id, eval').all(),
  };
}

describe('migration 006: console', () => {
  it('keeps the approval queue, the cap a run hit and runs per day in step with appends', async () => {
    const ledger = await build();
    try {
      expect(ledger.approvalFacts.pending().map((a) => [a.request.payload.approvalId, a.decision])).toEqual([
        ['a-2', null],
      ]);
      expect(ledger.approvalFacts.decided(10).map((a) => a.decision!.payload.approvalId)).toEqual(['a-4']);
      expect(ledger.approvalFacts.find('a-4')).toMatchObject({
        request: { type: 'approval.requested', runId: 'r4' },
        decision: { type: 'approval.decided', payload: { decision: 'rejected' } },
      });
      expect(ledger.approvalFacts.find('a-9')).toBeNull();
      expect(ledger.roster.lastRun('legacy')).toMatchObject({ runId: 'p1', state: 'limit', cap: 'cpu' });
      // recon's latest work is r4 (e1, later, is an eval run); r2 still waits for a person.
      expect(ledger.roster.lastRun('recon')).toMatchObject({ runId: 'r4', state: 'ok', cap: null });
      expect(ledger.roster.active('recon')).toEqual({ running: 0, waiting: 1 });
      expect(ledger.roster.lastRun('nobody')).toBeNull();
      expect(ledger.roster.runsOn('recon', '2026-11-01')).toBe(3);
      expect(ledger.roster.runsOn('intake', '2026-11-01')).toBe(2);
      expect(ledger.roster.runsOn('recon', '2026-11-02')).toBe(0);
    } finally {
      ledger.close();
    }
  });

  it('builds the same projections from the events of a ledger that predates it', async () => {
    (await build()).close();
    const file = join(dir, 'ledger.db');
    const db = new Database(file);
    const kept = snapshot(db);
    expect(kept.approvals).toHaveLength(2);
    expect(kept.caps).toEqual([{ run_id: 'p1', cap: 'cpu' }]);
    undoConsole(db);
    db.close();
    Ledger.open(dir, { mode: 'existing' }).close();
    const upgraded = new Database(file);
    try {
      expect(snapshot(upgraded)).toEqual(kept);
    } finally {
      upgraded.close();
    }
  });

  it('answers the queue, the roster and an agent’s events of one type by index, never by a scan', async () => {
    (await build()).close();
    const db = new Database(join(dir, 'ledger.db'), { readonly: true });
    try {
      const plan = (sql: string) =>
        (
          db
            .prepare(`EXPLAIN QUERY PLAN ${sql}`)
            .all({ agentId: 'x', approvalId: 'a', day: 'd', seq: 1, limit: 1 }) as {
            detail: string;
          }[]
        )
          .map((r) => r.detail)
          .join(' | ');
      for (const facts of [new ApprovalFacts(db), new RosterFacts(db)]) {
        const statements = Object.values(facts).filter((v): v is Database.Statement => v && 'source' in v);
        expect(statements.length).toBe(3);
        for (const { source } of statements) {
          expect(plan(source), source).not.toMatch(/\bSCAN\b/);
          expect(plan(source), source).toMatch(/SEARCH/);
        }
      }
      // An agent's events of one type, newest first (holds, prompt versions, suite runs).
      const { sql, params } = new LedgerReader(db).pageSql({ agentId: 'x', type: 'eval.run', order: 'desc' }, 1);
      const detail = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
      expect(detail).toContain('events_by_agent_type');
      expect(detail).not.toMatch(/TEMP B-TREE/);
    } finally {
      db.close();
    }
  });
});
