import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../src/main/host/warden.js';
import { LEDGER_PATHS } from '../../src/main/server/server.js';
import { ROOT } from '../main/cli/helpers.js';
import { httpRequest, openApi } from '../main/server/session.js';
import { useConsole } from './fixture.js';

// The console's credential in Debian's Chromium. The session cookie is not bound to a port, so
// a page on another 127.0.0.1 port shares the browser's cookie jar with the console; with a
// $4,200 approval waiting, neither that page nor a replay of the cookie reaches the API.

const ui = useConsole(
  async ({ tempDir }) =>
    openWarden({
      rosterDir: join(ROOT, 'resources/demo'),
      dataDir: tempDir('warden-e2e-credential-'),
      pollMs: 20,
      workers: 2,
    }),
  {
    // The payment waits for its approval before the page loads, so the first view already shows it.
    beforeOpen: async ({ warden, api }) => {
      const input = { kind: 'pay-invoice', invoiceId: 'INV-1002', payee: 'contoso-logistics', amountUsd: 4200 };
      await api.call('task.start', { agentId: 'reconciliation', input }, 'test');
      for (let i = 0; i < 400 && warden.approvals.pending().length === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(warden.approvals.pending()).toHaveLength(1);
    },
  },
);

/** Another local server, as a dev server or a notebook would be: what it received, and its port. */
let other: Server;
let otherPort: number;
const cookiesSeen: string[] = [];
const reports: Record<string, string>[] = [];

/** The other server's page: it tries the console's API from its own origin and reports what happened. */
function otherPage(wardenPort: number): string {
  return `<!doctype html><title>another app</title>
<a id="steal" href="http://127.0.0.1:${wardenPort}/export?format=jsonl">export</a>
<script>
const tryProtocols = (protocols) => new Promise((done) => {
  const ws = new WebSocket('ws://127.0.0.1:${wardenPort}/api', protocols);
  ws.onopen = () => done('open');
  ws.onclose = () => done('refused');
});
(async () => {
  const plain = await tryProtocols([]);
  const console = await tryProtocols(['warden']);
  const guessed = await tryProtocols(['warden', 'warden-key.${'A'.repeat(43)}']);
  await fetch('/report', { method: 'POST', body: JSON.stringify({ plain, console, guessed }) });
})();
</script>`;
}

beforeAll(async () => {
  other = createServer((request, response) => {
    cookiesSeen.push(request.headers.cookie ?? '');
    if (request.method === 'POST') {
      let body = '';
      request.on('data', (c: Buffer) => (body += c.toString()));
      request.on('end', () => {
        reports.push(JSON.parse(body) as Record<string, string>);
        response.end();
      });
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(otherPage(ui.server.port));
  });
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
  otherPort = (other.address() as { port: number }).port;
});

afterAll(() => new Promise((done) => other?.close(done)));

/** The cookie Chromium holds for the console, as another port's server receives it. */
async function consoleCookie(): Promise<string> {
  const cookies = await ui.page.context().cookies(`http://127.0.0.1:${ui.server.port}`);
  const session = cookies.find((c) => c.name === 'warden_session');
  expect(session).toBeDefined();
  return `${session!.name}=${session!.value}`;
}

describe('the console credential in Chromium', () => {
  it('shows the waiting approval to the page opened from the printed link', async () => {
    await ui.page.click('nav >> text=Approvals');
    await ui.page.locator('[data-approval]').first().waitFor();
    await expect(ui.page.locator('[data-approval]').first().textContent()).resolves.toContain('$4,200.00');
    // The key has left the address bar (and the history) once the page took it: the address
    // is the view's.
    expect(ui.page.url()).toBe(`http://127.0.0.1:${ui.server.port}/#/approvals`);
  });

  it('stays connected across a reload: the page keeps its key', async () => {
    await ui.page.reload();
    await ui.page.waitForSelector('text=connected');
    await ui.page.click('nav >> text=Approvals');
    await ui.page.locator('[data-approval]').first().waitFor();
    await expect(ui.page.locator('[data-approval]').first().textContent()).resolves.toContain('$4,200.00');
  });

  it('keeps a page on another 127.0.0.1 port out of the API socket and /export', async () => {
    const tab = await ui.page.context().newPage();
    await tab.goto(`http://127.0.0.1:${otherPort}/`);
    for (let i = 0; i < 400 && reports.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(reports).toEqual([{ plain: 'refused', console: 'refused', guessed: 'refused' }]);
    // A link to the export, followed from that page: the browser sends the cookie (same site:
    // cookies ignore ports), and says where the request comes from; the server refuses.
    const [refused] = await Promise.all([tab.waitForResponse((r) => r.url().includes('/export')), tab.click('#steal')]);
    expect(refused.status()).toBe(403);
    expect(await refused.request().headerValue('sec-fetch-site')).toBe('same-site');
    await tab.close();
  });

  it('refuses a replay of the cookie with a forged Origin, on every path that reads the ledger', async () => {
    // The cookie as the other port's server received it from Chromium, where it did.
    const cookie = cookiesSeen.find((c) => c.includes('warden_session=')) ?? (await consoleCookie());
    const forged = { cookie, origin: `http://127.0.0.1:${ui.server.port}` };
    expect(await openApi(ui.server.port, { headers: forged })).toEqual({ status: 401 });
    expect(await openApi(ui.server.port, { headers: forged, protocols: ['warden'] })).toEqual({ status: 401 });
    for (const path of Object.keys(LEDGER_PATHS)) {
      const reply = await httpRequest(ui.server.port, `${path}?format=jsonl`, forged);
      expect(reply.text).not.toContain('approval.requested');
    }
    expect((await httpRequest(ui.server.port, '/export?format=jsonl', forged)).status).toBe(401);
  });

  it('opens a bookmarked address in a new tab without the token: the session is the browser’s', async () => {
    const tab = await ui.page.context().newPage();
    await tab.goto(`http://127.0.0.1:${ui.server.port}/#/approvals`);
    await tab.waitForSelector('text=connected');
    await tab.locator('[data-approval]').first().waitFor();
    await expect(tab.locator('[data-approval]').first().textContent()).resolves.toContain('$4,200.00');
    await tab.close();
  });

  it('opens no API for a browser that has the cookie but not the key', async () => {
    // Another browser profile given the cookie (as the other port's server got it), not the key.
    const context = await ui.browser.newContext();
    const [name, value] = (await consoleCookie()).split('=') as [string, string];
    await context.addCookies([{ name, value, url: `http://127.0.0.1:${ui.server.port}` }]);
    const tab = await context.newPage();
    await tab.goto(`http://127.0.0.1:${ui.server.port}/`);
    await expect(tab.evaluate(() => localStorage.length)).resolves.toBe(0);
    const outcome = await tab.evaluate(
      (port) =>
        new Promise<string>((done) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, ['warden']);
          ws.onopen = () => done('open');
          ws.onclose = () => done('refused');
        }),
      ui.server.port,
    );
    expect(outcome).toBe('refused');
    await context.close();
  });
});
