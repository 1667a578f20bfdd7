import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import { injectedServer, writeRoster } from '../main/mcp/servers.js';
import { shoot } from './browser.js';
import { useConsole } from './fixture.js';

// The roster view in Chromium over a Warden whose MCP server describes two tools with
// injected instructions: both are flagged there, and one is accepted from the console.
const ui = useConsole(async ({ tempDir }) => {
  const dir = tempDir('warden-e2e-flagged-');
  const roster = writeRoster(
    dir,
    { vendors: injectedServer },
    {
      'buyer.yaml': 'id: buyer\nrole: looks vendors up\ntools:\n  - { name: vendors.lookup, access: read }\n',
      'buyer.js': "export default async (task, warden) => warden.tool('vendors.lookup', { name: 'acme' });\n",
    },
  );
  const warden = await openWarden({ rosterDir: roster, dataDir: join(dir, 'data') });
  // The server starts with the first run, which is refused: its definitions are on record.
  expect((await warden.runtime.run('buyer', {})).status).toBe('error');
  const refused = warden.ledger.reader.page({ type: 'tool.result', order: 'desc', limit: 1 }).events[0]!;
  expect(refused.payload).toMatchObject({ ok: false, error: { code: 'E_TOOL_FLAGGED' } });
  return warden;
});

const row = (tool: string) =>
  ui.page.locator(`[aria-label="Flagged tool definitions"] tr[data-flagged-tool="${tool}"]`);

describe('flagged tool definitions on the roster view', () => {
  it('are listed with what was found where, as refused', async () => {
    await row('vendors.lookup').waitFor();
    await expect(row('vendors.lookup').textContent()).resolves.toMatch(
      /its description tells the agent to ignore its instructions: .?Ignore previous instructions.?refused/,
    );
    await expect(row('vendors.pay').textContent()).resolves.toMatch(
      /its inputSchema\.properties\.to\.description tries to give the agent a new role or authority/,
    );
    await shoot(ui.page, 'roster-flagged-tools');
  });

  it('are accepted with a reason, recorded with who and the definition, and the tool is then allowed', async () => {
    const accept = row('vendors.lookup').locator('button', { hasText: 'Accept' });
    await expect(accept.isDisabled()).resolves.toBe(true);
    await row('vendors.lookup').locator('input[aria-label="Why vendors.lookup is safe"]').fill('vendor boilerplate');
    await accept.click();
    await row('vendors.lookup').locator('text=accepted by').waitFor();
    await expect(row('vendors.lookup').textContent()).resolves.toMatch(/accepted by console.*: vendor boilerplate/);

    const flagged = [...ui.warden.ledger.reader.each({ type: 'mcp.tool.flagged' })].map((e) => e.payload);
    const accepted = [...ui.warden.ledger.reader.each({ type: 'mcp.tool.accepted' })].map((e) => e.payload);
    expect(accepted).toEqual([
      {
        server: 'vendors',
        tool: 'lookup',
        sha256: flagged.find((f) => f.tool === 'lookup')!.sha256,
        by: expect.stringMatching(/^console/),
        reason: 'vendor boilerplate',
      },
    ]);
    const run = await ui.warden.runtime.run('buyer', {});
    expect([run.status, run.output]).toEqual(['ok', 'vendor acme: Acme Supplies']);
    // pay still waits for an owner.
    await expect(row('vendors.pay').locator('button', { hasText: 'Accept' }).count()).resolves.toBe(1);
  });
});
