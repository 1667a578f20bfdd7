import type { ServerResponse } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { decodePath, refuse } from './requests.js';

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
 * Serves a file of the built renderer, confined to its folder; any other path is the page
 * (index.html), so the console's own routes load. Nothing here reads the ledger.
 */
export function serveStatic(root: string, pathname: string, response: ServerResponse): void {
  const headers = {
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
  const path = decodePath(pathname);
  if (path === null) return refuse(response, 400, 'The path is not a valid URL path.');
  const file = normalize(join(root, path));
  const inside = file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
  const target = inside && isFile(file) ? file : join(root, 'index.html');
  if (!isFile(target)) {
    response.writeHead(503, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    return void response.end('The console is not built yet: run npm run build, then start warden serve again.\n');
  }
  response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream' });
  response.end(readFileSync(target));
}

/** Whether a path is a regular file; a name the file system refuses (too long, say) is not one. */
function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}
