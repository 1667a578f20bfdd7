import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiReport, summarise } from '../../../src/main/kpis/kpis.js';
import type { Ledger } from '../../../src/main/ledger/index.js';
import { AgentManifestSchema } from '../../../src/shared/roster.js';
import { tempDir } from '../../helpers/temp.js';
import { buildKpiLedger } from './fixture.js';

let ledger: Ledger;
let cleanup: () => void;
beforeAll(async () => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  ledger = await buildKpiLedger(join(temp.dir, 'data'));
});
afterAll(() => {
  ledger.close();
  cleanup();
});

const period = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-03T00:00:00.000Z' };

describe('KPIs', () => {
  it('by agent match the hand-worked figures', () => {
    const report = kpiReport(ledger, { ...period, by: 'agent' });
    expect(report.period).toEqual({ ...period, days: 2 });
    expect(report.groups).toEqual([
      {
        key: 'quoting',
        tasks: 2,
        resolved: 1,
        intervened: 2, // a draft a human executes, and a manual stop
        interventionRate: 1,
        meanTimeToResolutionMs: 10_000,
        costPerResolvedUsd: 0,
        resolvedCostUsd: 0,
      },
      {
        key: 'reconciliation',
        tasks: 3, // T1, T2, T3: the child run and the eval run are not tasks, T0 is before the period
        resolved: 2,
        intervened: 2, // T2's approval, T3's rejection
        interventionRate: 2 / 3,
        meanTimeToResolutionMs: 315_000, // (30 s + 600 s) / 2, the approval wait included
        costPerResolvedUsd: expect.closeTo(0.235, 10), // (0.10 + 0.05 + 0.02 + 0.30) / 2, T1's handoff included
        resolvedCostUsd: expect.closeTo(0.47, 10),
      },
    ]);
    expect(report.total).toEqual({
      tasks: 5,
      resolved: 3,
      intervened: 4,
      interventionRate: 0.8,
      meanTimeToResolutionMs: 213_333, // (30 + 600 + 10) s / 3
      costPerResolvedUsd: expect.closeTo(0.47 / 3, 10),
      resolvedCostUsd: expect.closeTo(0.47, 10),
    });
  });

  it('by tier and by business unit group the same tasks by the tier and unit they ran under', () => {
    const tiers = kpiReport(ledger, { ...period, by: 'tier' }).groups.map((g) => [g.key, g.tasks, g.resolved]);
    expect(tiers).toEqual([
      ['negotiation', 2, 1],
      ['reconciliation', 3, 2],
    ]);
    const units = kpiReport(ledger, { ...period, by: 'unit' }).groups.map((g) => [g.key, g.tasks, g.intervened]);
    expect(units).toEqual([
      ['finance', 3, 2],
      ['sales', 2, 2],
    ]);
  });

  it('give one point per group and day for charts', () => {
    const series = kpiReport(ledger, { ...period, by: 'agent' }).series.map((p) => [
      p.day,
      p.key,
      p.tasks,
      p.resolved,
      p.intervened,
      p.meanTimeToResolutionMs,
    ]);
    expect(series).toEqual([
      ['2026-11-01', 'reconciliation', 2, 2, 1, 315_000],
      ['2026-11-02', 'quoting', 2, 1, 2, 10_000],
      ['2026-11-02', 'reconciliation', 1, 0, 1, null],
    ]);
  });

  it('follow the period: a day on its own, and an empty one', () => {
    const day = kpiReport(ledger, { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', by: 'agent' });
    expect(day.total).toMatchObject({ tasks: 2, resolved: 2, intervened: 1, interventionRate: 0.5 });
    const none = kpiReport(ledger, { from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z', by: 'agent' });
    expect(none.total).toEqual(summarise([]));
    expect(none.total).toMatchObject({ tasks: 0, interventionRate: null, meanTimeToResolutionMs: null });
  });

  it('count the partial first and last days of a period from the runs themselves', () => {
    // 11-01 10:30 to 11-02 12:00:05: T2 (11-01 11:00), T3 (11-02 09:00) and T4 (11-02 12:00:00).
    const report = kpiReport(ledger, { from: '2026-11-01T10:30:00.000Z', to: '2026-11-02T12:00:05.000Z', by: 'agent' });
    expect(report.groups.map((g) => [g.key, g.tasks, g.resolved, g.intervened, g.meanTimeToResolutionMs])).toEqual([
      ['quoting', 1, 1, 1, 10_000],
      ['reconciliation', 2, 1, 2, 600_000],
    ]);
    // Whole days in the middle: 10-31 12:00 to 11-03 00:00 takes 11-01 and 11-02 from the rollup.
    const wide = kpiReport(ledger, { from: '2026-10-31T12:00:00.000Z', to: '2026-11-03T00:00:00.000Z', by: 'agent' });
    expect(wide.total).toEqual(kpiReport(ledger, { ...period, by: 'agent' }).total);
    const withT0 = kpiReport(ledger, { from: '2026-10-31T08:59:00.000Z', to: '2026-11-03T00:00:00.000Z', by: 'agent' });
    expect(withT0.total.tasks).toBe(6);
  });

  it('give a daily budget the work’s spend of the day, eval runs aside', () => {
    expect(ledger.facts.spentOn('reconciliation', '2026-11-02')).toEqual({ usd: expect.closeTo(0.2, 10), tokens: 120 });
    expect(ledger.facts.spentOn('reconciliation', '2026-11-01')).toEqual({ usd: expect.closeTo(0.4, 10), tokens: 240 });
    expect(ledger.facts.spentOn('nobody', '2026-11-01')).toEqual({ usd: 0, tokens: 0 });
  });

  it('put the work’s spend per agent and unit against budgets over the days of the period, eval runs’ apart', () => {
    const manifest = (id: string, unit: string, usdPerDay?: number) =>
      AgentManifestSchema.parse({
        id,
        role: 'r',
        businessUnit: unit,
        ...(usdPerDay ? { budget: { usdPerDay } } : {}),
      });
    const report = kpiReport(ledger, { ...period, by: 'agent' }, [
      manifest('reconciliation', 'finance', 5),
      manifest('intake', 'operations', 1),
      manifest('quoting', 'sales'),
      manifest('coordinator', 'operations', 2),
    ]);
    expect(report.spend.agents).toEqual([
      { key: 'coordinator', costUsd: 0, tokens: 0, evalCostUsd: 0, budgetUsd: 4 },
      { key: 'intake', costUsd: expect.closeTo(0.07, 10), tokens: 120, evalCostUsd: 0, budgetUsd: 2 },
      { key: 'quoting', costUsd: 0, tokens: 0, evalCostUsd: 0, budgetUsd: null },
      { key: 'reconciliation', costUsd: expect.closeTo(0.6, 10), tokens: 360, evalCostUsd: 1, budgetUsd: 10 },
    ]);
    expect(report.spend.units).toEqual(
      expect.arrayContaining([
        { key: 'operations', costUsd: expect.closeTo(0.07, 10), tokens: 120, evalCostUsd: 0, budgetUsd: 6 },
        { key: 'finance', costUsd: expect.closeTo(0.6, 10), tokens: 360, evalCostUsd: 1, budgetUsd: 10 },
        { key: 'sales', costUsd: 0, tokens: 0, evalCostUsd: 0, budgetUsd: null },
      ]),
    );
  });
});
