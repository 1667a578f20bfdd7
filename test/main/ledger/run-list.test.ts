import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/main/ledger/index.js';
import { RunList } from '../../../src/main/ledger/run-list.js';
import { tempDir } from '../../helpers/temp.js';
import { buildRunListLedger as build, decided } from './run-list-fixture.js';
import { RUN_LIST_COLUMNS, undoRunList } from './migrations/undo-004.js';
import { undoConsole } from './migrations/undo-006.js';
import { LATEST_SCHEMA_VERSION } from '../../../src/main/ledger/migrations/index.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  const temp = tempDir();
  dir = join(temp.dir, 'data');
  cleanup = temp.cleanup;
});
afterEach(() => cleanup());

const ids = (rows: { runId: string }[]) => rows.map((r) => r.runId);

describe('the run list', () => {
  it('pages runs newest first with their task, state, duration, cost, tokens and failed calls', async () => {
    const ledger = await build(dir);
    try {
      const rows = ledger.runs.page({ limit: 10 });
      expect(ids(rows)).toEqual(['e1', 'c4', 'r4', 'r3', 'r2', 'r1']);
      const by = new Map(rows.map((r) => [r.runId, r]));
      expect(by.get('r1')).toMatchObject({
        agentId: 'recon',
        state: 'ok',
        task: 'match payment 42 to its invoice',
        durationMs: 1000,
        costUsd: 0.25,
        tokens: 120,
        failedCalls: 0,
        rejectedCalls: 0,
        eval: false,
      });
      // Parked on a person, not running; its task is its input as (canonical) JSON.
      expect(by.get('r2')).toMatchObject({ state: 'waiting', task: '{"amountUsd":4200,"invoice":"INV-7"}' });
      expect(by.get('r2')!.durationMs).toBeNull();
      expect(by.get('r3')).toMatchObject({ state: 'ok', failedCalls: 1, rejectedCalls: 0 });
      expect(by.get('r3')!.task).toHaveLength(160);
      // The root counts its handoff tree's calls, as `warden run` does; the child its own.
      expect(by.get('r4')).toMatchObject({ state: 'ok', failedCalls: 2, rejectedCalls: 1 });
      expect(by.get('c4')).toMatchObject({ parentRunId: 'r4', failedCalls: 1, rejectedCalls: 0 });
      expect(by.get('e1')).toMatchObject({ eval: true, state: 'error' });
    } finally {
      ledger.close();
    }
  });

  it('filters by state, agent and eval, and pages on by key', async () => {
    const ledger = await build(dir);
    try {
      expect(ids(ledger.runs.page({ limit: 10, state: 'waiting' }))).toEqual(['r2']);
      expect(ids(ledger.runs.page({ limit: 10, agentId: 'intake' }))).toEqual(['c4', 'r3']);
      expect(ids(ledger.runs.page({ limit: 10, eval: true }))).toEqual(['e1']);
      expect(ids(ledger.runs.page({ limit: 10, eval: false, agentId: 'recon', state: 'ok' }))).toEqual(['r4', 'r1']);
      expect(ids(ledger.runs.page({ limit: 10, eval: false, state: 'ok' }))).toEqual(['c4', 'r4', 'r3', 'r1']);
      // One more than asked says there is a next page; the next starts before the last shown.
      const first = ledger.runs.page({ limit: 2, eval: false });
      expect(ids(first)).toEqual(['c4', 'r4', 'r3']);
      expect(ids(ledger.runs.page({ limit: 2, eval: false, beforeSeq: first[1]!.startedSeq }))).toEqual([
        'r3',
        'r2',
        'r1',
      ]);
      // A decided approval is no longer waited on.
      await ledger.append(decided('r2', 'a-2', 'approved'));
      expect(ledger.runs.page({ limit: 10, state: 'waiting' })).toEqual([]);
      expect(ledger.runs.page({ limit: 10, agentId: 'recon' })[2]).toMatchObject({ runId: 'r2', state: 'running' });
    } finally {
      ledger.close();
    }
  });

  it('reads only its projection, by index, for every combination of filters', async () => {
    (await build(dir)).close();
    const db = new Database(join(dir, 'ledger.db'), { readonly: true });
    try {
      const filters = ['agentId', 'eval', 'state'] as const;
      for (let mask = 0; mask < 8; mask++) {
        const used = filters.filter((_, i) => mask & (1 << i));
        const sql = RunList.sql(used);
        const plan = (
          db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ before: 9, limit: 3, agentId: 'x', eval: 0, state: 'ok' }) as {
            detail: string;
          }[]
        ).map((r) => r.detail);
        expect(plan.join(' | '), sql).toMatch(/^SEARCH run_facts USING INDEX run_facts_by_\w+ \(/);
        expect(plan.join(' | '), sql).not.toMatch(/events|TEMP B-TREE|\bSCAN\b/);
        // Every filter is a term of the seek, so no row is read only to be skipped.
        const seek = /\((.*)\)/.exec(plan[0]!)![1]!;
        for (const f of used)
          expect(seek, sql).toContain(`${{ agentId: 'agent_id', eval: 'eval', state: 'state' }[f]}=?`);
        expect(seek, sql).toContain('started_seq<?');
      }
    } finally {
      db.close();
    }
  });

  it('is back-filled for a ledger that predates it, as its triggers would have kept it', async () => {
    (await build(dir)).close();
    const file = join(dir, 'ledger.db');
    const columns = ['run_id', ...RUN_LIST_COLUMNS].join(', ');
    const db = new Database(file);
    const kept = db.prepare(`SELECT ${columns} FROM run_facts ORDER BY run_id`).all();
    undoConsole(db);
    undoRunList(db);
    db.pragma('user_version = 3');
    db.close();
    Ledger.open(dir).close();
    const upgraded = new Database(file, { readonly: true });
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(upgraded.prepare(`SELECT ${columns} FROM run_facts ORDER BY run_id`).all()).toEqual(kept);
    } finally {
      upgraded.close();
    }
  });
});
