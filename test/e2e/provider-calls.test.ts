import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleApi } from '../../src/main/host/api.js';
import { openWarden, type Warden } from '../../src/main/host/warden.js';
import type { ConsoleServer } from '../../src/main/server/server.js';
import { useTempDirs } from '../main/cli/helpers.js';
import { anthropicStream, startFakeApi, type FakeApi } from '../main/models/fake-api.js';
import { reviewerOnAnthropic } from '../main/models/providers-roster.js';
import { closeConsole, ensureRenderer, openConsole, serveConsole, shoot } from './browser.js';

// The console in Debian's Chromium with an agent on a real provider's API (a local fake of the
// Messages API): the Live view while the model streams, and the Providers view's test.
const KEY_VAR = 'WARDEN_E2E_LIVE_ANTHROPIC_KEY';
const temp = useTempDirs();
let anthropic: FakeApi;
let warden: Warden;
let api: ConsoleApi;
let server: ConsoleServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ensureRenderer();
  anthropic = await startFakeApi();
  const dir = temp.make('warden-e2e-live-text-');
  const roster = reviewerOnAnthropic(dir, anthropic.url, KEY_VAR);
  process.env[KEY_VAR] = 'sk-ant-e2e-live-text-0001';
  warden = await openWarden({ rosterDir: roster, dataDir: join(dir, 'data'), pollMs: 20 });
  ({ api, server } = await serveConsole(warden));
  ({ browser, page } = await openConsole(server.url));
}, 60_000);

afterAll(async () => {
  await closeConsole({ browser, server, api, warden });
  await anthropic.close();
  delete process.env[KEY_VAR];
  temp.cleanup();
});

describe('the live view while a model streams', () => {
  it('shows the text written so far, and drops it when the run ends', async () => {
    const events = anthropicStream(
      [{ type: 'text', deltas: ['Clause 4 caps', ' liability at', ' twelve months', ' of fees.'] }],
      { input_tokens: 30, output_tokens: 12 },
    );
    // message_start, ping, block start and three text deltas; then nothing more.
    anthropic.reply({ sse: events, stallAfter: 6 });
    const runId = await warden.runtime.start('reviewer', { contract: 'MSA' });
    await page.keyboard.press('2');
    await page.locator(`[data-run="${runId}"]`).click();
    // The text grows as it streams in; wait for all that was sent, then check nothing else is shown.
    const sent = 'Clause 4 caps liability at twelve months';
    const writing = page.locator('[aria-label="Model writing"] pre');
    await page.locator('[aria-label="Model writing"] pre', { hasText: sent }).waitFor({ timeout: 10_000 });
    await expect(writing.textContent()).resolves.toBe(sent);
    await shoot(page, 'live-writing');
    warden.runtime.stop(runId);
    await page.locator('[aria-label="Model writing"]').waitFor({ state: 'detached' });
    await expect(warden.runtime.wait(runId)).resolves.toMatchObject({ status: 'cancelled' });
  });
});

describe("the providers view's test button", () => {
  it('sends one short request and shows how it went, recorded in the ledger', async () => {
    anthropic.reply({
      sse: anthropicStream([{ type: 'text', deltas: ['OK'] }], { input_tokens: 14, output_tokens: 2 }),
    });
    await page.keyboard.press('8');
    const row = page.locator('[aria-label="Providers"] tr[data-provider="anthropic"]');
    await row.locator('button', { hasText: 'Test' }).click();
    await row.locator('[data-test="ok"]').waitFor();
    await expect(row.locator('[data-test="ok"]').textContent()).resolves.toMatch(
      /^answered in \d+ ms · claude-haiku-4-5 · \$0\.000024$/,
    );
    // local needs no key but is not listening: its test fails, and says why.
    await page.locator('[aria-label="Providers"] tr[data-provider="local"] button', { hasText: 'Test' }).click();
    await page.locator('[aria-label="Providers"] tr[data-provider="local"] [data-test="failed"]').waitFor();
    await expect(
      page.locator('[aria-label="Providers"] tr[data-provider="local"] [data-test="failed"]').textContent(),
    ).resolves.toMatch(/^model provider "local" \(local:llama3\): unreachable/);
    await shoot(page, 'providers-test');
    const tested = [...warden.ledger.reader.each({ type: 'provider.tested' })].map((e) => e.payload);
    expect(tested).toMatchObject([
      { provider: 'anthropic', ok: true, by: 'console' },
      { provider: 'local', ok: false, by: 'console' },
    ]);
  });
});
