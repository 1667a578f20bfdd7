import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tar from 'tar';
import WebSocket from 'ws';
import { consoleApi, type ConsoleApi } from '../../../src/main/host/api.js';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import { startConsoleServer, type ConsoleServer } from '../../../src/main/server/server.js';
import { verifyExportFile } from '../../../src/main/ledger/index.js';
import { logEvent, tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let warden: Warden;
let api: ConsoleApi;
let server: ConsoleServer;
let cookie = '';

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** GET with the body as bytes (for downloads that are not text). */
function getBytes(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function socket(headers: Record<string, string>): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => undefined);
  });
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
  await server.close();
  api.close();
  await warden.close();
  cleanup();
});

describe('the door of warden serve', () => {
  it('listens on 127.0.0.1 and prints a URL with a 256-bit token', () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Buffer.from(url.searchParams.get('token')!, 'base64url')).toHaveLength(32);
  });

  it('refuses everything without the session: 401', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect(await socket({ origin: `http://127.0.0.1:${server.port}` })).toEqual({ status: 401 });
  });

  it('trades the token once for an HttpOnly, SameSite=Strict cookie', async () => {
    const token = new URL(server.url).searchParams.get('token')!;
    const traded = await get(`/?token=${token}`);
    expect(traded.status).toBe(302);
    const setCookie = String(traded.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookie = setCookie.split(';')[0]!;
    expect((await get(`/?token=${token}`)).status).toBe(401);
    const page = await get('/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Warden</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses a foreign Host header (DNS rebinding) with 403, cookie or not', async () => {
    expect((await get('/', { cookie, host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('refuses a WebSocket from another origin with 403', async () => {
    expect(await socket({ cookie, origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await socket({ cookie })).toEqual({ status: 403 });
  });

  it('exports the ledger as a download, only with a session', async () => {
    const paid = await warden.runtime.run('reconciliation', {
      kind: 'pay-invoice',
      invoiceId: 'INV-1001',
      payee: 'northwind-paper',
      amountUsd: 450,
    });
    expect(paid.status).toBe('ok');
    expect((await get('/export?format=jsonl')).status).toBe(401);
    expect((await get('/export?format=xml', { cookie })).status).toBe(400);
    const jsonl = await get('/export?format=jsonl', { cookie });
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers['content-disposition']).toContain('warden-ledger.jsonl');
    // Signed: the checkpoint covers the whole ledger as the export saw it.
    expect(JSON.parse(jsonl.body.split('\n')[0]!)).toMatchObject({
      kind: 'warden.ledger.export',
      formatVersion: 2,
      checkpoint: { size: warden.ledger.reader.head()!.seq },
    });
    const report = await get('/export?format=html&agentId=reconciliation', { cookie });
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(report.headers['content-disposition']).toContain('warden-ledger-report.html');
    expect(report.body).toContain('<title>Ledger report: ');
    expect((await get('/export?format=pdf&runId=run-1', { cookie })).status).toBe(400);
    const badDate = await get('/export?format=csv&from=notadate', { cookie });
    expect([badDate.status, badDate.body]).toEqual([400, 'from must be an ISO-8601 time\n']);
    // The server is still up.
    expect((await get('/export?format=csv&type=run.started', { cookie })).status).toBe(200);
    const csv = await get('/export?format=csv&type=run.started', { cookie });
    expect(csv.body.startsWith('seq,ts,run_id,agent_id,type,v,payload,prev_hash,hash')).toBe(true);
    expect(
      csv.body
        .split('\r\n')
        .slice(1, -1)
        .every((line) => line.includes(',run.started,')),
    ).toBe(true);
  });

  it('never serves a file outside its folder', async () => {
    const sneaky = await get('/..%2Fsecret.txt', { cookie });
    expect(sneaky.body).not.toContain('outside the static folder');
  });
});

describe('the console API over the WebSocket', () => {
  it('answers queries, streams events, and lets a person decide an approval', async () => {
    const opened = await socket({ cookie, origin: `http://127.0.0.1:${server.port}` });
    if (!('ws' in opened)) throw new Error(`refused: ${opened.status}`);
    const ws = opened.ws;
    let next = 1;
    const pending = new Map<number, (reply: { ok: boolean; result?: unknown; error?: unknown }) => void>();
    const streamed: { type: string; runId: string | null }[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'events') streamed.push(...message.events);
      else pending.get(message.id)?.(message);
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
    ws.close();
  });
});

describe('a report download over a large period', () => {
  it('carries the JSONL export its report names, in one .tar.gz with the report', async () => {
    // More events than a report lists inline (5,000), so the report keeps them in a JSONL export.
    await warden.ledger.appendMany(
      Array.from({ length: 5_100 }, (_, i) => logEvent(`bulk ${i}`, 'run-bulk', 'reconciliation')),
    );
    const download = await getBytes('/export?format=html', { cookie });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/gzip');
    expect(download.headers['content-disposition']).toContain('warden-ledger-report.html.tar.gz');
    const out = join(dir, 'unpacked');
    mkdirSync(out);
    writeFileSync(join(out, 'report.tar.gz'), download.body);
    await tar.extract({ file: join(out, 'report.tar.gz'), cwd: out });
    const html = readFileSync(join(out, 'warden-ledger-report.html'), 'utf8');
    const appendix = 'warden-ledger-report.html.events.jsonl';
    expect(html).toContain(appendix);
    const verified = verifyExportFile(join(out, appendix));
    expect([verified.ok, verified.checkpoint]).toEqual([true, 'verified']);
    expect(verified.checked).toBeGreaterThan(5_100);
    // The export a JSONL download gives stays a single file.
    const jsonl = await getBytes('/export?format=jsonl&agentId=reconciliation', { cookie });
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson');
  });
});
