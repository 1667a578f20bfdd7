import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import { everythingServer, writeRoster } from '../main/mcp/servers.js';
import { shoot } from './browser.js';
import { useConsole } from './fixture.js';

// The Live view in Chromium over a run whose tool results hold an image (kept by hash in the
// data folder's blobs) and resource links, from the MCP reference server over stdio.
let runId = '';
const ui = useConsole(async ({ tempDir }) => {
  const dir = tempDir('warden-e2e-content-');
  const roster = writeRoster(
    dir,
    { everything: everythingServer },
    {
      'viewer.yaml':
        'id: viewer\nrole: looks at pictures\ntools:\n' +
        '  - { name: everything.get-tiny-image, access: read }\n' +
        '  - { name: everything.get-resource-links, access: read }\n',
      'viewer.js': `export default async (task, warden) => {
  await warden.tool('everything.get-tiny-image', {});
  await warden.tool('everything.get-resource-links', { count: 2 });
  return 'looked';
};
`,
    },
  );
  const warden = await openWarden({ rosterDir: roster, dataDir: join(dir, 'data') });
  const run = await warden.runtime.run('viewer', {});
  expect(run.status).toBe('ok');
  runId = run.runId;
  return warden;
});

describe("a run's tool results with an image and links, in the Live view", () => {
  it('shows the image, drawn from the bytes the ledger keeps by hash, and the links as text', async () => {
    await ui.page.click('nav >> text=Live');
    await ui.page.locator(`[data-run="${runId}"]`).click();
    // Each result is shown with its call, once the call is selected in the run's trace.
    const calls = ui.page.locator('.run-trace .wf-row[data-kind="tool"]');
    await calls.first().click();
    const image = ui.page.locator('.tool-content img');
    await image.waitFor();
    // Decoded by the browser: the logo is 20 by 20 pixels.
    await ui.page.waitForFunction(
      () => (document.querySelector('.tool-content img') as HTMLImageElement)?.naturalWidth > 0,
    );
    await expect(image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).resolves.toEqual([
      20, 20,
    ]);
    await expect(image.getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    await expect(ui.page.locator('.tool-content figcaption').textContent()).resolves.toMatch(
      /^image, 3\.9 KB, image\/png$/,
    );
    await calls.nth(1).click();
    const links = ui.page.locator('.tool-content li[data-part="resource_link"]');
    await links.first().waitFor();
    await expect(links.count()).resolves.toBe(2);
    await expect(links.nth(1).textContent()).resolves.toMatch(/^link: Text Resource 2 \S+2 text\/plain/);
    // Shown, never followed: no anchor in the results.
    await expect(ui.page.locator('.tool-content a').count()).resolves.toBe(0);
    if (process.env.WARDEN_SHOT_TO) await ui.page.screenshot({ path: process.env.WARDEN_SHOT_TO });
    await shoot(ui.page, 'live-tool-content');
  });
});
