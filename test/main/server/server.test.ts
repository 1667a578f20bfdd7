import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tar from 'tar';
import type WebSocket from 'ws';
import { consoleApi, type ConsoleApi } from '../../../src/main/host/api/index.js';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import { startConsoleServer, type ConsoleServer } from '../../../src/main/server/server.js';
import { verifyExportFile } from '../../../src/main/ledger/index.js';
import { PushSchema } from '../../../src/shared/api.js';
import { logEvent, tempDir } from '../../helpers/temp.js';
import { exportTicket, httpRequest, openApi, pageSocket, protocolsFor } from './session.js';

let dir: string;
let cleanup: () => void;
let warden: Warden;
let api: ConsoleApi;
let server: ConsoleServer;
let cookie = '';
let key = '';
/** The API's socket as the page holds it, opened once the token is traded. */
let page: WebSocket;

const get = (path: string, headers: Record<string, string | undefined> = {}) => httpRequest(server.port, path, headers);

/** A download as the page starts it: a fresh ticket from the API's socket, and the cookie. */
async function download(path: string, headers: Record<string, string | undefined> = {}) {
  const ticket = await exportTicket(page);
  return get(`${path}${path.includes('?') ? '&' : '?'}ticket=${ticket}`, { cookie, ...headers });
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>Warden</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the static folder');
  warden = await openWarden({ rosterDir: 'resources/demo', dataDir: join(dir, 'data'), pollMs: 20 });
  api = consoleApi(warden);
  server = await startConsoleServer({ api, staticDir: join(dir, 'static') });
});
afterAll(async () => {
  page?.close();
  await server.close();
  api.close();
  await warden.close();
  cleanup();
});

const origin = () => `http://127.0.0.1:${server.port}`;

