import { mkdirSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DESKTOP_CSP, DESKTOP_CSP_DIRECTIVES } from '../../../src/main/electron/csp.js';
import {
  RENDERER_SCHEME_PRIVILEGES,
  rendererFile,
  serveRenderer,
} from '../../../src/main/electron/renderer-protocol.js';
import {
  RENDERER_INDEX_URL,
  devServerUrl,
  isRendererUrl,
  rendererUrl,
} from '../../../src/main/electron/renderer-url.js';
import { tempDir } from '../../helpers/temp.js';

// A renderer folder with a secret beside it, which no warden:// URL may reach.
const { dir, cleanup } = tempDir('warden-renderer-');
const root = join(dir, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Warden</title>');
writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'not for the window');
afterAll(cleanup);

describe('the warden: protocol', () => {
  it('maps warden://app/ URLs to files of the renderer folder', () => {
    expect(rendererFile(root, 'warden://app/index.html')).toBe(join(root, 'index.html'));
    expect(rendererFile(root, 'warden://app/')).toBe(join(root, 'index.html'));
    expect(rendererFile(root, 'warden://app/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
  });

  it.each([
    ['an encoded slash', 'warden://app/..%2fsecret.txt'],
    ['an encoded backslash', 'warden://app/..%5csecret.txt'],
    ['a doubly deep escape', 'warden://app/assets/..%2f..%2fsecret.txt'],
    ['a NUL', 'warden://app/index.html%00.js'],
    ['an encoding that does not decode', 'warden://app/%E0%A4%A'],
    ['another host', 'warden://elsewhere/index.html'],
    ['another scheme', 'file:///etc/passwd'],
  ])('refuses %s', (_, url) => {
    expect(rendererFile(root, url)).toBeNull();
  });

  it.each([
    ['..', 'warden://app/../secret.txt'],
    ['an encoded ..', 'warden://app/%2e%2e/secret.txt'],
    ['.. past the folder', 'warden://app/assets/../../secret.txt'],
  ])('keeps %s inside the folder (the URL parser removes it)', async (_, url) => {
    expect(rendererFile(root, url)!.startsWith(root + sep)).toBe(true);
    const response = await serveRenderer(root, new Request(url));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not for the window');
  });

  it('serves a file with the desktop CSP, and nothing outside the folder', async () => {
    const page = await serveRenderer(root, new Request('warden://app/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    expect(await page.text()).toContain('<title>Warden</title>');

    const escaped = await serveRenderer(root, new Request('warden://app/..%2fsecret.txt'));
    expect(escaped.status).toBe(404);
    expect(await escaped.text()).not.toContain('not for the window');
    expect((await serveRenderer(root, new Request('warden://app/missing.js'))).status).toBe(404);
    expect((await serveRenderer(root, new Request('warden://app/assets'))).status).toBe(404);
    expect((await serveRenderer(root, new Request('warden://app/index.html', { method: 'POST' }))).status).toBe(405);
  });

  it('is registered standard and secure, and does not bypass the CSP', () => {
    expect(RENDERER_SCHEME_PRIVILEGES.scheme).toBe('warden');
    expect(RENDERER_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(RENDERER_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBeFalsy();
  });
});

describe('the desktop CSP', () => {
  it('has no ws: source, and no wildcard', () => {
    const sources = Object.values(DESKTOP_CSP_DIRECTIVES).flat();
    expect(sources.filter((s) => /^wss?:/i.test(s) || s.includes('*'))).toEqual([]);
    expect(DESKTOP_CSP).not.toMatch(/wss?:/i);
  });

  it("sets object-src, base-uri and form-action to 'none'", () => {
    for (const directive of ['object-src', 'base-uri', 'form-action', 'default-src'])
      expect(DESKTOP_CSP).toContain(`${directive} 'none'`);
  });

  it("lets the page draw a tool result's image from a data: URL it built, and from no other place", () => {
    expect(DESKTOP_CSP_DIRECTIVES['img-src']).toEqual(["'self'", 'data:']);
  });
});

describe('where the window loads the console from', () => {
  it('is the warden: protocol without a dev server', () => {
    expect(rendererUrl(null)).toBe(RENDERER_INDEX_URL);
    expect(RENDERER_INDEX_URL).toBe('warden://app/index.html');
  });

  it('takes a dev server only on loopback http', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBe('http://localhost:5173/');
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' })).toBeNull();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://10.0.0.8:5173' })).toBeNull();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/x.html' })).toBeNull();
    expect(devServerUrl({})).toBeNull();
  });

  it('trusts frames on warden://app only (and the dev server it was given)', () => {
    expect(isRendererUrl('warden://app/index.html', null)).toBe(true);
    expect(isRendererUrl('file:///opt/Warden/resources/app.asar/out/renderer/index.html', null)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1:5173/', null)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1:5173/', 'http://127.0.0.1:5173/')).toBe(true);
    expect(isRendererUrl('warden://other/index.html', null)).toBe(false);
  });
});
