import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, LEDGER_FILE } from '../../../src/main/ledger/index.js';
import { logEvent, tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let ledger: Ledger;
const hours = ['2026-11-01T09:00:00.000Z', '2026-11-01T10:00:00.000Z', '2026-11-01T11:00:00.000Z'];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  let tick = 0;
  // 30 events in three hours: 10 per hour; agents alternate, runs by tens.
  ledger = Ledger.open(dir, { clock: () => new Date(hours[Math.floor(tick++ / 10)]!) });
  for (let i = 0; i < 30; i++) {
    await ledger.append(logEvent(`e${i + 1}`, `run-${Math.floor(i / 10)}`, i % 2 ? 'quoting' : 'intake'));
  }
});
afterAll(() => {
  ledger.close();
  cleanup();
});

describe('keyset queries', () => {
  it('pages forward by seq and hands out the key of the next page', () => {
    const first = ledger.reader.page({ limit: 12 });
    expect(first.events.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(first.nextKey).toBe(12);
    const second = ledger.reader.page({ limit: 12, afterSeq: first.nextKey! });
    expect(second.events[0]!.seq).toBe(13);
    const last = ledger.reader.page({ limit: 12, afterSeq: 24 });
    expect(last.events).toHaveLength(6);
    expect(last.nextKey).toBeNull();
  });

  it('pages backwards, newest first', () => {
    const page = ledger.reader.page({ order: 'desc', limit: 5, beforeSeq: 11 });
    expect(page.events.map((e) => e.seq)).toEqual([10, 9, 8, 7, 6]);
  });

  it('filters by run, agent and type', () => {
    expect(ledger.reader.page({ runId: 'run-1', limit: 100 }).events.map((e) => e.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 11),
    );
    const quoting = ledger.reader.page({ agentId: 'quoting', limit: 100 }).events;
    expect(quoting).toHaveLength(15);
    expect(quoting.every((e) => e.agentId === 'quoting')).toBe(true);
    expect(ledger.reader.count({ type: 'run.log' })).toBe(30);
    expect(ledger.reader.count({ type: 'run.started' })).toBe(0);
  });

  it('filters by a time range, from inclusive and to exclusive', () => {
    const page = ledger.reader.page({ from: hours[1], to: hours[2], limit: 100 });
    expect(page.events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 11));
    expect(ledger.reader.count({ from: '2026-12-01T00:00:00.000Z' })).toBe(0);
    expect(ledger.reader.count({ to: hours[0] })).toBe(0);
  });

  it('combines a key with filters', () => {
    const page = ledger.reader.page({ agentId: 'intake', afterSeq: 20, limit: 3 });
    expect(page.events.map((e) => e.seq)).toEqual([21, 23, 25]);
  });

  it('never pages with OFFSET: every page is a seek by key or index, never a table scan', () => {
    const db = new Database(join(dir, LEDGER_FILE), { readonly: true });
    const queries = [
      { afterSeq: 20 },
      { order: 'desc' as const, beforeSeq: 20 },
      { agentId: 'intake', afterSeq: 20 },
      { runId: 'run-1' },
      { type: 'run.log', afterSeq: 5 },
      { from: hours[1], to: hours[2] },
    ];
    for (const query of queries) {
      const { sql, params } = ledger.reader.pageSql(query, 101);
      expect(sql).not.toMatch(/OFFSET/i);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
        (p) => p.detail,
      );
      expect(plan.join(' | '), JSON.stringify(query)).toMatch(/^SEARCH events USING/);
    }
    db.close();
  });

  it('notices appends made by another connection through data_version', async () => {
    expect(ledger.changedByOthers()).toBe(false);
    const other = Ledger.open(dir);
    await other.append(logEvent('from another process'));
    other.close();
    expect(ledger.changedByOthers()).toBe(true);
    expect(ledger.changedByOthers()).toBe(false);
  });
});
