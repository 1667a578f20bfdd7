import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Download, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InclusionProofSchema, type SignedCheckpoint } from '../../src/shared/audit.js';
import type { ConsoleApi } from '../../src/main/host/api.js';
import { openWarden, type Warden } from '../../src/main/host/warden.js';
import { proofProblem } from '../../src/main/ledger/checkpoint.js';
import type { ConsoleServer } from '../../src/main/server/server.js';
import { ROOT, spawnWarden, useTempDirs } from '../main/cli/helpers.js';
import { ensureRenderer, openConsole, shoot, serveConsole, closeConsole } from './browser.js';

// The Ledger view's audit side in Debian's Chromium, against warden serve on the demo's data:
// the latest signed checkpoint, an event's inclusion proof and its download, and reports.

const temp = useTempDirs();
let warden: Warden;
let api: ConsoleApi;
let server: ConsoleServer;
let browser: Browser;
let page: Page;

/** Waits until nothing has been appended for a while, so the console and the test see one checkpoint. */
async function quiet(): Promise<void> {
  let head = -1;
  for (let still = 0; still < 10;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = warden.ledger.reader.head()?.seq ?? 0;
    still = now === head ? still + 1 : 0;
    head = now;
  }
}

async function latestCheckpoint(): Promise<SignedCheckpoint> {
  return (await api.call('ledger.checkpoint', {}, 'test')) as SignedCheckpoint;
}

/** Clicks something that starts a download and returns it once the file is complete. */
async function download(selector: string): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  expect(await file.failure()).toBeNull();
  return { file, text: readFileSync((await file.path())!, 'utf8') };
}

async function filter(name: 'agentId' | 'runId' | 'type', value: string): Promise<void> {
  await page.fill(`input[placeholder=${name}]`, value);
}

beforeAll(async () => {
  ensureRenderer();
  const data = temp.make('warden-e2e-audit-');
  expect((await spawnWarden(ROOT, ['demo', '--data-dir', data])).code).toBe(0);
  warden = await openWarden({ rosterDir: join(ROOT, 'resources/demo'), dataDir: data, pollMs: 20, workers: 2 });
  ({ api, server } = await serveConsole(warden));
  await quiet();
  ({ browser, page } = await openConsole(server.url));
  await page.click('nav >> text=Ledger');
}, 60_000);

afterAll(async () => {
  await closeConsole({ browser, server, api, warden });
  temp.cleanup();
});

