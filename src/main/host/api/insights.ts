import type { Handlers, HostParts } from './methods.js';

/** Evals and KPIs: each agent's standing, a suite run's cases, starting suites, the KPI report. */
export function insightHandlers({
  insights,
}: HostParts): Pick<Handlers, 'evals.overview' | 'evals.cases' | 'evals.run' | 'kpis.report'> {
  return {
    'evals.overview': () => insights.overview(),
    'evals.cases': ({ agentId, evalRunId, failedOnly }) => insights.cases(agentId, evalRunId, failedOnly),
    'evals.run': ({ agentId }, by) => ({ started: insights.startSuites(agentId, by) }),
    'kpis.report': ({ from, to, by }) => insights.kpis(from, to, by),
  };
}
