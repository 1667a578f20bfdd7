import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download } from '@playwright/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { InclusionProofSchema, type SignedCheckpoint } from '../../src/shared/audit.js';
import { openWarden } from '../../src/main/host/warden.js';
import { proofProblem } from '../../src/main/ledger/checkpoint.js';
import { DEMO_BUILD_MS, demoCopy, sharedDemo } from '../helpers/demo.js';
import { ROOT, spawnWarden } from '../main/cli/helpers.js';
import { shoot } from './browser.js';
import { useConsole } from './fixture.js';

// The Ledger view's audit side in Debian's Chromium, against warden serve on a copy of the
// demo's data (a test starts a task and signs a checkpoint, so not on the shared one): the
// latest signed checkpoint, an event's inclusion proof and its download, and reports.

// Waiting for the session's demo ledger has a bound of its own: another file may be building it.
beforeAll(() => sharedDemo(), DEMO_BUILD_MS);
const ui = useConsole(
  async ({ tempDir }) =>
    openWarden({
      rosterDir: join(ROOT, 'resources/demo'),
      dataDir: await demoCopy(tempDir('warden-e2e-audit-')),
      pollMs: 20,
      workers: 2,
    }),
  // The page loads once the reopened demo has settled, so it and the test see the same checkpoint.
  { beforeOpen: () => quiet() },
);
beforeAll(() => ui.page.click('nav >> text=Ledger'));

/** Waits until nothing has been appended for a while, so the console and the test see one checkpoint. */
async function quiet(): Promise<void> {
  let head = -1;
  for (let still = 0; still < 10;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = ui.warden.ledger.reader.head()?.seq ?? 0;
    still = now === head ? still + 1 : 0;
    head = now;
  }
}

async function latestCheckpoint(): Promise<SignedCheckpoint> {
  return (await ui.api.call('ledger.checkpoint', {}, 'test')) as SignedCheckpoint;
}

/** Clicks something that starts a download and returns it once the file is complete. */
async function download(selector: string): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([ui.page.waitForEvent('download'), ui.page.click(selector)]);
  expect(await file.failure()).toBeNull();
  return { file, text: readFileSync((await file.path())!, 'utf8') };
}

/** Filters by run (typed) or agent (picked from the ledger's agents). */
async function filter(name: 'agentId' | 'runId', value: string): Promise<void> {
  if (name === 'runId') await ui.page.fill('input[aria-label="run id"]', value);
  else await ui.page.selectOption('select[aria-label=agent]', value);
}

describe('the Ledger view’s checkpoint, proofs and reports', () => {
  it('shows the latest signed checkpoint as the API states it', async () => {
    const panel = ui.page.locator('[data-checkpoint]');
    await panel.locator('[data-field=fingerprint]').waitFor();
    const checkpoint = await latestCheckpoint();
    expect(checkpoint.size).toBe(ui.warden.ledger.reader.head()!.seq);
    await expect(panel.locator('[data-field=size]').textContent()).resolves.toBe(
      `${checkpoint.size.toLocaleString('en-US')} events`,
    );
    await expect(panel.locator('[data-field=root]').textContent()).resolves.toBe(checkpoint.rootHash);
    await expect(panel.locator('[data-field=fingerprint]').textContent()).resolves.toBe(checkpoint.keyFingerprint);
    await expect(panel.textContent()).resolves.toContain(checkpoint.origin);
  });

  it('signs a new checkpoint on request once events came after the latest', async () => {
    const before = await latestCheckpoint();
    await ui.page.locator('nav >> text=Roster').click();
    await ui.page.selectOption('select', 'quoting');
    const task = { kind: 'quote', customer: 'Fabrikam', items: [] };
    await ui.page.fill('input[aria-label="Task input (JSON)"]', JSON.stringify(task));
    await ui.page.click('button[type=submit]');
    await ui.page.click('nav >> text=Ledger');
    await quiet();
    await ui.page.waitForSelector('[data-checkpoint] >> text=not covered yet');
    await ui.page.click('[data-checkpoint] >> text=Sign a new checkpoint');
    const size = ui.warden.ledger.reader.head()!.seq;
    expect(size).toBeGreaterThan(before.size);
    await ui.page.waitForSelector(
      `[data-checkpoint] [data-field=size] >> text="${size.toLocaleString('en-US')} events"`,
    );
    const after = await latestCheckpoint();
    expect(after.size).toBe(size);
    await expect(ui.page.locator('[data-checkpoint] [data-field=root]').textContent()).resolves.toBe(after.rootHash);
  });

  it('shows the proof of a selected event: its leaf index, its path and the checkpoint it leads to', async () => {
    // The run waiting for the demo's payment approval: a short list, as a person would narrow it.
    const [waiting] = (await ui.api.call('approvals.list', {}, 'test')) as { runId: string }[];
    await filter('runId', waiting!.runId);
    const row = ui.page.locator('.ledger-body [data-seq]', { hasText: 'approval.requested' }).first();
    await row.waitFor();
    const seq = Number(await row.getAttribute('data-seq'));
    await row.click();
    await expect(row.getAttribute('aria-pressed')).resolves.toBe('true');
    const panel = ui.page.locator(`[data-proof="${seq}"]`);
    await panel.locator('[data-field=leaf]').waitFor();
    const proof = InclusionProofSchema.parse(await ui.api.call('ledger.proof', { seq }, 'test'));
    expect(proof.path.length).toBeGreaterThan(0);
    await expect(panel.locator('[data-field=leaf]').textContent()).resolves.toBe(String(seq - 1));
    await expect(panel.locator('ol.path code').allTextContents()).resolves.toEqual(proof.path);
    await expect(panel.textContent()).resolves.toContain(proof.checkpoint.rootHash);
    await expect(panel.textContent()).resolves.toContain(
      `warden ledger verify-proof warden-proof-seq-${seq}.json --key ${proof.checkpoint.keyFingerprint}`,
    );
    if (process.env.WARDEN_SCREENSHOTS === '1') {
      // Tall enough for the whole proof: at 860 pixels the panel scrolls.
      await ui.page.setViewportSize({ width: 1400, height: 1100 });
      await ui.page.waitForTimeout(300);
      await shoot(ui.page, 'ledger-proof');
      await ui.page.setViewportSize({ width: 1400, height: 860 });
    }
  });

  it('downloads the proof as a file that verifies offline against the key’s fingerprint', async () => {
    const seq = Number(await ui.page.locator('[data-proof]').getAttribute('data-proof'));
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
    await expect(ui.page.locator('[data-export=html]').isDisabled()).resolves.toBe(true);
    await expect(ui.page.locator('[data-report-blocked]').textContent()).resolves.toMatch(/clear the run and type/);
    await filter('runId', '');
    await filter('agentId', 'reconciliation');
    await ui.page.locator('a[data-export=html]').waitFor();
    const href = new URL((await ui.page.locator('a[data-export=html]').getAttribute('href'))!, ui.server.url);
    expect(Object.fromEntries(href.searchParams)).toEqual({ format: 'html', agentId: 'reconciliation' });
    await expect(ui.page.locator('[data-report-blocked]').count()).resolves.toBe(0);
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
