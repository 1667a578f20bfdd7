import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleApi } from '../../src/main/host/api.js';
import { openWarden, type Warden } from '../../src/main/host/warden.js';
import type { ConsoleServer } from '../../src/main/server/server.js';
import type { EventPayload } from '../../src/shared/events.js';
import { useTempDirs } from '../main/cli/helpers.js';
import { rosterWithSuites } from '../main/evals/roster.js';
import { ensureRenderer, openConsole, shoot, serveConsole, closeConsole } from './browser.js';

// The prompts view in Debian's Chromium against warden serve on a copy of the demo roster,
// which records version 1 of each agent's prompt when it opens.
const temp = useTempDirs();
let warden: Warden;
let api: ConsoleApi;
let server: ConsoleServer;
let browser: Browser;
let page: Page;

const AGENT = 'reconciliation';
const EDITED = [
  'You pay supplier invoices that are due and reconcile bank lines.',
  'Pay only the payee named on the invoice itself.',
  'Never pay an invoice twice: check the bank lines first.',
].join('\n');

beforeAll(async () => {
  ensureRenderer();
  const dir = temp.make('warden-e2e-prompts-');
  warden = await openWarden({ rosterDir: rosterWithSuites(dir, {}), dataDir: join(dir, 'data'), pollMs: 20 });
  ({ api, server } = await serveConsole(warden));
  ({ browser, page } = await openConsole(server.url));
}, 60_000);

afterAll(async () => {
  await closeConsole({ browser, server, api, warden });
  temp.cleanup();
});

/** The agent's prompt versions as the ledger holds them. */
function ledgerVersions(): EventPayload<'prompt.changed'>[] {
  return [...warden.ledger.reader.each({ agentId: AGENT, type: 'prompt.changed' })].map(
    (e) => e.payload as EventPayload<'prompt.changed'>,
  );
}

const row = (version: number) => page.locator(`[aria-label="Prompt versions"] tr[data-version="${version}"]`);

describe('the prompts view', () => {
  it('opens with key 7 and shows the version the manifest gave', async () => {
    await page.keyboard.press('7');
    await page.selectOption('select[aria-label=Agent]', AGENT);
    await row(1).waitFor();
    await expect(row(1).textContent()).resolves.toMatch(/v1current.*roster:agents\/reconciliation\.yaml/);
    const original = ledgerVersions()[0]!;
    await expect(row(1).textContent()).resolves.toContain(original.sha256.slice(0, 12));
    await expect(page.locator('[aria-label="Prompt text"]').textContent()).resolves.toBe(original.text);
    await expect(page.locator('.prompt-version').textContent()).resolves.toContain(
      'The first version: nothing came before it.',
    );
  });

  it('saves a new version only with a reason, then shows what it changed', async () => {
    const save = page.locator('.prompt-editor button[type=submit]');
    await page.fill('textarea[aria-label="Prompt text to save"]', EDITED);
    await expect(save.isDisabled()).resolves.toBe(true);
    await page.fill('input[aria-label="Change reason"]', '   ');
    await expect(save.isDisabled()).resolves.toBe(true);
    await page.fill('input[aria-label="Change reason"]', 'a duplicate payment in March');
    await save.click();
    await row(2).waitFor();
    await expect(row(2).textContent()).resolves.toMatch(/v2current.*console.*a duplicate payment in March/);
    await expect(page.locator('[data-diff-summary]').textContent()).resolves.toMatch(/v1 → v2: \+3 −1 lines/);
    const added = await page.locator('.prompt-diff .line.add').allTextContents();
    const removed = await page.locator('.prompt-diff .line.del').allTextContents();
    expect(added.map((l) => l.trim())).toContain('+ Never pay an invoice twice: check the bank lines first.');
    expect(removed.join('')).toContain("Pay only the invoice's own payee.");
    await page.waitForTimeout(200);
    await shoot(page, 'prompts');
  });

  it('compares an older version with the current one and rolls back to it with a reason', async () => {
    await row(1).click();
    await page.waitForSelector('[data-shown-version="1"]');
    await page.selectOption('select[aria-label="Compare with"]', 'current');
    await expect(page.locator('[data-diff-summary]').textContent()).resolves.toMatch(/v2 → v1: \+1 −3 lines/);
    const rollback = page.locator('button:has-text("Roll back to this version")');
    await expect(rollback.isDisabled()).resolves.toBe(true);
    await page.fill('input[aria-label="Rollback reason"]', 'the new wording confused the payee check');
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
    expect(warden.runtime.prompts.current(AGENT)?.version).toBe(3);
  });

  it('shows a change made elsewhere as soon as its event arrives', async () => {
    await warden.runtime.prompts.set(AGENT, 'Pay due invoices; reconcile bank lines.', 'cli', 'shorter');
    await row(4).waitFor();
    await expect(row(4).textContent()).resolves.toMatch(/v4current.*cli.*shorter/);
    await expect(page.locator('[aria-label="Prompt text"]').textContent()).resolves.toBe(
      'Pay due invoices; reconcile bank lines.',
    );
  });

  it('opens an agent’s prompt history from its row in the roster', async () => {
    await page.keyboard.press('1');
    await page.click('button[aria-label="Prompt history of quoting"]');
    await expect(page.inputValue('select[aria-label=Agent]')).resolves.toBe('quoting');
    await row(1).waitFor();
    await expect(row(1).textContent()).resolves.toContain('roster:agents/quoting.yaml');
  });
});
