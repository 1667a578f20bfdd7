import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import type { AgentView } from '../../src/shared/api.js';
import { usd } from '../../src/shared/money.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../helpers/demo.js';
import { ROOT } from '../main/cli/helpers.js';
import { useConsole } from './fixture.js';

// The Roster view on a copy of the demo's data: its runs hit caps, failed, and one waits for a person.
beforeAll(() => sharedDemo(), DEMO_BUILD_MS);
const ui = useConsole(async ({ tempDir }) =>
  openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: await demoCopy(tempDir('warden-e2e-roster-')) }),
);

const cell = (agentId: string, what: string) => ui.page.locator(`[data-agent="${agentId}"] ${what}`);

describe("the roster's health in a browser", () => {
  it('says which agent waits for a person, which hit a cap, and what each spent today', async () => {
    await ui.page.click('nav >> text=Roster');
    await cell('reconciliation', '[data-status=waiting]').waitFor();
    await expect(cell('reconciliation', '[data-status]').textContent()).resolves.toBe('waiting for approval');
    await expect(cell('legacy-importer', '[data-last-run=limit] .status').textContent()).resolves.toBe(
      'hit its cpu cap',
    );
    await expect(cell('archive-indexer', '[data-last-run=limit] .status').textContent()).resolves.toBe(
      'hit its memory cap',
    );
    // Each agent's spend today is the figure its budget counts.
    const agents = (await ui.api.call('roster.list', {}, 'console')) as AgentView[];
    for (const agent of agents) {
      const spent = ui.warden.runtime.spentToday(agent.id).usd;
      await expect(cell(agent.id, '[data-spend-today]').textContent()).resolves.toContain(usd(spent));
    }

    // Once a person decides, the agent is no longer waiting.
    const [pending] = (await ui.api.call('approvals.list', { state: 'pending' }, 'console')) as {
      approvalId: string;
    }[];
    await ui.api.call(
      'approvals.decide',
      { approvalId: pending!.approvalId, decision: 'rejected', reason: 'no' },
      'console',
    );
    await cell('reconciliation', '[data-status=idle]').waitFor();
    expect(await ui.page.locator('[data-status=waiting]').count()).toBe(0);
  });
});
