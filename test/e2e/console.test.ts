import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleApi } from '../../src/main/host/api.js';
import { openWarden, type Warden } from '../../src/main/host/warden.js';
import type { ConsoleServer } from '../../src/main/server/server.js';
import { ROOT, spawnWarden, useTempDirs } from '../main/cli/helpers.js';
import { ensureRenderer, openConsole, shoot as saveShot, serveConsole, closeConsole } from './browser.js';

// The real console in Debian's Chromium against warden serve on the demo's data.
async function shoot(name: string): Promise<void> {
  await saveShot(page, name);
}

const temp = useTempDirs();
let warden: Warden;
let api: ConsoleApi;
let server: ConsoleServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ensureRenderer();
  const data = temp.make('warden-e2e-');
  expect((await spawnWarden(ROOT, ['demo', '--data-dir', data])).code).toBe(0);
  warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: data, pollMs: 20, workers: 2 });
  ({ api, server } = await serveConsole(warden));
  ({ browser, page } = await openConsole(server.url));
}, 60_000);

afterAll(async () => {
  await closeConsole({ browser, server, api, warden });
  temp.cleanup();
});

async function view(name: 'Roster' | 'Live' | 'Approvals' | 'Ledger', shot?: string) {
  await page.click(`nav >> text=${name}`);
  if (shot) {
    await page.waitForTimeout(300);
    await shoot(shot);
  }
}

async function startTask(agentId: string, input: unknown) {
  await view('Roster');
  await page.selectOption('select', agentId);
  await page.fill('input[aria-label="Task input (JSON)"]', JSON.stringify(input));
  await page.click('button[type=submit]');
}

describe('the console in a browser', () => {
  it('shows the roster with every agent and the approval badge', async () => {
    await view('Roster', 'roster');
    for (const id of ['coordinator', 'intake', 'quoting', 'reconciliation'])
      await expect(page.locator(`[data-agent=${id}]`).count()).resolves.toBe(1);
    await expect(page.locator('nav .badge').textContent()).resolves.toBe('1');
  });

  it('raises the demo suite’s suspension of intake as an alert that leads to the Evals view', async () => {
    const alert = page.locator('[data-alert="suspension"]');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(
      /Agent suspended.*intake suspended: eval suite intake scored 90\.0%/,
    );
    await alert.locator('button:has-text("open evals")').click();
    await page.waitForSelector('[data-eval-agent="intake"]');
    await alert.locator('button:has-text("dismiss")').click();
    // The demo's hop-limit circuit alert stays until it is dismissed too.
    await expect(page.locator('[data-alert="suspension"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-alert="circuit"]').count()).resolves.toBe(1);
  });

  it('approves the $4,200 payment; the run finishes and the decision is in the ledger', async () => {
    await view('Approvals', 'approvals');
    const card = page.locator('[data-approval]').first();
    await expect(card.textContent()).resolves.toContain('$4,200.00');
    const approvalId = await card.getAttribute('data-approval');
    await card.locator('button:has-text("Approve")').click();
    await page.waitForSelector('text=Nothing is waiting for a decision.');
    const runId = warden.approvals.get(approvalId!)!.runId;
    for (let i = 0; i < 200 && warden.ledger.reader.count({ runId, type: 'run.finished' }) === 0; i++)
      await page.waitForTimeout(25);
    await view('Ledger');
    await page.fill('input[placeholder=runId]', runId);
    await page.waitForSelector('.ledger-body >> text=approval.decided');
    await page.waitForSelector('.ledger-body >> text=run.finished');
    await shoot('ledger');
  });

  it('rejects another payment with a reason', async () => {
    await startTask('reconciliation', {
      kind: 'pay-invoice',
      invoiceId: 'INV-1002',
      payee: 'contoso-logistics',
      amountUsd: 4200,
    });
    await page.waitForSelector('nav .badge');
    await view('Approvals');
    const card = page.locator('[data-approval]').first();
    await expect(card.locator('button:has-text("Reject")').isDisabled()).resolves.toBe(true);
    await card.locator('input').fill('paid twice last month');
    await card.locator('button:has-text("Reject")').click();
    await page.waitForSelector('text=Nothing is waiting for a decision.');
    const decided = [...warden.ledger.reader.each({ type: 'approval.decided' })].map(
      (e) => e.payload as { decision: string; reason?: string; by: string },
    );
    expect(decided.at(-1)).toMatchObject({ decision: 'rejected', reason: 'paid twice last month', by: 'console' });
  });

  it('opens the trajectory of a run with a handoff and follows it to the child run', async () => {
    await startTask('coordinator', { kind: 'bounce' });
    await view('Live');
    await page.waitForSelector('[data-run]');
    await page
      .locator('[data-run]')
      .filter({ hasText: 'coordinator' })
      .filter({ hasNotText: 'handoff' })
      .last()
      .click();
    await page.waitForSelector('.trajectory >> text=open child run');
    await shoot('live');
    await page.click('.trajectory >> text=open child run');
    await page.waitForSelector('.trajectory >> text=started by handoff');
  });

  it('pauses an agent, which then starts nothing', async () => {
    await view('Roster');
    await page.locator('[data-agent=quoting] button:has-text("Pause")').click();
    await page.waitForSelector('[data-agent=quoting] >> text=paused');
    const before = warden.ledger.reader.count({ agentId: 'quoting', type: 'run.started' });
    await startTask('quoting', { kind: 'quote', customer: 'Tailspin Toys', items: [] });
    await page.waitForSelector('.notice.error >> text=paused');
    expect(warden.ledger.reader.count({ agentId: 'quoting', type: 'run.started' })).toBe(before);
    await page.locator('[data-agent=quoting] button:has-text("Resume")').click();
    await page.waitForSelector('[data-agent=quoting] >> text=idle');
  });

  it('verifies the chain', async () => {
    await view('Ledger');
    await page.fill('input[placeholder=runId]', '');
    await page.click('text=Verify chain');
    await page.waitForSelector('.chain >> text=Chain intact');
  });
});
