import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { ROOT } from '../cli/helpers.js';

// The production build, as `npm run build` makes it, into a folder of this test's own.
const { dir: out, cleanup } = tempDir('warden-build-');
let main = '';
let worker = '';
let page = '';

beforeAll(async () => {
  const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [cli, 'build', '--outDir', out], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`electron-vite build failed: ${stderr}`);
  main = readFileSync(join(out, 'main', 'index.js'), 'utf8');
  worker = readFileSync(join(out, 'main', 'worker.js'), 'utf8');
  page = readFileSync(join(out, 'renderer', 'index.html'), 'utf8');
}, 300_000);
afterAll(cleanup);

/** The directives of the built page's meta CSP, by name. */
function metaCsp(html: string): Map<string, string[]> {
  const content = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  if (!content) throw new Error('the built page has no CSP');
  return new Map(
    content.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('the production build of the desktop app', () => {
  it('never reads ELECTRON_RENDERER_URL, and loads the console from warden://app', () => {
    expect(main).not.toContain('ELECTRON_RENDERER_URL');
    expect(main).toContain('warden://app/index.html');
    expect(main).not.toMatch(/\.loadFile\(/);
  });

  it('registers the warden: scheme as privileged before the app is ready, and handles it once ready', () => {
    const registered = main.indexOf('protocol.registerSchemesAsPrivileged(');
    const ready = main.indexOf('app.whenReady()');
    expect(registered).toBeGreaterThan(-1);
    expect(registered).toBeLessThan(ready);
    expect(main).toMatch(/protocol\.handle\(/);
  });

  it('installs permission request, check and device handlers', () => {
    for (const handler of ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler'])
      expect(main).toContain(`.${handler}(`);
  });

  it('starts sandbox workers as utility processes, and the worker answers over parentPort', () => {
    expect(main).toContain('utilityProcess.fork(');
    expect(worker).toContain('parentPort');
  });

  it('ships a page whose CSP has no ws: source and closes object, base and form', () => {
    const csp = metaCsp(page);
    const sources = [...csp.values()].flat();
    expect(sources.filter((s) => /^wss?:/i.test(s))).toEqual([]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });
});
