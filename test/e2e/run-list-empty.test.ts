import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import { ROOT } from '../main/cli/helpers.js';
import { useConsole } from './fixture.js';

// A ledger with no run at all: the one place the run list may say "No runs yet".
const ui = useConsole(async ({ tempDir }) =>
  openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: tempDir('warden-e2e-empty-'), pollMs: 20 }),
);

describe('the Live view run list on a ledger without runs', () => {
  it('says there are no runs yet, with a filter on or off, and shows the first run that starts', async () => {
    await ui.page.click('nav >> text=Live');
    await ui.page.waitForSelector('.runs >> text=No runs yet: start a task from the roster.');
    // A filter on an empty ledger: still no runs at all, not "no match".
    await ui.page.selectOption('select[aria-label=status]', 'error');
    await ui.page.waitForSelector('.runs >> text=No runs yet: start a task from the roster.');
    expect(await ui.page.locator('.runs >> text=No runs match').count()).toBe(0);
    await ui.page.selectOption('select[aria-label=status]', '');
    await ui.warden.ledger.append({
      type: 'run.started',
      runId: 'run-first',
      agentId: 'intake',
      payload: { input: { document: 'inv-1.pdf' }, hop: 0, tier: 'ingestion' },
    });
    await ui.page.waitForSelector('[data-run="run-first"] >> text=running');
    expect(await ui.page.locator('.runs >> text=No runs yet').count()).toBe(0);
  });
});
