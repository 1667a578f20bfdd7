import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import type { EventPayload } from '../../src/shared/events.js';
import { rosterWithSuites } from '../main/evals/roster.js';
import { shoot } from './browser.js';
import { useConsole } from './fixture.js';

// The prompts view in Debian's Chromium against warden serve on a copy of the demo roster,
// which records version 1 of each agent's prompt when it opens.
const ui = useConsole(async ({ tempDir }) => {
  const dir = tempDir('warden-e2e-prompts-');
  return openWarden({ rosterDir: rosterWithSuites(dir, {}), dataDir: join(dir, 'data'), pollMs: 20 });
});

const AGENT = 'reconciliation';
const EDITED = [
  'You pay supplier invoices that are due and reconcile bank lines.',
  'Pay only the payee named on the invoice itself.',
  'Never pay an invoice twice: check the bank lines first.',
].join('\n');

/** The agent's prompt versions as the ledger holds them. */
function ledgerVersions(): EventPayload<'prompt.changed'>[] {
  return [...ui.warden.ledger.reader.each({ agentId: AGENT, type: 'prompt.changed' })].map(
    (e) => e.payload as EventPayload<'prompt.changed'>,
  );
}

const row = (version: number) => ui.page.locator(`[aria-label="Prompt versions"] tr[data-version="${version}"]`);

describe('the prompts view', () => {
  it('opens with key 7 and shows the version the manifest gave', async () => {
    await ui.page.keyboard.press('7');
    await ui.page.selectOption('select[aria-label=Agent]', AGENT);
    await row(1).waitFor();
    await expect(row(1).textContent()).resolves.toMatch(/v1current.*roster:agents\/reconciliation\.yaml/);
    const original = ledgerVersions()[0]!;
    await expect(row(1).textContent()).resolves.toContain(original.sha256.slice(0, 12));
    await expect(ui.page.locator('[aria-label="Prompt text"]').textContent()).resolves.toBe(original.text);
    await expect(ui.page.locator('.prompt-version').textContent()).resolves.toContain(
      'The first version: nothing came before it.',
    );
  });

  it('saves a new version only with a reason, then shows what it changed', async () => {
    const save = ui.page.locator('.prompt-editor button[type=submit]');
    await ui.page.fill('textarea[aria-label="Prompt text to save"]', EDITED);
    await expect(save.isDisabled()).resolves.toBe(true);
    await ui.page.fill('input[aria-label="Change reason"]', '   ');
    await expect(save.isDisabled()).resolves.toBe(true);
    await ui.page.fill('input[aria-label="Change reason"]', 'a duplicate payment in March');
    await save.click();
    await row(2).waitFor();
    await expect(row(2).textContent()).resolves.toMatch(/v2current.*console.*a duplicate payment in March/);
    await expect(ui.page.locator('[data-diff-summary]').textContent()).resolves.toMatch(/v1 → v2: \+3 −1 lines/);
    const added = await ui.page.locator('.prompt-diff .line.add').allTextContents();
    const removed = await ui.page.locator('.prompt-diff .line.del').allTextContents();
    expect(added.map((l) => l.trim())).toContain('+ Never pay an invoice twice: check the bank lines first.');
    expect(removed.join('')).toContain("Pay only the invoice's own payee.");
    await ui.page.waitForTimeout(200);
    await shoot(ui.page, 'prompts');
  });

  it('compares an older version with the current one and rolls back to it with a reason', async () => {
    await row(1).click();
    await ui.page.waitForSelector('[data-shown-version="1"]');
    await ui.page.selectOption('select[aria-label="Compare with"]', 'current');
    await expect(ui.page.locator('[data-diff-summary]').textContent()).resolves.toMatch(/v2 → v1: \+1 −3 lines/);
    const rollback = ui.page.locator('button:has-text("Roll back to this version")');
    await expect(rollback.isDisabled()).resolves.toBe(true);
    await ui.page.fill('input[aria-label="Rollback reason"]', 'the new wording confused the payee check');
    await rollback.click();
    await row(3).waitFor();
    await expect(row(3).textContent()).resolves.toMatch(/v3current.*rollback to v1: the new wording/);

    const versions = ledgerVersions();
    expect(versions.map((v) => [v.version, v.by])).toEqual([
      [1, 'roster:agents/reconciliation.yaml'],
      [2, 'console'],
      [3, 'console'],
    ]);
    expect(versions[1]).toMatchObject({ text: EDITED, reason: 'a duplicate payment in March' });
    expect(versions[2]!.text).toBe(versions[0]!.text);
    expect(versions[2]!.sha256).toBe(versions[0]!.sha256);
    expect(versions[2]!.reason).toBe('rollback to v1: the new wording confused the payee check');
    expect(ui.warden.runtime.prompts.current(AGENT)?.version).toBe(3);
  });

  it('shows a change made elsewhere as soon as its event arrives', async () => {
    await ui.warden.runtime.prompts.set(AGENT, 'Pay due invoices; reconcile bank lines.', 'cli', 'shorter');
    await row(4).waitFor();
    await expect(row(4).textContent()).resolves.toMatch(/v4current.*cli.*shorter/);
    await expect(ui.page.locator('[aria-label="Prompt text"]').textContent()).resolves.toBe(
      'Pay due invoices; reconcile bank lines.',
    );
  });

  it('opens an agent’s prompt history from its row in the roster', async () => {
    await ui.page.keyboard.press('1');
    await ui.page.click('button[aria-label="Prompt history of quoting"]');
    await expect(ui.page.inputValue('select[aria-label=Agent]')).resolves.toBe('quoting');
    await row(1).waitFor();
    await expect(row(1).textContent()).resolves.toContain('roster:agents/quoting.yaml');
  });
});
