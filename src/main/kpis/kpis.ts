import type { AgentManifest } from '../../shared/roster.js';
import type { GroupBy, Ledger, TaskTotals } from '../ledger/index.js';

/** The KPIs of a set of tasks (root runs that are not eval runs). */
export interface Kpis {
  tasks: number;
  resolved: number;
  /** Tasks that needed an approval, a rejection, a manual stop or a draft a human executes. */
  intervened: number;
  /** intervened / tasks; null with no tasks. */
  interventionRate: number | null;
  /** Mean start-to-resolved time of resolved tasks, approval waits included; null with none resolved. */
  meanTimeToResolutionMs: number | null;
  /** Model and tool cost of resolved tasks (handoffs included) over their number; null with none resolved. */
  costPerResolvedUsd: number | null;
  resolvedCostUsd: number;
}

/** The KPIs of one group (an agent, a tier or a business unit). */
export interface KpiGroup extends Kpis {
  key: string;
}

/** One day of one group, for charts over time. */
export interface KpiPoint extends KpiGroup {
  day: string;
}

/** What an agent's work spent in the period, against its budget over the same days, and its eval runs apart. */
export interface SpendLine {
  key: string;
  costUsd: number;
  tokens: number;
  evalCostUsd: number;
  /** usdPerDay × days in the period; null without a USD budget. */
  budgetUsd: number | null;
}

/** A KPI report over a period. */
export interface KpiReport {
  period: { from: string; to: string; days: number };
  by: GroupBy;
  total: Kpis;
  groups: KpiGroup[];
  series: KpiPoint[];
  spend: { agents: SpendLine[]; units: SpendLine[] };
}

/** What a KPI report covers. */
export interface KpiQuery {
  from: string;
  to: string;
  by: GroupBy;
}

const DAY_MS = 86_400_000;

/**
 * KPIs over a period grouped by agent, tier or business unit, per day for charts, and spend
 * against budget per agent and unit. Read from the ledger's run projections; the roster's
 * manifests, when given, supply budgets and the units of agents with no runs yet.
 */
export function kpiReport(ledger: Ledger, query: KpiQuery, agents: readonly AgentManifest[] = []): KpiReport {
  const period = { from: query.from, to: query.to };
  const rows = ledger.facts.tasks(period, query.by);
  const days = Math.max(1, Math.ceil((Date.parse(query.to) - Date.parse(query.from)) / DAY_MS));
  const byKey = new Map<string, TaskTotals[]>();
  for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
  const manifest = new Map(agents.map((a) => [a.id, a]));
  const agentLines = ledger.facts.spend(period).map((s): SpendLine & { unit: string } => ({
    key: s.agentId,
    unit: s.unit || manifest.get(s.agentId)?.businessUnit || '',
    costUsd: s.costUsd,
    tokens: s.tokens,
    evalCostUsd: s.evalCostUsd,
    budgetUsd: budgetOf(manifest.get(s.agentId), days),
  }));
  for (const agent of agents) {
    if (!agentLines.some((l) => l.key === agent.id))
      agentLines.push({
        key: agent.id,
        unit: agent.businessUnit ?? '',
        costUsd: 0,
        tokens: 0,
        evalCostUsd: 0,
        budgetUsd: budgetOf(agent, days),
      });
  }
  agentLines.sort((a, b) => a.key.localeCompare(b.key));
  const units = new Map<string, SpendLine>();
  for (const line of agentLines) {
    const unit = units.get(line.unit) ?? { key: line.unit, costUsd: 0, tokens: 0, evalCostUsd: 0, budgetUsd: null };
    unit.costUsd += line.costUsd;
    unit.tokens += line.tokens;
    unit.evalCostUsd += line.evalCostUsd;
    if (line.budgetUsd !== null) unit.budgetUsd = (unit.budgetUsd ?? 0) + line.budgetUsd;
    units.set(line.unit, unit);
  }
  return {
    period: { ...period, days },
    by: query.by,
    total: summarise(rows),
    groups: [...byKey].map(([key, group]) => ({ key, ...summarise(group) })).sort((a, b) => a.key.localeCompare(b.key)),
    series: rows.map((row) => ({ key: row.key, day: row.day, ...summarise([row]) })),
    spend: { agents: agentLines.map(({ unit: _unit, ...line }) => line), units: [...units.values()] },
  };
}

/** The KPIs of some per-day totals taken together. */
export function summarise(rows: readonly TaskTotals[]): Kpis {
  let tasks = 0;
  let resolved = 0;
  let intervened = 0;
  let resolutionMsSum = 0;
  let resolvedCostUsd = 0;
  for (const row of rows) {
    tasks += row.tasks;
    resolved += row.resolved;
    intervened += row.intervened;
    resolutionMsSum += row.resolutionMsSum;
    resolvedCostUsd += row.resolvedCostUsd;
  }
  return {
    tasks,
    resolved,
    intervened,
    interventionRate: tasks === 0 ? null : intervened / tasks,
    meanTimeToResolutionMs: resolved === 0 ? null : Math.round(resolutionMsSum / resolved),
    costPerResolvedUsd: resolved === 0 ? null : resolvedCostUsd / resolved,
    resolvedCostUsd,
  };
}

function budgetOf(agent: AgentManifest | undefined, days: number): number | null {
  return agent?.budget.usdPerDay !== undefined ? agent.budget.usdPerDay * days : null;
}
