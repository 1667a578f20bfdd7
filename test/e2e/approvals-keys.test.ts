import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../helpers/demo.js';
import { ROOT } from '../main/cli/helpers.js';
import { shoot } from './browser.js';
import { useConsole } from './fixture.js';

// The Approvals view by keyboard, in Chromium, on a copy of the demo's data: its $4,200 payment
// waits for a person, and the tests ask for two more.
beforeAll(() => sharedDemo(), DEMO_BUILD_MS);
const ui = useConsole(async ({ tempDir }) =>
  openWarden({
    rosterDir: join(ROOT, 'resources/demo'),
    dataDir: await demoCopy(tempDir('warden-e2e-approvals-')),
    pollMs: 20,
    workers: 2,
  }),
);

const cards = () => ui.page.locator('[data-approval]');
const focusedCard = () => ui.page.locator('[data-approval].focused');

/** The decisions recorded for an approval. */
function decisions(approvalId: string): { decision: string; reason?: string; by: string }[] {
  return [...ui.warden.ledger.reader.each({ type: 'approval.decided' })]
    .map((e) => e.payload as { approvalId: string; decision: string; reason?: string; by: string })
    .filter((p) => p.approvalId === approvalId);
}

/** Starts a payment that waits for a person, and returns its approval's id once the queue holds it. */
async function payment(invoiceId: string, amountUsd: number): Promise<string> {
  const before = new Set(ui.warden.approvals.pending().map((a) => a.approvalId));
  await ui.warden.runtime.start('reconciliation', {
    kind: 'pay-invoice',
    invoiceId,
    payee: 'contoso-logistics',
    amountUsd,
  });
  for (;;) {
    const fresh = ui.warden.approvals.pending().find((a) => !before.has(a.approvalId));
    if (fresh) return fresh.approvalId;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the Approvals view by keyboard', () => {
  it('shows each card with the run so far as a small trace', async () => {
    await ui.page.click('nav >> text=Approvals');
    const card = cards().first();
    await card.locator('.waterfall.compact .wf-row').nth(4).waitFor();
    const kinds = await card
      .locator('.waterfall.compact .wf-row')
      .evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.depth} ${(e as HTMLElement).dataset.kind}`));
    expect(kinds).toEqual(['0 run', '1 model', '1 tool', '2 policy', '2 approval']);
    await expect(card.locator('.wf-row[data-kind="approval"]').getAttribute('data-status')).resolves.toBe('waiting');
  });

  it('asks for a second keypress before approving more than the set amount, and Escape takes it back', async () => {
    const approvalId = (await focusedCard().getAttribute('data-approval'))!;
    await expect(focusedCard().locator('.amount').textContent()).resolves.toBe('$4,200.00');
    await ui.page.keyboard.press('a');
    await focusedCard().locator('.confirm-hint').waitFor();
    await expect(focusedCard().locator('button.confirm').textContent()).resolves.toBe('Confirm $4,200.00');
    expect(decisions(approvalId)).toEqual([]);
    await shoot(ui.page, 'approvals-confirm');
    await ui.page.keyboard.press('Escape');
    await focusedCard().locator('.confirm-hint').waitFor({ state: 'detached' });
    await ui.page.keyboard.press('a');
    await focusedCard().locator('.confirm-hint').waitFor();
    await ui.page.keyboard.press('a');
    await ui.page.locator(`[data-approval="${approvalId}"]`).waitFor({ state: 'detached' });
    expect(decisions(approvalId)).toMatchObject([{ decision: 'approved', by: 'console' }]);
  });

  it('approves a payment under the set amount at the first keypress', async () => {
    // The demo roster asks a person from $1,000, and confirms above $1,000: exactly $1,000 needs no second press.
    const approvalId = await payment('INV-2001', 1000);
    await ui.page.locator(`[data-approval="${approvalId}"].focused`).waitFor();
    await ui.page.keyboard.press('a');
    await ui.page.locator(`[data-approval="${approvalId}"]`).waitFor({ state: 'detached' });
    expect(decisions(approvalId)).toMatchObject([{ decision: 'approved' }]);
  });

  it('r goes to the reason without typing an r, and Enter rejects with it', async () => {
    const approvalId = await payment('INV-2002', 2500);
    const card = ui.page.locator(`[data-approval="${approvalId}"].focused`);
    await card.waitFor();
    await ui.page.keyboard.press('r');
    const reason = card.locator('input[aria-label="Reason to reject"]');
    await expect(reason.evaluate((input) => input === document.activeElement)).resolves.toBe(true);
    await expect(reason.inputValue()).resolves.toBe('');
    // Letters typed there are the reason's, not commands: "a" does not approve.
    await ui.page.keyboard.type('paid already');
    await expect(reason.inputValue()).resolves.toBe('paid already');
    expect(decisions(approvalId)).toEqual([]);
    await ui.page.keyboard.press('Enter');
    await card.waitFor({ state: 'detached' });
    expect(decisions(approvalId)).toMatchObject([{ decision: 'rejected', reason: 'paid already', by: 'console' }]);
  });
});
