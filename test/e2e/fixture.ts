import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll } from 'vitest';
import { consoleApi, type ConsoleApi } from '../../src/main/host/api/index.js';
import type { Warden } from '../../src/main/host/warden.js';
import { startConsoleServer, type ConsoleServer } from '../../src/main/server/server.js';
import { useTempDirs } from '../main/cli/helpers.js';
import { ensureRenderer, openConsole, RENDERER } from './browser.js';

/**
 * How long opening the console may take. A fresh clone builds the renderer first, and a loaded
 * two-core machine is slow at that and at starting Chromium; the bound only catches a wedge.
 */
const OPEN_MS = 300_000;
const CLOSE_MS = 60_000;

/** What a file's setup gets to open its Warden with. */
export interface ConsoleSetup {
  /** A fresh temp folder, removed once the file's tests are done. */
  tempDir(prefix: string): string;
  /** Runs `close` once Chromium, the server and the Warden have closed (the last added runs first). */
  onClose(close: () => unknown): void;
}

/** The console a file's tests drive: a Warden, its console API, the server in front of it, and Chromium on it. */
export interface ConsoleUi {
  readonly warden: Warden;
  readonly api: ConsoleApi;
  readonly server: ConsoleServer;
  /** The link warden serve prints, with the session key the page takes on its first load. */
  readonly url: string;
  readonly browser: Browser;
  /** The console's page, connected. */
  readonly page: Page;
}

/** The console once it is served, before Chromium opens it. */
export type ServedConsole = Pick<ConsoleUi, 'warden' | 'api' | 'server' | 'url'>;

/** What a file may ask of its console besides the Warden it opens. */
export interface ConsoleOptions {
  /** The browser window's size. */
  viewport?: { width: number; height: number };
  /** A step between serving and opening the page, e.g. tasks that must be in the ledger when the page loads. */
  beforeOpen?: (ui: ServedConsole) => Promise<void>;
}

interface Parts {
  warden?: Warden;
  api?: ConsoleApi;
  server?: ConsoleServer;
  browser?: Browser;
  page?: Page;
}

/**
 * Serves the console over the Warden `open` returns and opens it in Chromium before the file's
 * tests, and closes it all after them. Call it once, at the top of an e2e file; the parts are
 * there from the tests (and from any `beforeAll` the file adds after this call) on.
 */
export function useConsole(open: (setup: ConsoleSetup) => Promise<Warden>, options: ConsoleOptions = {}): ConsoleUi {
  const temp = useTempDirs();
  const closers: (() => unknown)[] = [];
  const parts: Parts = {};

  beforeAll(async () => {
    ensureRenderer();
    parts.warden = await open({ tempDir: (prefix) => temp.make(prefix), onClose: (close) => closers.push(close) });
    parts.api = consoleApi(parts.warden);
    parts.server = await startConsoleServer({ api: parts.api, staticDir: RENDERER });
    await options.beforeOpen?.(ui);
    ({ browser: parts.browser, page: parts.page } = await openConsole(parts.server.url, options.viewport));
  }, OPEN_MS);

  afterAll(async () => {
    // Browser first and Warden last, each only if it opened: a setup that failed half-way closes the rest.
    await parts.browser?.close();
    await parts.server?.close();
    parts.api?.close();
    await parts.warden?.close();
    for (const close of closers.splice(0).reverse()) await close();
    temp.cleanup();
  }, CLOSE_MS);

  // A test that reaches a part its setup never opened fails with this rather than on `undefined`.
  const part = <K extends keyof Parts>(name: K): NonNullable<Parts[K]> => {
    const value = parts[name];
    if (value === undefined)
      throw new Error(`the console's ${name} is not open: useConsole's setup has not run or failed`);
    return value as NonNullable<Parts[K]>;
  };
  const ui: ConsoleUi = {
    get warden() {
      return part('warden');
    },
    get api() {
      return part('api');
    },
    get server() {
      return part('server');
    },
    get url() {
      return part('server').url;
    },
    get browser() {
      return part('browser');
    },
    get page() {
      return part('page');
    },
  };
  return ui;
}
