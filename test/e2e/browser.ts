import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** Builds the renderer if it has not been built yet (a fresh clone). */
export function ensureRenderer(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  if (existsSync(join(RENDERER, 'index.html'))) return;
  const built = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`electron-vite build failed: ${built.stderr}`);
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
