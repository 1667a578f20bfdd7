import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import { anthropicStream, startFakeApi, type FakeApi } from '../main/models/fake-api.js';
import { reviewerOnAnthropic } from '../main/models/providers-roster.js';
import { shoot } from './browser.js';
import { useConsole } from './fixture.js';

// The console in Debian's Chromium with an agent on a real provider's API (a local fake of the
// Messages API): the Live view while the model streams, and the Providers view's test.
const KEY_VAR = 'WARDEN_E2E_LIVE_ANTHROPIC_KEY';
let anthropic: FakeApi;

const ui = useConsole(async ({ tempDir, onClose }) => {
  anthropic = await startFakeApi();
  onClose(() => anthropic.close());
  const dir = tempDir('warden-e2e-live-text-');
  const roster = reviewerOnAnthropic(dir, anthropic.url, KEY_VAR);
  process.env[KEY_VAR] = 'sk-ant-e2e-live-text-0001';
  onClose(() => delete process.env[KEY_VAR]);
  return openWarden({ rosterDir: roster, dataDir: join(dir, 'data'), pollMs: 20 });
});

describe('the live view while a model streams', () => {
  it('shows the text written so far, and drops it when the run ends', async () => {
    const events = anthropicStream(
      [{ type: 'text', deltas: ['Clause 4 caps', ' liability at', ' twelve months', ' of fees.'] }],
      { input_tokens: 30, output_tokens: 12 },
    );
    // message_start, ping, block start and three text deltas; then nothing more.
    anthropic.reply({ sse: events, stallAfter: 6 });
    const runId = await ui.warden.runtime.start('reviewer', { contract: 'MSA' });
    await ui.page.keyboard.press('2');
    await ui.page.locator(`[data-run="${runId}"]`).click();
    // The text grows as it streams in; wait for all that was sent, then check nothing else is shown.
    const sent = 'Clause 4 caps liability at twelve months';
    const writing = ui.page.locator('[aria-label="Model writing"] pre');
    await ui.page.locator('[aria-label="Model writing"] pre', { hasText: sent }).waitFor({ timeout: 10_000 });
    await expect(writing.textContent()).resolves.toBe(sent);
    await shoot(ui.page, 'live-writing');
    ui.warden.runtime.stop(runId);
    await ui.page.locator('[aria-label="Model writing"]').waitFor({ state: 'detached' });
    await expect(ui.warden.runtime.wait(runId)).resolves.toMatchObject({ status: 'cancelled' });
  });
});

describe("the providers view's test button", () => {
  it('sends one short request and shows how it went, recorded in the ledger', async () => {
    anthropic.reply({
      sse: anthropicStream([{ type: 'text', deltas: ['OK'] }], { input_tokens: 14, output_tokens: 2 }),
    });
    await ui.page.keyboard.press('8');
    const row = ui.page.locator('[aria-label="Providers"] tr[data-provider="anthropic"]');
    await row.locator('button', { hasText: 'Test' }).click();
    await row.locator('[data-test="ok"]').waitFor();
    await expect(row.locator('[data-test="ok"]').textContent()).resolves.toMatch(
      /^answered in \d+ ms · claude-haiku-4-5 · \$0\.000024$/,
    );
    // local needs no key but is not listening: its test fails, and says why.
    await ui.page.locator('[aria-label="Providers"] tr[data-provider="local"] button', { hasText: 'Test' }).click();
    await ui.page.locator('[aria-label="Providers"] tr[data-provider="local"] [data-test="failed"]').waitFor();
    await expect(
      ui.page.locator('[aria-label="Providers"] tr[data-provider="local"] [data-test="failed"]').textContent(),
    ).resolves.toMatch(/^model provider "local" \(local:llama3\): unreachable/);
    await shoot(ui.page, 'providers-test');
    const tested = [...ui.warden.ledger.reader.each({ type: 'provider.tested' })].map((e) => e.payload);
    expect(tested).toMatchObject([
      { provider: 'anthropic', ok: true, by: 'console' },
      { provider: 'local', ok: false, by: 'console' },
    ]);
  });
});
