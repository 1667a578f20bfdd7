import { request } from 'node:http';
import WebSocket from 'ws';
import { CONSOLE_PROTOCOL, KEY_FRAGMENT, KEY_PROTOCOL_PREFIX, TICKET_METHOD } from '../../../src/shared/serve.js';

// A console session from outside a browser, the way the page holds one: the cookie the token
// trade sets and the key in the fragment it redirects to.

/** What an HTTP request to the server got back. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/**
 * A plain request (GET unless told) with a loopback Host header, and `Sec-Fetch-Site` as the
 * console's own page sends it, unless given (a header given as undefined is left out).
 */
export function httpRequest(
  port: number,
  path: string,
  headers: Record<string, string | undefined> = {},
  method = 'GET',
): Promise<Reply> {
  const sent = Object.fromEntries(
    Object.entries({ host: `127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin', ...headers }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: sent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString() });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The page's credentials: the cookie (static files) and the key (the API). */
export interface Session {
  cookie: string;
  key: string;
}

/** Trades the printed link's token as a browser would, and keeps what the page would keep. */
export async function tradeToken(port: number, url: string): Promise<Session> {
  const token = new URL(url).searchParams.get('token')!;
  const traded = await httpRequest(port, `/?token=${token}`);
  if (traded.status !== 302) throw new Error(`the token trade answered ${traded.status}: ${traded.text}`);
  const cookie = String(traded.headers['set-cookie']).split(';')[0]!;
  const fragment = new URL(String(traded.headers.location), url).hash.slice(1);
  const key = new URLSearchParams(fragment).get(KEY_FRAGMENT) ?? '';
  return { cookie, key };
}

/** The subprotocols the page offers: the console's, and the one carrying its key. */
export function protocolsFor(key: string): string[] {
  return [CONSOLE_PROTOCOL, `${KEY_PROTOCOL_PREFIX}${key}`];
}

/** Opens the API's WebSocket (or one at another path); resolves with it, or with the status of the refusal. */
export function openApi(
  port: number,
  options: { headers?: Record<string, string>; protocols?: string[]; path?: string },
): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/api'}`, options.protocols ?? [], {
      headers: options.headers ?? {},
    });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => undefined);
  });
}

/** The API's WebSocket as the page opens it: cookie, this server's Origin, and the key. */
export async function pageSocket(port: number, session: Session): Promise<WebSocket> {
  const opened = await openApi(port, {
    headers: { cookie: session.cookie, origin: `http://127.0.0.1:${port}` },
    protocols: protocolsFor(session.key),
  });
  if (!('ws' in opened)) throw new Error(`the API refused the page's own socket: ${opened.status}`);
  return opened.ws;
}

/** A reply on the API's WebSocket. */
export interface ApiReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

/** Sends one request on an open API socket and waits for its reply. */
export function callApi(ws: WebSocket, method: string, params: unknown = {}): Promise<ApiReply> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as ApiReply & { type?: string };
      if (message.type !== undefined || message.id !== id) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, params }));
  });
}

/** A one-use `/export` ticket, asked for over the API's WebSocket. */
export async function exportTicket(ws: WebSocket): Promise<string> {
  const reply = await callApi(ws, TICKET_METHOD);
  if (!reply.ok) throw new Error(`no ticket: ${reply.error?.message}`);
  return (reply.result as { ticket: string }).ticket;
}
