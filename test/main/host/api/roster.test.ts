import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleApi } from '../../../../src/main/host/api/index.js';
import { openWarden } from '../../../../src/main/host/warden.js';
import { Ledger } from '../../../../src/main/ledger/index.js';
import type { AgentView, KpiReportView } from '../../../../src/shared/api.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../../../helpers/demo.js';
import { useTempDirs } from '../../cli/helpers.js';

const temp = useTempDirs();
afterAll(() => temp.cleanup());

beforeAll(() => sharedDemo(), DEMO_BUILD_MS);

/** The roster as the console gets it, by agent. */
async function roster(api: ReturnType<typeof consoleApi>): Promise<Map<string, AgentView>> {
  const agents = (await api.call('roster.list', {}, 'console')) as AgentView[];
  return new Map(agents.map((a) => [a.id, a]));
}

describe("the roster's health", () => {
  it('says how each agent’s last run ended: a cap it hit, a failure, or a run waiting for a person', async () => {
    const data = await demoCopy(temp.make('warden-roster-'));
    const warden = await openWarden({ rosterDir: 'resources/demo', dataDir: data });
    const api = consoleApi(warden);
    try {
      const agents = await roster(api);
      expect(agents.get('legacy-importer')!.lastRun).toMatchObject({ state: 'limit', cap: 'cpu' });
      expect(agents.get('archive-indexer')!.lastRun).toMatchObject({ state: 'limit', cap: 'memory' });
      // The demo's mid-size payment waits for a person: the agent says so, not "running".
      const reconciliation = agents.get('reconciliation')!;
      expect(reconciliation.status).toBe('waiting');
      const [pending] = (await api.call('approvals.list', { state: 'pending' }, 'console')) as { approvalId: string }[];
      const runs = [...warden.ledger.reader.each({ agentId: 'reconciliation', type: 'run.started' })];
      const last = runs.filter((e) => !e.payload.eval).at(-1)!;
      expect(reconciliation.lastRun!.runId).toBe(last.runId);
      // Each last run is what the run list says of that run.
      for (const agent of agents.values()) {
        if (!agent.lastRun) continue;
        const page = (await api.call('runs.page', { agentId: agent.id, eval: false, limit: 1 }, 'console')) as {
          runs: { runId: string; status: string }[];
        };
        expect(page.runs[0], agent.id).toMatchObject({ runId: agent.lastRun.runId, status: agent.lastRun.state });
      }

      // Rejecting the waiting call ends its run: the agent is no longer waiting.
      await api.call(
        'approvals.decide',
        { approvalId: pending!.approvalId, decision: 'rejected', reason: 'no' },
        'console',
      );
      expect((await roster(api)).get('reconciliation')!.status).toBe('idle');
    } finally {
      api.close();
      await warden.close();
    }
  });

  it('shows the spend of today that budgets count and KPIs add up, eval runs apart, whichever process spent it', async () => {
    const data = await demoCopy(temp.make('warden-roster-'));
    const warden = await openWarden({ rosterDir: 'resources/demo', dataDir: data });
    const api = consoleApi(warden);
    try {
      const agentId = 'quoting';
      const day = warden.runtime.spentToday(agentId).day;
      const before = (await roster(api)).get(agentId)!;
      // Another process (a `warden run` beside the console) spends: a work run and an eval run.
      const other = Ledger.open(data, { mode: 'existing' });
      const call = (runId: string, costUsd: number) => ({
        type: 'model.called' as const,
        runId,
        agentId,
        payload: { provider: 'scripted', model: 'demo', inputTokens: 10, outputTokens: 5, costUsd, latencyMs: 1 },
      });
      await other.appendMany([
        { type: 'run.started', runId: 'run-elsewhere', agentId, payload: { input: 'quote', hop: 0, tier: 'sales' } },
        call('run-elsewhere', 0.25),
        {
          type: 'run.started',
          runId: 'run-eval-elsewhere',
          agentId,
          payload: { input: 'case', hop: 0, tier: 'sales', eval: { evalRunId: 'ev-1', caseId: 'c1' } },
        },
        call('run-eval-elsewhere', 4),
      ]);
      other.close();

      const after = (await roster(api)).get(agentId)!;
      expect(after.spentTodayUsd).toBeCloseTo(before.spentTodayUsd + 0.25, 10);
      expect(after.runsToday).toBe(before.runsToday + 1);
      // The budget check reads the same figure.
      expect(warden.runtime.spentToday(agentId).usd).toBeCloseTo(after.spentTodayUsd, 10);
      // And KPIs over today put the work's spend against the budget, the eval run's apart.
      const report = (await api.call(
        'kpis.report',
        { from: `${day}T00:00:00.000Z`, to: new Date(Date.parse(day) + 86_400_000).toISOString(), by: 'agent' },
        'console',
      )) as KpiReportView;
      const line = report.spend.agents.find((l) => l.key === agentId)!;
      expect(line.costUsd).toBeCloseTo(after.spentTodayUsd, 10);
      expect(line.evalCostUsd).toBeGreaterThanOrEqual(4);
    } finally {
      api.close();
      await warden.close();
    }
  });
});