describe('the door of warden serve', () => {
  it('listens on 127.0.0.1 and prints a URL with a 256-bit token', () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Buffer.from(url.searchParams.get('token')!, 'base64url')).toHaveLength(32);
  });

  it('refuses everything without the session: 401', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect(await openApi(server.port, { headers: { origin: origin() } })).toEqual({ status: 401 });
  });

  it('trades the token once for an HttpOnly, SameSite=Strict cookie and a key in the fragment', async () => {
    const token = new URL(server.url).searchParams.get('token')!;
    const traded = await get(`/?token=${token}`);
    expect(traded.status).toBe(302);
    const setCookie = String(traded.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    cookie = setCookie.split(';')[0]!;
    // The key is in the fragment, which no request carries, and is not the cookie.
    const location = String(traded.headers.location);
    expect(location).toMatch(/^\/#key=[A-Za-z0-9_-]{43}$/);
    key = location.slice('/#key='.length);
    expect(cookie).not.toContain(key);
    expect((await get(`/?token=${token}`)).status).toBe(401);
    // The browser that used it, opening the printed link again, goes on in its session.
    const again = await get(`/?token=${token}`, { cookie });
    expect([again.status, again.headers.location, again.headers['set-cookie']]).toEqual([302, '/', undefined]);
    const index = await get('/', { cookie });
    expect(index.status).toBe(200);
    expect(index.text).toContain('<title>Warden</title>');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    page = await pageSocket(server.port, { cookie, key });
    expect(page.protocol).toBe('warden');
  });

  it('opens the cookie’s files only to the console’s own pages and the person: Sec-Fetch-Site', async () => {
    // A bookmark, a typed address or a reload says `none`; the console's own page `same-origin`.
    for (const site of ['none', 'same-origin'])
      expect((await get('/', { cookie, 'sec-fetch-site': site })).status).toBe(200);
    // A page on another 127.0.0.1 port is `same-site` (cookies ignore ports); other sites are `cross-site`.
    for (const site of ['same-site', 'cross-site', undefined]) {
      expect((await get('/', { cookie, 'sec-fetch-site': site })).status, String(site)).toBe(403);
      expect((await download('/export?format=jsonl', { 'sec-fetch-site': site })).status, String(site)).toBe(403);
    }
  });

  it('refuses a foreign Host header (DNS rebinding) with 403, cookie or not', async () => {
    expect((await get('/', { cookie, host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('refuses a WebSocket from another origin with 403, key or not', async () => {
    const protocols = protocolsFor(key);
    expect(await openApi(server.port, { headers: { cookie, origin: 'http://evil.example' }, protocols })).toEqual({
      status: 403,
    });
    expect(await openApi(server.port, { headers: { cookie }, protocols })).toEqual({ status: 403 });
  });

  it('exports the ledger as a download, only with a ticket from the API', async () => {
    const paid = await warden.runtime.run('reconciliation', {
      kind: 'pay-invoice',
      invoiceId: 'INV-1001',
      payee: 'northwind-paper',
      amountUsd: 450,
    });
    expect(paid.status).toBe('ok');
    expect((await get('/export?format=jsonl')).status).toBe(401);
    expect((await get('/export?format=jsonl', { cookie })).status).toBe(401);
    expect((await download('/export?format=xml')).status).toBe(400);
    const jsonl = await download('/export?format=jsonl');
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers['content-disposition']).toContain('warden-ledger.jsonl');
    // Signed: the checkpoint covers the whole ledger as the export saw it.
    expect(JSON.parse(jsonl.text.split('\n')[0]!)).toMatchObject({
      kind: 'warden.ledger.export',
      formatVersion: 3,
      checkpoint: { size: warden.ledger.reader.head()!.seq },
    });
    const report = await download('/export?format=html&agentId=reconciliation');
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(report.headers['content-disposition']).toContain('warden-ledger-report.html');
    expect(report.text).toContain('<title>Ledger report: ');
    expect((await download('/export?format=pdf&runId=run-1')).status).toBe(400);
    const badDate = await download('/export?format=csv&from=notadate');
    expect([badDate.status, badDate.text]).toEqual([400, 'from must be an ISO-8601 time\n']);
    // The server is still up.
    const csv = await download('/export?format=csv&type=run.started');
    expect(csv.status).toBe(200);
    expect(csv.text.startsWith('seq,ts,run_id,agent_id,type,v,payload,prev_hash,hash')).toBe(true);
    expect(
      csv.text
        .split('\r\n')
        .slice(1, -1)
        .every((line) => line.includes(',run.started,')),
    ).toBe(true);
  });

  it('never serves a file outside its folder', async () => {
    const sneaky = await get('/..%2Fsecret.txt', { cookie });
    expect(sneaky.text).not.toContain('outside the static folder');
  });
});

describe('the console API over the WebSocket', () => {
  it('answers queries, streams events, and lets a person decide an approval', async () => {
    const ws = await pageSocket(server.port, { cookie, key });
    let next = 1;
    const pending = new Map<number, (reply: { ok: boolean; result?: unknown; error?: unknown }) => void>();
    const streamed: { type: string; runId: string | null }[] = [];
    const malformed: unknown[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if ('id' in message) return pending.get(message.id)?.(message);
      // Whatever is not a reply is a push, as the contract's schema has it.
      const push = PushSchema.safeParse(message);
      if (!push.success) malformed.push(message);
      else if (push.data.type === 'events') streamed.push(...push.data.events);
    });
    const call = (method: string, params: unknown) =>
      new Promise<{ ok: boolean; result?: unknown; error?: unknown }>((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });

    const roster = (await call('roster.list', {})).result as { id: string; status: string }[];
    expect(roster.map((a) => a.id)).toContain('reconciliation');
    expect(await call('nope', {})).toMatchObject({ ok: false, error: { code: 'E_USAGE' } });
    expect(await call('task.start', { agentId: 'reconciliation' })).toMatchObject({
      ok: false,
      error: { code: 'E_USAGE', message: expect.stringContaining('input') },
    });

    const input = { kind: 'pay-invoice', invoiceId: 'INV-1002', payee: 'contoso-logistics', amountUsd: 4200 };
    const { runId } = (await call('task.start', { agentId: 'reconciliation', input })).result as { runId: string };
    let approvals: { approvalId: string; runId: string }[] = [];
    for (let i = 0; i < 200 && approvals.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      approvals = (await call('approvals.list', {})).result as typeof approvals;
    }
    expect(approvals[0]?.runId).toBe(runId);
    const decided = await call('approvals.decide', { approvalId: approvals[0]!.approvalId, decision: 'approved' });
    expect(decided).toMatchObject({ ok: true, result: { decision: { decision: 'approved', by: 'console' } } });
    for (let i = 0; i < 200 && !streamed.some((e) => e.runId === runId && e.type === 'run.finished'); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(streamed.filter((e) => e.runId === runId).map((e) => e.type)).toContain('approval.decided');
    const trajectory = (await call('run.trajectory', { runId })).result as { type: string }[];
    expect(trajectory.at(-1)?.type).toBe('run.finished');
    expect(await call('ledger.verify', {})).toMatchObject({ ok: true, result: { ok: true } });
    expect(malformed).toEqual([]);
    ws.close();
  });
});

describe('a report download over a large period', () => {
  it('carries the JSONL export its report names, in one .tar.gz with the report', async () => {
    // More events than a report lists inline (5,000), so the report keeps them in a JSONL export.
    await warden.ledger.appendMany(
      Array.from({ length: 5_100 }, (_, i) => logEvent(`bulk ${i}`, 'run-bulk', 'reconciliation')),
    );
    const bundle = await download('/export?format=html');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('application/gzip');
    expect(bundle.headers['content-disposition']).toContain('warden-ledger-report.html.tar.gz');
    const out = join(dir, 'unpacked');
    mkdirSync(out);
    writeFileSync(join(out, 'report.tar.gz'), bundle.body);
    await tar.extract({ file: join(out, 'report.tar.gz'), cwd: out });
    const html = readFileSync(join(out, 'warden-ledger-report.html'), 'utf8');
    const appendix = 'warden-ledger-report.html.events.jsonl';
    expect(html).toContain(appendix);
    const verified = verifyExportFile(join(out, appendix));
    expect([verified.ok, verified.checkpoint]).toEqual([true, 'verified']);
    expect(verified.checked).toBeGreaterThan(5_100);
    // The export a JSONL download gives stays a single file.
    const jsonl = await download('/export?format=jsonl&agentId=reconciliation');
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson');
  });
});
