import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { consoleApi, type ConsoleApi } from '../../../src/main/host/api/index.js';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import { LEDGER_PATHS, startConsoleServer, type ConsoleServer } from '../../../src/main/server/server.js';
import { tempDir } from '../../helpers/temp.js';
import {
  callApi,
  exportTicket,
  httpRequest,
  openApi,
  pageSocket,
  protocolsFor,
  tradeToken,
  type Session,
} from './session.js';

// The session cookie reaches any server on 127.0.0.1 the browser visits (cookies are not
// isolated by port), so whoever runs one can replay it, Origin forged to match. With a
// $4,200 approval waiting, such a replay must reach nothing that reads the ledger.

let cleanup: () => void;
let warden: Warden;
let api: ConsoleApi;
let server: ConsoleServer;
let session: Session;
let page: WebSocket;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>Warden</title>');
  warden = await openWarden({ rosterDir: 'resources/demo', dataDir: join(dir, 'data'), pollMs: 20 });
  api = consoleApi(warden);
  server = await startConsoleServer({ api, staticDir: join(dir, 'static') });
  session = await tradeToken(server.port, server.url);
  page = await pageSocket(server.port, session);
  const input = { kind: 'pay-invoice', invoiceId: 'INV-1002', payee: 'contoso-logistics', amountUsd: 4200 };
  expect(await callApi(page, 'task.start', { agentId: 'reconciliation', input })).toMatchObject({ ok: true });
  for (let i = 0; i < 400 && warden.approvals.pending().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
}, 60_000);

afterAll(async () => {
  page?.close();
  await server?.close();
  api?.close();
  await warden?.close();
  cleanup();
});

/** The replay: the cookie, this server's own Origin and Host, as a script outside a browser sends them. */
const replayHeaders = () => ({ cookie: session.cookie, origin: `http://127.0.0.1:${server.port}` });

describe('the console credential in warden serve', () => {
  it('lets the page that traded the token list the waiting approval', async () => {
    const listed = await callApi(page, 'approvals.list');
    expect(listed.result).toEqual([expect.objectContaining({ amountUsd: 4200 })]);
  });

  it('refuses a replay of the cookie with a forged Origin on the API socket: 401', async () => {
    expect(await openApi(server.port, { headers: replayHeaders() })).toEqual({ status: 401 });
    expect(await openApi(server.port, { headers: replayHeaders(), protocols: ['warden'] })).toEqual({ status: 401 });
  });

  it('refuses a key that is not the session’s, or a key without the cookie', async () => {
    const wrong = protocolsFor('A'.repeat(43));
    expect(await openApi(server.port, { headers: replayHeaders(), protocols: wrong })).toEqual({ status: 401 });
    const keyOnly = { origin: replayHeaders().origin };
    expect(await openApi(server.port, { headers: keyOnly, protocols: protocolsFor(session.key) })).toEqual({
      status: 401,
    });
  });

  it('refuses a download to the cookie alone, and to a guessed or reused ticket', async () => {
    expect((await httpRequest(server.port, '/export?format=jsonl', replayHeaders())).status).toBe(401);
    const asTicket = await httpRequest(server.port, `/export?format=jsonl&ticket=${session.key}`, replayHeaders());
    expect(asTicket.status).toBe(401);
    const ticket = await exportTicket(page);
    const first = await httpRequest(server.port, `/export?format=jsonl&ticket=${ticket}`, { cookie: session.cookie });
    expect(first.status).toBe(200);
    expect(first.text).toContain('approval.requested');
    const again = await httpRequest(server.port, `/export?format=jsonl&ticket=${ticket}`, { cookie: session.cookie });
    expect(again.status).toBe(401);
  });

  it('refuses a download whose Origin is another page, ticket or not: 403', async () => {
    const ticket = await exportTicket(page);
    const foreign = await httpRequest(server.port, `/export?format=jsonl&ticket=${ticket}`, {
      cookie: session.cookie,
      origin: 'http://127.0.0.1:9',
    });
    expect(foreign.status).toBe(403);
  });

  it('keeps every path that reads the ledger from a replay of the cookie', async () => {
    expect(Object.keys(LEDGER_PATHS).sort()).toEqual(['/api', '/export']);
    for (const path of Object.keys(LEDGER_PATHS)) {
      // Over HTTP: a refusal, or the page itself, never events.
      const plain = await httpRequest(server.port, `${path}?format=jsonl`, replayHeaders());
      expect(plain.text).not.toContain('approval.requested');
      expect(plain.status === 401 || plain.text.includes('<title>Warden</title>')).toBe(true);
      // As a WebSocket: refused before it opens.
      const upgraded = await openApi(server.port, { headers: replayHeaders(), protocols: ['warden'], path });
      expect(upgraded).toEqual({ status: path === '/api' ? 401 : 404 });
    }
  });
});
