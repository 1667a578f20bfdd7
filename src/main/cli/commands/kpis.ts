import { resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { usd } from '../../../shared/money.js';
import type { GroupBy } from '../../ledger/index.js';
import { Ledger } from '../../ledger/index.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { kpiReport, type Kpis, type KpiReport } from '../../kpis/kpis.js';
import { loadRoster, formatProblem } from '../../roster/load.js';
import { parse, str, time } from '../args.js';
import { EXIT, type CliIO, type CommandRun } from '../io.js';

const NAME = 'warden kpis';
const DAY_MS = 86_400_000;
const GROUPS: readonly GroupBy[] = ['agent', 'tier', 'unit'];

/**
 * `warden kpis [--from T] [--to T] [--by agent|tier|unit] [--roster R]`: time to resolution,
 * human intervention rate and cost per resolved task over a period (the last 30 days by
 * default), and spend per agent and unit (against budget when the roster is given).
 */
export const kpis: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      roster: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  const by = (str(parsed, 'by', NAME) ?? 'agent') as GroupBy;
  if (!GROUPS.includes(by)) throw new UsageError(`${NAME}: --by: expected agent, tier or unit, got "${by}"`);
  const to = time(parsed, 'to', NAME) ?? new Date().toISOString();
  const from = time(parsed, 'from', NAME) ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
  if (from >= to) throw new UsageError(`${NAME}: --from (${from}) must come before --to (${to})`);
  const rosterDir = str(parsed, 'roster', NAME);
  let agents: Parameters<typeof kpiReport>[2] = [];
  if (rosterDir !== undefined) {
    const loaded = loadRoster(resolve(rosterDir));
    if (!loaded.ok) throw new UsageError(`${NAME}: --roster: ${formatProblem(loaded.problems[0]!)}`);
    agents = loaded.roster.agents;
  }
  const dataDir = resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir());
  // Opening upgrades an older ledger's schema: KPIs read projections it may not have yet.
  const ledger = Ledger.open(dataDir, { mode: 'existing', upgrade: true });
  try {
    const report = kpiReport(ledger, { from, to, by }, agents);
    if (parsed.values.json === true) io.out(JSON.stringify(report));
    else print(io, report, rosterDir !== undefined);
    return EXIT.ok;
  } finally {
    ledger.close();
  }
};

function print(io: CliIO, report: KpiReport, withBudgets: boolean): void {
  io.out(`KPIs from ${report.period.from} to ${report.period.to} (${report.period.days} days), by ${report.by}`);
  const rows = [...report.groups.map((g) => [g.key || '(none)', ...cells(g)]), ['all', ...cells(report.total)]];
  table(io, [report.by, 'tasks', 'resolved', 'intervention', 'time to resolution', 'cost per resolved'], rows);
  io.out('');
  io.out(`Spend${withBudgets ? ' against budget' : ' (pass --roster R for budgets)'}`);
  const spend = [
    ...report.spend.agents.map((s) => ['agent', s.key, usd(s.costUsd), usd(s.budgetUsd)]),
    ...report.spend.units.map((s) => ['unit', s.key || '(none)', usd(s.costUsd), usd(s.budgetUsd)]),
  ];
  table(io, ['', 'name', 'spent', 'budget'], spend, 2);
}

function cells(k: Kpis): string[] {
  return [
    String(k.tasks),
    String(k.resolved),
    k.interventionRate === null ? '—' : `${(k.interventionRate * 100).toFixed(1)}%`,
    k.meanTimeToResolutionMs === null ? '—' : duration(k.meanTimeToResolutionMs),
    usd(k.costPerResolvedUsd),
  ];
}

/** Prints rows in columns: the first `left` columns are text (left-aligned), the rest numbers. */
function table(io: CliIO, header: string[], rows: string[][], left = 1): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    `  ${r.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  io.out(line(header));
  for (const r of rows) io.out(line(r));
}

/** A duration the way a person says it: 850 ms, 12.4 s, 3.2 min, 5.1 h. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
