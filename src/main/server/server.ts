import { createServer, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { WebSocketServer, type WebSocket } from 'ws';
import { toErrorData } from '../../shared/errors.js';
import { RequestSchema } from '../../shared/api.js';
import type { ExportFilters } from '../../shared/export.js';
import { EXPORT_FORMATS, type ConsoleApi, type ExportFormatName } from '../host/api.js';
import { Door, SESSION_COOKIE } from './auth.js';

/** A running console server. */
export interface ConsoleServer {
  /** The URL to open, with the one-time token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The headless host: serves the built renderer and the console API over a WebSocket, on
 * 127.0.0.1 only. Every request needs the session cookie (traded once for the printed token),
 * a loopback Host header, and, for the WebSocket, this server's own Origin.
 */
export async function startConsoleServer(options: {
  api: ConsoleApi;
  staticDir: string;
  port?: number;
}): Promise<ConsoleServer> {
  let port = 0;
  const door = new Door(() => port);
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  const server = createServer((request, response) => {
    if (!door.hostAllowed(request)) return refuse(response, 403, 'Host not allowed');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const token = url.searchParams.get('token');
    if (token !== null) {
      const session = door.trade(token);
      if (!session)
        return refuse(response, 401, 'This link was already used or is wrong: start warden serve again for a new one.');
      response.writeHead(302, {
        'Set-Cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
        'Cache-Control': 'no-store',
      });
      return response.end();
    }
    if (!door.authenticated(request)) return refuse(response, 401, 'Open the link warden serve printed.');
    if (url.pathname === '/export') {
      return void serveExport(options.api, url, response).catch((error: unknown) => {
        // Nothing here may take the server down; a response already under way is cut short.
        if (response.headersSent) response.destroy();
        else refuse(response, 500, (error as Error).message);
      });
    }
    serveStatic(options.staticDir, url.pathname, response);
  });

  server.on('upgrade', (request, socket, head) => {
    const deny = (code: number, text: string) => {
      socket.end(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!door.hostAllowed(request) || !door.originAllowed(request)) return deny(403, 'Forbidden');
    if (!door.authenticated(request) || new URL(request.url ?? '/', 'http://localhost').pathname !== '/api')
      return deny(401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws, options.api, sockets));
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
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attach(ws: WebSocket, api: ConsoleApi, sockets: Set<WebSocket>): void {
  sockets.add(ws);
  const unsubscribe = api.subscribe((events) => ws.send(JSON.stringify({ type: 'events', events })));
  const unsubscribeText = api.subscribeText((pieces) => ws.send(JSON.stringify({ type: 'text', pieces })));
  ws.on('close', () => {
    sockets.delete(ws);
    unsubscribe();
    unsubscribeText();
  });
  ws.on('message', (data) => {
    let parsed;
    try {
      parsed = RequestSchema.safeParse(JSON.parse(String(data)));
    } catch {
      parsed = null;
    }
    if (!parsed?.success)
      return ws.send(JSON.stringify({ id: -1, ok: false, error: { code: 'E_USAGE', message: 'not a request' } }));
    const { id, method, params } = parsed.data;
    api.call(method, params, 'console').then(
      (result) => ws.send(JSON.stringify({ id, ok: true, result })),
      (error: unknown) => ws.send(JSON.stringify({ id, ok: false, error: toErrorData(error, 'E_INTERNAL') })),
    );
  });
}

const CONTENT_TYPES: Record<ExportFormatName, string> = {
  jsonl: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/**
 * `/export?format=jsonl|csv|html|pdf&agentId=&runId=&type=&from=&to=`: the ledger, or a report
 * on it, as a download.
 */
async function serveExport(api: ConsoleApi, url: URL, response: ServerResponse): Promise<void> {
  const format = url.searchParams.get('format') as ExportFormatName | null;
  if (!format || !EXPORT_FORMATS.includes(format))
    return refuse(response, 400, 'format must be jsonl, csv, html or pdf');
  const dir = mkdtempSync(join(tmpdir(), 'warden-export-'));
  try {
    const filters: ExportFilters = {};
    for (const key of ['agentId', 'runId', 'type', 'from', 'to'] as const) {
      const value = url.searchParams.get(key);
      if (!value) continue;
      if (key !== 'from' && key !== 'to') filters[key] = value;
      else if (Number.isNaN(Date.parse(value))) return refuse(response, 400, `${key} must be an ISO-8601 time`);
      else filters[key] = new Date(value).toISOString();
    }
    const report = format === 'html' || format === 'pdf';
    const name = `${report ? 'warden-ledger-report' : 'warden-ledger'}.${format}`;
    let written: string[];
    try {
      written = await api.exportTo(join(dir, name), format, filters);
    } catch (error) {
      return refuse(response, 400, (error as Error).message);
    }
    // A report over a large period keeps its events in JSONL exports beside it: one download
    // carries them all, so the report never names a file the auditor did not get.
    const bundle = written.length > 1;
    response.writeHead(200, {
      'Content-Type': bundle ? 'application/gzip' : CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename="${bundle ? `${name}.tar.gz` : name}"`,
      'Cache-Control': 'no-store',
    });
    const source: AsyncIterable<Buffer> = bundle
      ? tar.create(
          { gzip: true, cwd: dir, portable: true },
          written.map((path) => basename(path)),
        )
      : createReadStream(written[0]!);
    // A browser that goes away mid-download ends the response; nothing else is owed to it.
    await pipeline(source, response).catch(() => undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function serveStatic(root: string, pathname: string, response: ServerResponse): void {
  const headers = {
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
  const file = normalize(join(root, decodeURIComponent(pathname)));
  const inside = file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
  const target = inside && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
  if (!existsSync(target)) {
    response.writeHead(503, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    return void response.end('The console is not built yet: run npm run build, then start warden serve again.\n');
  }
  response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream' });
  response.end(readFileSync(target));
}

function refuse(response: ServerResponse, code: number, text: string): void {
  response.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${text}\n`);
}
