import type { Ledger } from '../ledger/index.js';

/** Days the rolling accuracy looks back. */
export const ROLLING_DAYS = 14;
/** Evaluated cases an agent needs in the window before its accuracy counts. */
export const MIN_CASES = 50;

/** Rolling accuracy of one agent, or of one tier's eligible agents together. */
export interface Rolling {
  key: string;
  cases: number;
  passed: number;
  /** passed / cases; null when there are too few cases to say. */
  accuracy: number | null;
  meanLatencyMs: number | null;
  /** Whether it has the {@link MIN_CASES} cases that make its accuracy count. */
  eligible: boolean;
}

/** One suite run of an agent, for its accuracy over time. */
export interface DriftPoint {
  evalRunId: string;
  ts: string;
  suite: string;
  accuracy: number;
  passed: number;
  total: number;
  minAccuracy: number | null;
}

/**
 * Accuracy over the last {@link ROLLING_DAYS} days per agent and per tier: an agent counts
 * once it has {@link MIN_CASES} evaluated cases in the window; a tier sums its agents that count.
 */
export function rollingAccuracy(ledger: Ledger, now: Date): { agents: Rolling[]; tiers: Rolling[] } {
  const from = new Date(now.getTime() - ROLLING_DAYS * 86_400_000).toISOString();
  const rows = ledger.facts.evalCases({ from });
  const agents = rows.map((r) => rolling(r.agentId, r.cases, r.passed, r.meanLatencyMs));
  // A tier sums its agents that count; a tier with none shows its cases so far, not counting.
  const tiers = new Map<string, { cases: number; passed: number; latencySum: number; waiting: number }>();
  rows.forEach((r, i) => {
    const t = tiers.get(r.tier) ?? { cases: 0, passed: 0, latencySum: 0, waiting: 0 };
    if (agents[i]!.eligible) {
      t.cases += r.cases;
      t.passed += r.passed;
      t.latencySum += r.meanLatencyMs * r.cases;
    } else t.waiting += r.cases;
    tiers.set(r.tier, t);
  });
  return {
    agents,
    tiers: [...tiers].map(([tier, t]) =>
      t.cases > 0
        ? rolling(tier, t.cases, t.passed, t.latencySum / t.cases)
        : { key: tier, cases: t.waiting, passed: 0, accuracy: null, meanLatencyMs: null, eligible: false },
    ),
  };
}

function rolling(key: string, cases: number, passed: number, meanLatencyMs: number): Rolling {
  const eligible = cases >= MIN_CASES;
  return {
    key,
    cases,
    passed,
    accuracy: eligible ? passed / cases : null,
    meanLatencyMs: eligible ? meanLatencyMs : null,
    eligible,
  };
}

/** An agent's suite runs, oldest first (the last `limit`): accuracy per suite run over time. */
export function drift(ledger: Ledger, agentId: string, limit = 50): DriftPoint[] {
  return ledger.reader
    .page({ agentId, type: 'eval.run', order: 'desc', limit })
    .events.reverse()
    .map((e) => {
      const p = e.payload;
      return {
        evalRunId: p.evalRunId,
        ts: e.ts,
        suite: p.suite,
        accuracy: p.accuracy,
        passed: p.passed,
        total: p.total,
        minAccuracy: p.minAccuracy ?? null,
      };
    });
}