describe('the Ledger view’s checkpoint, proofs and reports', () => {
  it('shows the latest signed checkpoint as the API states it', async () => {
    const panel = page.locator('[data-checkpoint]');
    await panel.locator('[data-field=fingerprint]').waitFor();
    const checkpoint = await latestCheckpoint();
    expect(checkpoint.size).toBe(warden.ledger.reader.head()!.seq);
    await expect(panel.locator('[data-field=size]').textContent()).resolves.toBe(
      `${checkpoint.size.toLocaleString('en-US')} events`,
    );
    await expect(panel.locator('[data-field=root]').textContent()).resolves.toBe(checkpoint.rootHash);
    await expect(panel.locator('[data-field=fingerprint]').textContent()).resolves.toBe(checkpoint.keyFingerprint);
    await expect(panel.textContent()).resolves.toContain(checkpoint.origin);
  });

  it('signs a new checkpoint on request once events came after the latest', async () => {
    const before = await latestCheckpoint();
    await page.locator('nav >> text=Roster').click();
    await page.selectOption('select', 'quoting');
    const task = { kind: 'quote', customer: 'Fabrikam', items: [] };
    await page.fill('input[aria-label="Task input (JSON)"]', JSON.stringify(task));
    await page.click('button[type=submit]');
    await page.click('nav >> text=Ledger');
    await quiet();
    await page.waitForSelector('[data-checkpoint] >> text=not covered yet');
    await page.click('[data-checkpoint] >> text=Sign a new checkpoint');
    const size = warden.ledger.reader.head()!.seq;
    expect(size).toBeGreaterThan(before.size);
    await page.waitForSelector(`[data-checkpoint] [data-field=size] >> text="${size.toLocaleString('en-US')} events"`);
    const after = await latestCheckpoint();
    expect(after.size).toBe(size);
    await expect(page.locator('[data-checkpoint] [data-field=root]').textContent()).resolves.toBe(after.rootHash);
  });

  it('shows the proof of a selected event: its leaf index, its path and the checkpoint it leads to', async () => {
    // The run waiting for the demo's payment approval: a short list, as a person would narrow it.
    const [waiting] = (await api.call('approvals.list', {}, 'test')) as { runId: string }[];
    await filter('runId', waiting!.runId);
    const row = page.locator('.ledger-body [data-seq]', { hasText: 'approval.requested' }).first();
    await row.waitFor();
    const seq = Number(await row.getAttribute('data-seq'));
    await row.click();
    await expect(row.getAttribute('aria-pressed')).resolves.toBe('true');
    const panel = page.locator(`[data-proof="${seq}"]`);
    await panel.locator('[data-field=leaf]').waitFor();
    const proof = InclusionProofSchema.parse(await api.call('ledger.proof', { seq }, 'test'));
    expect(proof.path.length).toBeGreaterThan(0);
    await expect(panel.locator('[data-field=leaf]').textContent()).resolves.toBe(String(seq - 1));
    await expect(panel.locator('ol.path code').allTextContents()).resolves.toEqual(proof.path);
    await expect(panel.textContent()).resolves.toContain(proof.checkpoint.rootHash);
    await expect(panel.textContent()).resolves.toContain(
      `warden ledger verify-proof warden-proof-seq-${seq}.json --key ${proof.checkpoint.keyFingerprint}`,
    );
    if (process.env.WARDEN_SCREENSHOTS === '1') {
      // Tall enough for the whole proof: at 860 pixels the panel scrolls.
      await page.setViewportSize({ width: 1400, height: 1100 });
      await page.waitForTimeout(300);
      await shoot(page, 'ledger-proof');
      await page.setViewportSize({ width: 1400, height: 860 });
    }
  });

  it('downloads the proof as a file that verifies offline against the key’s fingerprint', async () => {
    const seq = Number(await page.locator('[data-proof]').getAttribute('data-proof'));
    const { file, text } = await download('button:has-text("Download proof")');
    expect(file.suggestedFilename()).toBe(`warden-proof-seq-${seq}.json`);
    const proof = InclusionProofSchema.parse(JSON.parse(text));
    expect(proof.event.seq).toBe(seq);
    const { keyFingerprint } = await latestCheckpoint();
    expect(proofProblem(proof, keyFingerprint)).toBeNull();
    // The command the view prints, on the file as downloaded.
    const checked = await spawnWarden(ROOT, ['ledger', 'verify-proof', (await file.path())!, '--key', keyFingerprint]);
    expect(checked.code).toBe(0);
    // A path that was changed on the way no longer leads to the signed root.
    const bent = {
      ...proof,
      path: [proof.path[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0')), ...proof.path.slice(1)],
    };
    expect(proofProblem(bent, keyFingerprint)).toMatch(/does not lead/);
  });

  it('offers reports for a period and an agent, not for one run or one event type', async () => {
    await expect(page.locator('[data-export=html]').isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-report-blocked]').textContent()).resolves.toMatch(/clear the run and type/);
    await filter('runId', '');
    await filter('agentId', 'reconciliation');
    await page.locator('a[data-export=html]').waitFor();
    const href = new URL((await page.locator('a[data-export=html]').getAttribute('href'))!, server.url);
    expect(Object.fromEntries(href.searchParams)).toEqual({ format: 'html', agentId: 'reconciliation' });
    await expect(page.locator('[data-report-blocked]').count()).resolves.toBe(0);
  });

  it('downloads an HTML report whose cover names the agent and the signed checkpoint', async () => {
    const { file, text } = await download('[data-export=html]');
    expect(file.suggestedFilename()).toMatch(/\.html$/);
    const { keyFingerprint } = await latestCheckpoint();
    expect(text).toContain('<title>Ledger report: ');
    expect(text).toContain('Warden ledger report');
    expect(text).toContain('agent reconciliation');
    expect(text).toContain(keyFingerprint);
  });

  it('downloads a PDF report', async () => {
    const { file } = await download('[data-export=pdf]');
    expect(file.suggestedFilename()).toMatch(/\.pdf$/);
    expect(
      readFileSync((await file.path())!)
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });
});
