import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProviderKeyStore } from '../../src/main/host/provider-keys.js';
import { openWarden } from '../../src/main/host/warden.js';
import { providersRoster } from '../main/models/providers-roster.js';
import { shoot } from './browser.js';
import { useConsole } from './fixture.js';

// The Providers view in Debian's Chromium, over a Warden opened as the desktop app opens it
// (with a key store, so a roster whose keys are missing still opens). Electron's safeStorage
// cannot run here; the store has no keychain, as on a Linux desktop without a keyring, so a
// key is kept only once the person agrees to plain text.
const KEY = 'sk-ant-e2e-typed-key-5a91c3';

const ui = useConsole(async ({ tempDir }) => {
  const dir = tempDir('warden-e2e-providers-');
  const roster = providersRoster(dir, [
    'anthropic: { apiKeyEnv: WARDEN_E2E_ANTHROPIC_KEY }',
    'openai: { apiKeyEnv: WARDEN_E2E_OPENAI_KEY }',
    'local: { baseUrl: "http://127.0.0.1:11434/v1" }',
  ]);
  // A server that takes a token from the environment: the view lists it as a server secret.
  writeFileSync(
    join(roster, 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        tracker: { command: 'node', args: ['tracker.mjs'], env: { TOKEN: '${WARDEN_E2E_TRACKER_TOKEN}' } },
      },
    }),
  );
  const data = join(dir, 'data');
  return openWarden({ rosterDir: roster, dataDir: data, keyStore: new ProviderKeyStore(data, undefined) });
});

const row = (provider: string) => ui.page.locator(`[aria-label="Providers"] tr[data-provider="${provider}"]`);

describe('the providers view', () => {
  it('warns that agents cannot run while their keys are missing, and leads to the view', async () => {
    const missing = ui.page.locator('[aria-label="Missing keys"] li');
    await missing.first().waitFor();
    await expect(missing.allTextContents()).resolves.toEqual([
      expect.stringMatching(/reviewer cannot run until anthropic has its key \(WARDEN_E2E_ANTHROPIC_KEY\)/),
      expect.stringMatching(/drafter cannot run until openai has its key \(WARDEN_E2E_OPENAI_KEY\)/),
      expect.stringMatching(/MCP server tracker cannot start until WARDEN_E2E_TRACKER_TOKEN is set/),
    ]);
    await missing.first().locator('button', { hasText: 'enter it' }).click();
    await row('anthropic').waitFor();
    await expect(row('anthropic').locator('[data-key]').getAttribute('data-key')).resolves.toBe('missing');
    await expect(row('local').textContent()).resolves.toMatch(
      /OpenAI-compatible.*127\.0\.0\.1:11434.*summarizer.*not needed/,
    );
    await expect(ui.page.getByTestId('key-store').textContent()).resolves.toMatch(/No OS keychain is available/);
  });

  it('stores a key only once the person agrees to plain text, and never shows it again', async () => {
    await row('anthropic').locator('button', { hasText: 'Enter key' }).click();
    const form = ui.page.locator('form[aria-label="Key for WARDEN_E2E_ANTHROPIC_KEY"]');
    const save = form.locator('button[type=submit]');
    await form.locator('input[aria-label="API key"]').fill(KEY);
    await expect(save.isDisabled()).resolves.toBe(true);
    await shoot(ui.page, 'providers-key-form');
    await form.locator('label.consent input').check();
    await expect(save.isDisabled()).resolves.toBe(false);
    await save.click();
    await form.waitFor({ state: 'detached' });
    await ui.page.locator('[aria-label="Providers"] tr[data-provider="anthropic"] [data-key="stored"]').waitFor();
    await expect(row('anthropic').textContent()).resolves.toContain('stored · plain text');
    // The banner now names only what is still missing: openai's key and the tracker's token.
    await ui.page.locator('[data-missing-key="anthropic"]').waitFor({ state: 'detached' });
    await expect(ui.page.locator('[data-missing-key]').count()).resolves.toBe(2);
    expect(await ui.page.content()).not.toContain(KEY);
    const stored = [...ui.warden.ledger.reader.each({ type: 'provider.key.stored' })].map((e) => e.payload);
    expect(stored).toEqual([
      { provider: 'anthropic', variable: 'WARDEN_E2E_ANTHROPIC_KEY', protection: 'plain-text', by: 'console' },
    ]);
    expect(ui.warden.keys('WARDEN_E2E_ANTHROPIC_KEY')).toBe(KEY);
    await shoot(ui.page, 'providers');
  });

  it('takes the value of a server secret the same way, and names the server waiting for it', async () => {
    const row = ui.page.locator('[aria-label="Server secrets"] tr[data-secret="WARDEN_E2E_TRACKER_TOKEN"]');
    await expect(row.textContent()).resolves.toMatch(/WARDEN_E2E_TRACKER_TOKEN.*tracker.*missing/);
    await expect(ui.page.locator('[data-missing-key="WARDEN_E2E_TRACKER_TOKEN"]').textContent()).resolves.toContain(
      'MCP server tracker cannot start until WARDEN_E2E_TRACKER_TOKEN is set.',
    );
    await row.locator('button', { hasText: 'Enter value' }).click();
    const form = ui.page.locator('form[aria-label="Key for WARDEN_E2E_TRACKER_TOKEN"]');
    await form.locator('input[aria-label="API key"]').fill('tracker-token-e2e-0042');
    await form.locator('label.consent input').check();
    await form.locator('button[type=submit]').click();
    await row.locator('[data-key="stored"]').waitFor();
    await ui.page.locator('[data-missing-key="WARDEN_E2E_TRACKER_TOKEN"]').waitFor({ state: 'detached' });
    expect(ui.warden.keys('WARDEN_E2E_TRACKER_TOKEN')).toBe('tracker-token-e2e-0042');
    await shoot(ui.page, 'providers-secrets');
  });

  it('removes a stored key, and the agent is missing it again', async () => {
    await row('anthropic').locator('button', { hasText: 'Remove' }).click();
    await ui.page.locator('[data-missing-key="anthropic"]').waitFor();
    await expect(row('anthropic').locator('[data-key]').getAttribute('data-key')).resolves.toBe('missing');
    expect(ui.warden.keys('WARDEN_E2E_ANTHROPIC_KEY')).toBeUndefined();
    await expect(ui.warden.runtime.start('reviewer', {})).rejects.toThrow(/reviewer cannot run/);
  });
});
