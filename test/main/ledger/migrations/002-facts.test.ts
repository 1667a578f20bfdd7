import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../../../src/main/ledger/index.js';
import { tempDir } from '../../../helpers/temp.js';
import { buildKpiLedger } from '../../kpis/fixture.js';
import { LATEST_SCHEMA_VERSION } from '../../../../src/main/ledger/migrations/index.js';
import { undoConsole } from './undo-006.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  const temp = tempDir();
  dir = join(temp.dir, 'data');
  cleanup = temp.cleanup;
});
afterEach(() => cleanup());

const snapshot = (db: Database.Database) => ({
  runs: db.prepare('SELECT * FROM run_facts ORDER BY run_id').all(),
  cases: db.prepare('SELECT * FROM eval_case_facts ORDER BY seq').all(),
  taskDays: db.prepare('SELECT * FROM task_days ORDER BY day, agent_id').all(),
  spendDays: db.prepare('SELECT * FROM spend_days ORDER BY day, agent_id, eval').all(),
});

describe('migration 002: facts', () => {
  it('keeps one row per run in step with appends, interventions and tree cost on the root', async () => {
    (await buildKpiLedger(dir)).close();
    const db = new Database(join(dir, 'ledger.db'));
    try {
      const t1 = db.prepare("SELECT * FROM run_facts WHERE run_id = 'run-t1'").get();
      expect(t1).toMatchObject({
        root_run_id: 'run-t1',
        tier: 'reconciliation',
        unit: 'finance',
        eval: 0,
        status: 'ok',
        cost_usd: 0.1,
        tree_cost_usd: expect.closeTo(0.17, 10),
        approvals: 0,
      });
      expect(db.prepare("SELECT root_run_id, cost_usd FROM run_facts WHERE run_id = 'run-c1'").get()).toEqual({
        root_run_id: 'run-t1',
        cost_usd: expect.closeTo(0.07, 10),
      });
      expect(db.prepare("SELECT approvals, rejections FROM run_facts WHERE run_id = 'run-t3'").get()).toEqual({
        approvals: 1,
        rejections: 1,
      });
      expect(db.prepare("SELECT eval FROM run_facts WHERE run_id = 'run-e1'").get()).toEqual({ eval: 1 });
      // The daily rollups: tasks by their start day, spend by the day it was spent.
      expect(db.prepare("SELECT * FROM task_days WHERE day = '2026-11-01'").all()).toEqual([
        {
          day: '2026-11-01',
          agent_id: 'reconciliation',
          tier: 'reconciliation',
          unit: 'finance',
          tasks: 2,
          resolved: 2,
          resolution_ms_sum: 630_000,
          intervened: 1,
          resolved_cost_usd: expect.closeTo(0.47, 10),
        },
      ]);
      // Eval runs' spend is kept apart from the work's, which is what a daily budget counts.
      expect(
        db.prepare("SELECT agent_id, eval, cost_usd FROM spend_days WHERE day = '2026-11-02' ORDER BY eval").all(),
      ).toEqual([
        { agent_id: 'reconciliation', eval: 0, cost_usd: expect.closeTo(0.2, 10) },
        { agent_id: 'reconciliation', eval: 1, cost_usd: expect.closeTo(1, 10) },
      ]);
      expect(db.prepare('SELECT agent_id, tier, passed FROM eval_case_facts ORDER BY seq').all()).toEqual([
        { agent_id: 'intake', tier: 'ingestion', passed: 1 },
        { agent_id: 'intake', tier: 'ingestion', passed: 0 },
      ]);
    } finally {
      db.close();
    }
  });

  it('builds the same facts from the events of a ledger that predates it', async () => {
    (await buildKpiLedger(dir)).close();
    const file = join(dir, 'ledger.db');
    const db = new Database(file);
    const kept = snapshot(db);
    expect(kept.runs).toHaveLength(9);
    expect(kept.taskDays).toHaveLength(4);
    // Back to schema 1: as a ledger written before this migration existed.
    undoConsole(db);
    // What came after 002 on events (the run list's triggers) goes first; the rest with run_facts.
    for (const name of db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'run_list_%'")
      .pluck()
      .all())
      db.exec(`DROP TRIGGER ${name as string}`);
    db.exec(`DROP TABLE run_facts; DROP TABLE eval_case_facts; DROP TABLE task_days; DROP TABLE spend_days;`);
    // And what came after 002 (the Merkle tree, the content store), which the upgrade makes again.
    db.exec('DROP TABLE merkle_nodes; DROP TABLE meta; DROP TABLE checkpoints; DROP TABLE content;');
    for (const { name } of db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'facts_%'")
      .all() as {
      name: string;
    }[])
      db.exec(`DROP TRIGGER ${name}`);
    db.pragma('user_version = 1');
    db.close();

    // Verify and export leave an old ledger as it is; opening it to work upgrades it.
    const readOnly = Ledger.open(dir, { mode: 'existing', upgrade: false });
    expect(() => readOnly.facts).toThrow(/predates KPIs \(schema 1\)/);
    readOnly.close();
    Ledger.open(dir, { mode: 'existing', upgrade: true }).close();
    const upgraded = new Database(file);
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(snapshot(upgraded)).toEqual(kept);
    } finally {
      upgraded.close();
    }
  });
});
