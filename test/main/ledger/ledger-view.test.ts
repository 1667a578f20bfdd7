import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FACET_SQL } from '../../../src/main/ledger/facets.js';
import { FIRST_SEQ_AT_SQL, LedgerReader } from '../../../src/main/ledger/read.js';
import { useTempDirs } from '../cli/helpers.js';
import { buildRunListLedger as build } from './run-list-fixture.js';

// What the console's Ledger view asks beyond a page: the pickers' agents and types, pages with
// eval events left out (or only them), and the seq a date lands on. Each must cost the same on
// a ledger of a million events as on this one, so each test also reads the query's plan.

const temp = useTempDirs();
let dir: string;
beforeEach(() => {
  dir = join(temp.make('warden-ledger-view-'), 'data');
});
afterEach(() => temp.cleanup());

/** Builds the fixture's ledger, then hands its file to `read`, opened read-only as a second process would. */
async function withBuiltFile(read: (db: Database.Database) => void): Promise<void> {
  (await build(dir)).close();
  const db = new Database(join(dir, 'ledger.db'), { readonly: true });
  try {
    read(db);
  } finally {
    db.close();
  }
}

/** The plan SQLite would follow, one line per step. */
const planOf = (db: Database.Database, sql: string, ...params: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('the ledger view’s queries', () => {
  it('lists every agent with events and every event type that occurs, sorted', async () => {
    const ledger = await build(dir);
    try {
      expect(ledger.reader.facets()).toEqual({
        agents: ['intake', 'recon'],
        types: ['approval.decided', 'approval.requested', 'model.called', 'run.finished', 'run.started', 'tool.result'],
      });
      await ledger.append({ type: 'agent.paused', agentId: 'quoting', payload: { by: 'cao', reason: 'by hand' } });
      expect(ledger.reader.facets().agents).toEqual(['intake', 'quoting', 'recon']);
      expect(ledger.reader.facets().types).toContain('agent.paused');
    } finally {
      ledger.close();
    }
  });

  it('reads the facets by seeking their index once per value, never scanning the events', async () => {
    await withBuiltFile((db) => {
      for (const [facet, index] of [
        ['agents', 'events_by_agent'],
        ['types', 'events_by_type'],
      ] as const) {
        const plan = planOf(db, FACET_SQL[facet]);
        expect(plan, facet).toContain(`SEARCH events USING COVERING INDEX ${index}`);
        expect(plan, facet).not.toMatch(/SCAN events|TEMP B-TREE/);
      }
    });
  });

  it('leaves eval runs’ events out of a page, or keeps only them', async () => {
    const ledger = await build(dir);
    try {
      await ledger.append({
        type: 'eval.case',
        agentId: 'recon',
        payload: {
          evalRunId: 'ev-1',
          suite: 'recon',
          caseId: 'case-1',
          runId: 'e1',
          grader: 'exact',
          passed: false,
          output: null,
          expected: 'ok',
          diff: ['expected ok'],
          latencyMs: 3,
          costUsd: 0,
        },
      });
      const runsOf = (page: { events: { runId: string | null; type: string }[] }) => [
        ...new Set(page.events.map((e) => e.runId ?? e.type)),
      ];
      expect(runsOf(ledger.reader.page({ limit: 100, eval: true }))).toEqual(['e1', 'eval.case']);
      const work = ledger.reader.page({ limit: 100, eval: false, order: 'desc' });
      expect(runsOf(work)).toEqual(['r4', 'c4', 'r3', 'r2', 'r1']);
      expect(
        ledger.reader.page({ limit: 100, eval: false, agentId: 'recon' }).events.every((e) => e.runId !== 'e1'),
      ).toBe(true);
    } finally {
      ledger.close();
    }
  });

  it('keeps the eval filter to the page’s own index, with one primary-key probe of run_facts a row', async () => {
    await withBuiltFile((db) => {
      const reader = new LedgerReader(db);
      for (const filter of [{}, { agentId: 'recon' }, { type: 'run.started' }, { runId: 'r1' }]) {
        for (const evalOnly of [true, false]) {
          const { sql, params } = reader.pageSql({ ...filter, eval: evalOnly, beforeSeq: 9, order: 'desc' }, 3);
          const plan = planOf(db, sql, ...params);
          expect(plan, sql).toMatch(/^SEARCH events USING (INDEX events_by_\w+|INTEGER PRIMARY KEY) \(/);
          expect(plan, sql).toContain('SEARCH f USING INDEX sqlite_autoindex_run_facts_1 (run_id=?)');
          expect(plan, sql).not.toMatch(/\bSCAN\b|TEMP B-TREE/);
        }
      }
    });
  });

  it('finds the first event at or after a date with one probe of the time index', async () => {
    const ledger = await build(dir);
    try {
      // Seqs 1 to 3 were appended together, at one time; seq 4 a second later.
      const [first, fourth] = [ledger.reader.get(1)!, ledger.reader.get(4)!];
      expect(ledger.reader.get(3)!.ts).toBe(first.ts);
      expect(ledger.reader.firstSeqAtOrAfter(first.ts)).toBe(1);
      expect(ledger.reader.firstSeqAtOrAfter(fourth.ts)).toBe(4);
      expect(ledger.reader.firstSeqAtOrAfter('2000-01-01T00:00:00.000Z')).toBe(1);
      expect(ledger.reader.firstSeqAtOrAfter('2099-01-01T00:00:00.000Z')).toBeNull();
      // Between two events: the later one.
      const later = new Date(Date.parse(first.ts) + 1).toISOString();
      expect(ledger.reader.firstSeqAtOrAfter(later)).toBe(4);
    } finally {
      ledger.close();
    }
    const db = new Database(join(dir, 'ledger.db'), { readonly: true });
    try {
      const plan = planOf(db, FIRST_SEQ_AT_SQL, 'x');
      expect(plan).toBe('SEARCH events USING COVERING INDEX events_by_ts (ts>?)');
    } finally {
      db.close();
    }
  });
});
