import type { AgentEvalView, CaseView, SuiteRunView } from '../../shared/api.js';
import { WardenError } from '../../shared/errors.js';
import type { EventOf } from '../../shared/events.js';
import type { GroupBy, Page } from '../ledger/index.js';
import { MIN_CASES, ROLLING_DAYS, drift, rollingAccuracy } from '../evals/accuracy.js';
import { runSuite, suiteName, type SuiteResult } from '../evals/runner.js';
import { kpiReport, type KpiReport } from '../kpis/kpis.js';
import type { Warden } from './warden.js';

/**
 * What the console and the CLI ask about how agents perform: eval standings, graded cases,
 * suite runs started on request, and KPI reports. Read from the ledger; suites run here.
 */
export class Insights {
  private readonly suites = new Map<string, Promise<SuiteResult>>();
  private readonly closing = new AbortController();

  constructor(private readonly warden: Warden) {}

  /** Every agent's eval standing, and the rolling accuracy of each tier. */
  overview(now = new Date()): {
    agents: AgentEvalView[];
    tiers: ReturnType<typeof rollingAccuracy>['tiers'];
    window: { days: number; minCases: number };
  } {
    const { roster, runtime, ledger } = this.warden;
    const rolling = rollingAccuracy(ledger, now);
    const agents = roster.agents.map((agent): AgentEvalView => {
      const trend: SuiteRunView[] = drift(ledger, agent.id);
      const hold = runtime.hold(agent.id);
      const suspended =
        hold === 'suspended'
          ? ledger.reader.page({ agentId: agent.id, type: 'agent.suspended', order: 'desc', limit: 1 }).events[0]
          : undefined;
      const suspension = suspended
        ? {
            reason: suspended.payload.reason,
            evalRunId: suspended.payload.evalRunId ?? null,
            ts: suspended.ts,
          }
        : null;
      return {
        agentId: agent.id,
        name: agent.name ?? agent.id,
        tier: agent.tier,
        suite: suiteName(agent),
        cases: roster.evals.get(agent.id)?.length ?? 0,
        minAccuracy: agent.eval.minAccuracy,
        hold,
        suspension,
        last: trend[trend.length - 1] ?? null,
        trend,
        rolling: rolling.agents.find((r) => r.key === agent.id) ?? {
          key: agent.id,
          cases: 0,
          passed: 0,
          accuracy: null,
          meanLatencyMs: null,
          eligible: false,
        },
        running: this.suites.has(agent.id),
      };
    });
    return { agents, tiers: rolling.tiers, window: { days: ROLLING_DAYS, minCases: MIN_CASES } };
  }

  /** The graded cases of one suite run (only the failed ones, by default), in case order. */
  cases(agentId: string, evalRunId: string, failedOnly = true): CaseView[] {
    const reader = this.warden.ledger.reader;
    let summary: EventOf<'eval.run'> | undefined;
    for (const e of reader.each({ agentId, type: 'eval.run' })) {
      if (e.payload.evalRunId !== evalRunId) continue;
      summary = e;
      break;
    }
    if (!summary) throw new WardenError('E_USAGE', `no suite run ${evalRunId} of ${agentId}`);
    const total = summary.payload.total;
    // A suite's cases come before its summary; read back from there until all are found.
    const found: CaseView[] = [];
    let seen = 0;
    for (let before: number | null = summary.seq; before !== null && seen < total;) {
      const page: Page<EventOf<'eval.case'>> = reader.page({
        agentId,
        type: 'eval.case',
        order: 'desc',
        beforeSeq: before,
        limit: 500,
      });
      for (const e of page.events) {
        const p = e.payload;
        if (p.evalRunId !== evalRunId) continue;
        seen += 1;
        if (failedOnly && p.passed) continue;
        found.push({
          seq: e.seq,
          caseId: p.caseId,
          runId: p.runId,
          grader: p.grader,
          passed: p.passed,
          output: p.output,
          expected: p.expected,
          diff: p.diff,
          error: p.error ?? null,
          latencyMs: p.latencyMs,
          costUsd: p.costUsd,
        });
      }
      before = page.nextKey;
    }
    return found.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Starts the suite of one agent, or of every agent that has one and can run, in the
   * background (one at a time per agent); returns the agents whose suites started.
   */
  startSuites(agentId: string | undefined, by: string): string[] {
    const agents = agentId ? [this.agent(agentId)] : this.warden.roster.agents;
    const started: string[] = [];
    for (const agent of agents) {
      const cases = this.warden.roster.evals.get(agent.id) ?? [];
      if (cases.length === 0) {
        if (agentId) throw new WardenError('E_USAGE', `${agent.id} has no eval suite (evals/${agent.id}.jsonl)`);
        continue;
      }
      if (this.suites.has(agent.id)) continue;
      // An agent waiting for its provider's key is skipped, or refused when asked for by name.
      const unready = this.warden.runtime.modelProblem(agent.id);
      if (unready) {
        if (agentId) throw new WardenError('E_MODEL', `the eval suite cannot run: ${unready}`);
        continue;
      }
      const suite = runSuite(this.warden.runtime, this.warden.ledger, agent, cases, {
        by,
        signal: this.closing.signal,
      }).finally(() => this.suites.delete(agent.id));
      suite.catch(() => undefined);
      this.suites.set(agent.id, suite);
      started.push(agent.id);
    }
    return started;
  }

  /** Waits for the suites under way. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.suites.values()]);
  }

  /** Stops the suites under way without recording partial results (the process is closing). */
  close(): void {
    this.closing.abort();
  }

  /** KPIs over a period, with the roster's budgets and its business units' names. */
  kpis(from: string, to: string, by: GroupBy): KpiReport & { unitNames: Record<string, string> } {
    const { roster } = this.warden;
    return {
      ...kpiReport(this.warden.ledger, { from, to, by }, roster.agents),
      unitNames: Object.fromEntries(roster.config.businessUnits.map((u) => [u.id, u.name])),
    };
  }

  private agent(agentId: string) {
    const agent = this.warden.roster.agents.find((a) => a.id === agentId);
    if (!agent) throw new WardenError('E_AGENT_UNKNOWN', `no agent "${agentId}" in the roster`);
    return agent;
  }
}
