import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONSOLE_PROTOCOL, KEY_FRAGMENT, TICKET_PARAM } from '../../shared/serve.js';
import type { ConsoleApi } from '../host/api/index.js';
import { COOKIE_ATTRIBUTES, Door, SESSION_COOKIE } from './auth.js';
import { serveExport } from './export.js';
import { METHODS, refuse, requestTarget } from './requests.js';
import { attachApi } from './socket.js';
import { serveStatic } from './static.js';

/** A running console server. */
export interface ConsoleServer {
  /** The URL to open, with the one-time token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The largest WebSocket message the API takes; a bigger one closes the socket with 1009. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * The paths that read the ledger, and what each needs beyond the session cookie: the API's
 * WebSocket wants the page's key, a download a one-use ticket the page got with that key.
 * Every other path is a static file of the renderer.
 */
export const LEDGER_PATHS = { '/api': 'key', '/export': 'ticket' } as const;

/**
 * The headless host: serves the built renderer and the console API over a WebSocket, on
 * 127.0.0.1 only. Every request needs a loopback Host and the session cookie (traded once for
 * the printed token), and an HTTP request the browser's word that it is the console's own
 * (`Sec-Fetch-Site`); what reads the ledger also needs the page's key (see {@link Door}), and
 * the WebSocket this server's own Origin. No request can end the process: each is answered
 * with a status or a close code.
 */
export async function startConsoleServer(options: {
  api: ConsoleApi;
  staticDir: string;
  port?: number;
}): Promise<ConsoleServer> {
  let port = 0;
  const door = new Door(() => port);
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // The key travels as a second subprotocol; the answer names only the console's own.
    handleProtocols: () => CONSOLE_PROTOCOL,
  });

  const server = createServer((request, response) => {
    // A connection reset mid-request is the client's business, never the process's.
    request.on('error', () => request.destroy());
    response.on('error', () => response.destroy());
    try {
      answer(request, response);
    } catch (error) {
      // Every path above is meant to answer for itself; one that throws is a bug in Warden,
      // owed a 500 to this request only.
      refuse(response, 500, `warden serve could not answer: ${(error as Error).message}`);
    }
  });

  const answer = (request: IncomingMessage, response: ServerResponse): void => {
    if (!door.hostAllowed(request)) return refuse(response, 403, 'Host not allowed');
    if (!METHODS.includes(request.method ?? ''))
      return refuse(response, 405, 'Only GET and HEAD are answered here.', { Allow: METHODS.join(', ') });
    const target = requestTarget(request.url);
    if (!target) return refuse(response, 400, 'The request target is not a path.');
    const token = target.query.get('token');
    if (token !== null) {
      const credentials = door.trade(token);
      if (!credentials) {
        // The printed link opened again by the browser that used it: its session goes on.
        if (door.session(request) && door.ownFetch(request))
          return void response.writeHead(302, { Location: '/', 'Cache-Control': 'no-store' }).end();
        return refuse(
          response,
          401,
          'This link was already used or is wrong: open the console in the browser that used it, or start warden serve again for a new one.',
        );
      }
      // The key goes in the fragment: the page reads it and keeps it, and no request carries it.
      response.writeHead(302, {
        'Set-Cookie': `${SESSION_COOKIE}=${credentials.cookie}; ${COOKIE_ATTRIBUTES}`,
        Location: `/#${KEY_FRAGMENT}=${credentials.key}`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      return void response.end();
    }
    const session = door.session(request);
    if (!session) return refuse(response, 401, 'Open the link warden serve printed.');
    // The cookie reaches every local port the browser visits: only this console's own pages
    // (and the person, typing or following a bookmark) may use it.
    if (!door.ownFetch(request)) return refuse(response, 403, 'Only the console’s own pages may ask for this.');
    if (target.pathname === '/export') {
      // A download is started by a link, which sends no Origin on the same origin; a request
      // that names another origin is someone else's page.
      if (request.headers.origin !== undefined && !door.originAllowed(request))
        return refuse(response, 403, 'Origin not allowed');
      const ticket = target.query.get(TICKET_PARAM);
      if (!ticket || !door.redeem(session, ticket))
        return refuse(response, 401, 'A download needs a ticket from the open console: start it from the Ledger view.');
      return void serveExport(options.api, target.query, response).catch((error: unknown) => {
        refuse(response, 500, (error as Error).message);
      });
    }
    serveStatic(options.staticDir, target.pathname, response);
  };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Until ws takes the socket over, its errors are ours to catch.
    socket.on('error', () => socket.destroy());
    const deny = (code: number, text: string) => {
      socket.end(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!door.hostAllowed(request) || !door.originAllowed(request)) return deny(403, 'Forbidden');
    if (requestTarget(request.url)?.pathname !== '/api') return deny(404, 'Not Found');
    const issueTicket = door.keyHolder(request);
    if (!issueTicket) return deny(401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => attachApi(ws, options.api, issueTicket, sockets));
  });

  // A request line or headers Node cannot parse (or a socket error before a request): a 4xx
  // when a response can still be written, else the connection is dropped. Never a crash.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || socket.bytesWritten > 0 || error.code === 'ECONNRESET') return void socket.destroy();
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${door.startToken}`,
    port,
    async close() {
      // Sessions live in memory only: none outlives the server.
      door.close();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
