import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { ROOT } from '../main/cli/helpers.js';

/** Debian's Chromium: Playwright's own browsers cannot be downloaded here. */
export const CHROMIUM = '/usr/bin/chromium';
/** The built renderer that warden serve sends. */
export const RENDERER = join(ROOT, 'out', 'renderer');
const SHOTS = join(ROOT, 'docs', 'screenshots');
/** `npm run screenshots` refreshes docs/screenshots; a plain test run leaves them alone. */
const SAVE = process.env.WARDEN_SCREENSHOTS === '1';

/** The sources the renderer is built from. */
const RENDERER_SOURCES = ['src/renderer', 'src/shared'].map((dir) => join(ROOT, dir));

/** The newest modification time of any file under these folders, ms. */
function newestChange(dirs: string[]): number {
  let newest = 0;
  for (const dir of dirs)
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  return newest;
}

/** Whether the built renderer is there and newer than every source it is built from. */
function rendererIsFresh(): boolean {
  const page = join(RENDERER, 'index.html');
  return existsSync(page) && statSync(page).mtimeMs >= newestChange(RENDERER_SOURCES);
}

/** A lock older than this is left from a build that died: taken over. */
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Builds the renderer if it has not been built yet (a fresh clone), or its sources changed
 * since. Test files run in parallel workers: one builds under a lock file, the others wait.
 */
export function ensureRenderer(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  if (rendererIsFresh()) return;
  // Outside out/, which the build empties; one lock per checkout.
  const lock = join(tmpdir(), `warden-renderer-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (rendererIsFresh()) return;
    const built = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (built.status !== 0) throw new Error(`electron-vite build failed: ${built.stderr}`);
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Chromium headless with the flags this machine needs, on a page at `url` once it is connected. */
export async function openConsole(
  url: string,
  viewport = { width: 1400, height: 860 },
): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // A context of its own, so a test can open more tabs that share its cookies.
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('text=connected');
  return { browser, page };
}

/** Saves a screenshot to docs/screenshots when `npm run screenshots` asked for them. */
export async function shoot(page: Page, name: string): Promise<void> {
  if (SAVE) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}
