import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../helpers/demo.js';
import { ROOT } from '../main/cli/helpers.js';
import { shoot as saveShot } from './browser.js';
import { useConsole } from './fixture.js';

// The real console in Debian's Chromium against warden serve on a copy of the demo's data
// (the tests decide its approval and start tasks, so they may not touch the shared one).
async function shoot(name: string): Promise<void> {
  await saveShot(ui.page, name);
}

// Waiting for the session's demo ledger has a bound of its own: another file may be building it.
beforeAll(() => sharedDemo(), DEMO_BUILD_MS);
const ui = useConsole(async ({ tempDir }) =>
  openWarden({
    rosterDir: join(ROOT, 'resources/demo'),
    dataDir: await demoCopy(tempDir('warden-e2e-')),
    pollMs: 20,
    workers: 2,
  }),
);

async function view(name: 'Roster' | 'Live' | 'Approvals' | 'Ledger', shot?: string) {
  await ui.page.click(`nav >> text=${name}`);
  if (shot) {
    await ui.page.waitForTimeout(300);
    await shoot(shot);
  }
}

async function startTask(agentId: string, input: unknown) {
  await view('Roster');
  await ui.page.selectOption('select', agentId);
  await ui.page.fill('input[aria-label="Task input (JSON)"]', JSON.stringify(input));
  await ui.page.click('button[type=submit]');
}

describe('the console in a browser', () => {
  it('shows the roster with every agent and the approval badge, under the organisation’s name', async () => {
    await view('Roster', 'roster');
    await ui.page.locator('nav .brand .organisation').waitFor();
    await expect(ui.page.locator('nav .brand').textContent()).resolves.toBe('Warden · Acme Supplies');
    for (const id of ['coordinator', 'intake', 'quoting', 'reconciliation'])
      await expect(ui.page.locator(`[data-agent=${id}]`).count()).resolves.toBe(1);
    await expect(ui.page.locator('nav .badge').textContent()).resolves.toBe('1');
  });

  it('raises the demo suite’s suspension of intake as an alert that leads to the Evals view', async () => {
    const alert = ui.page.locator('[data-alert="suspension"]');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(
      /Agent suspended.*intake suspended: eval suite intake scored 90\.0%/,
    );
    await alert.locator('button:has-text("open evals")').click();
    await ui.page.waitForSelector('[data-eval-agent="intake"]');
    await alert.locator('button:has-text("dismiss")').click();
    // The demo's hop-limit circuit alert stays until it is dismissed too.
    await expect(ui.page.locator('[data-alert="suspension"]').count()).resolves.toBe(0);
    await expect(ui.page.locator('[data-alert="circuit"]').count()).resolves.toBe(1);
  });

  it('approves the $4,200 payment; the run finishes and the decision is in the ledger', async () => {
    await view('Approvals', 'approvals');
    const card = ui.page.locator('[data-approval]').first();
    await expect(card.textContent()).resolves.toContain('$4,200.00');
    const approvalId = await card.getAttribute('data-approval');
    await card.locator('button:has-text("Approve")').click();
    await ui.page.waitForSelector('text=Nothing is waiting for a decision.');
    const runId = ui.warden.approvals.get(approvalId!)!.runId;
    for (let i = 0; i < 200 && ui.warden.ledger.reader.count({ runId, type: 'run.finished' }) === 0; i++)
      await ui.page.waitForTimeout(25);
    await view('Ledger');
    await ui.page.fill('input[aria-label="run id"]', runId);
    await ui.page.waitForSelector('.ledger-body >> text=approval.decided');
    await ui.page.waitForSelector('.ledger-body >> text=run.finished');
    await shoot('ledger');
  });

  it('rejects another payment with a reason', async () => {
    await startTask('reconciliation', {
      kind: 'pay-invoice',
      invoiceId: 'INV-1002',
      payee: 'contoso-logistics',
      amountUsd: 4200,
    });
    await ui.page.waitForSelector('nav .badge');
    await view('Approvals');
    const card = ui.page.locator('[data-approval]').first();
    await expect(card.locator('button:has-text("Reject")').isDisabled()).resolves.toBe(true);
    await card.locator('input').fill('paid twice last month');
    await card.locator('button:has-text("Reject")').click();
    await ui.page.waitForSelector('text=Nothing is waiting for a decision.');
    const decided = [...ui.warden.ledger.reader.each({ type: 'approval.decided' })].map(
      (e) => e.payload as { decision: string; reason?: string; by: string },
    );
    expect(decided.at(-1)).toMatchObject({ decision: 'rejected', reason: 'paid twice last month', by: 'console' });
  });

  it('opens the trajectory of a run with a handoff and follows it to the child run', async () => {
    await startTask('coordinator', { kind: 'bounce' });
    await view('Live');
    await ui.page.waitForSelector('[data-run]');
    await ui.page
      .locator('[data-run]')
      .filter({ hasText: 'coordinator' })
      .filter({ hasNotText: 'handoff' })
      .last()
      .click();
    await ui.page.waitForSelector('.trajectory >> text=open child run');
    await shoot('live');
    await ui.page.click('.trajectory >> text=open child run');
    await ui.page.waitForSelector('.trajectory >> text=started by handoff');
  });

  it('pauses an agent, which then starts nothing', async () => {
    await view('Roster');
    await ui.page.locator('[data-agent=quoting] button:has-text("Pause")').click();
    await ui.page.waitForSelector('[data-agent=quoting] >> text=paused');
    const before = ui.warden.ledger.reader.count({ agentId: 'quoting', type: 'run.started' });
    await startTask('quoting', { kind: 'quote', customer: 'Tailspin Toys', items: [] });
    await ui.page.waitForSelector('.notice.error >> text=paused');
    expect(ui.warden.ledger.reader.count({ agentId: 'quoting', type: 'run.started' })).toBe(before);
    await ui.page.locator('[data-agent=quoting] button:has-text("Resume")').click();
    await ui.page.waitForSelector('[data-agent=quoting] >> text=idle');
  });

  it('verifies the chain', async () => {
    await view('Ledger');
    await ui.page.fill('input[aria-label="run id"]', '');
    await ui.page.click('text=Verify chain');
    await ui.page.waitForSelector('.chain >> text=Chain intact');
  });
});
