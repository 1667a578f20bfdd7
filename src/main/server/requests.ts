import type { ServerResponse } from 'node:http';

// Reading a request's target without trusting it: every function here answers for any bytes a
// client can send, so no request can throw its way out of the handler and end the process.

/** A request target the server can act on. */
export interface Target {
  /** The path as sent (still percent-encoded), for routing. */
  pathname: string;
  query: URLSearchParams;
}

/**
 * The path and query of an origin-form request target (`/path?query`), or null for anything
 * else: `*`, an absolute URL, or bytes `URL` cannot parse. `//x` is a path here, never a host.
 */
export function requestTarget(raw: string | undefined): Target | null {
  if (raw === undefined || !raw.startsWith('/')) return null;
  try {
    // Prefixed with an origin, not resolved against one: `new URL('//x', base)` would read
    // `x` as a host (or throw on `//`), where the client meant a path.
    const url = new URL(`http://warden.invalid${raw}`);
    return { pathname: url.pathname, query: url.searchParams };
  } catch {
    return null;
  }
}

/** A percent-encoded path decoded, or null when it does not decode or holds a NUL byte. */
export function decodePath(pathname: string): string | null {
  try {
    const decoded = decodeURIComponent(pathname);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/** The methods the console's HTTP side answers; anything else is a 405. */
export const METHODS = ['GET', 'HEAD'];

/** Ends a response with a status and one line of text (never cached). */
export function refuse(response: ServerResponse, code: number, text: string, headers: Record<string, string> = {}) {
  if (response.headersSent) return void response.destroy();
  response.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(`${text}\n`);
}
