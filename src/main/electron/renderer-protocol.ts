import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { DESKTOP_CSP } from './csp.js';
import { RENDERER_HOST, RENDERER_SCHEME } from './renderer-url.js';

/**
 * How the scheme is registered before the app is ready: standard (relative URLs and storage
 * work as on http), secure (the page is a secure context), and fetch for module scripts.
 * Not bypassCSP: the policy the handler sends must hold.
 */
export const RENDERER_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: RENDERER_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/**
 * The file of the renderer's folder that `url` names, or null for anything that is not a
 * warden://app/ URL or that would leave the folder (`..`, encoded separators, NUL).
 */
export function rendererFile(rendererDir: string, url: string): string | null {
  let parsed: URL;
  let path: string;
  try {
    parsed = new URL(url);
    // Decoded here, so %2e%2e%2f and %5c are judged as the separators they spell.
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${RENDERER_SCHEME}:` || parsed.host !== RENDERER_HOST) return null;
  if (path.includes('\0') || path.includes('\\')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return file;
}

/**
 * Answers one request of the warden: protocol from the renderer's folder, with the desktop's
 * CSP. Anything outside the folder, missing, or not a read is refused without saying more.
 */
export async function serveRenderer(rendererDir: string, request: Request): Promise<Response> {
  const headers = {
    'Content-Security-Policy': DESKTOP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers });
  const file = rendererFile(rendererDir, request.url);
  const found = file ? await stat(file).catch(() => null) : null;
  if (!file || !found?.isFile()) return new Response(null, { status: 404, headers });
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const body = request.method === 'HEAD' ? null : await readFile(file);
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': type } });
}
