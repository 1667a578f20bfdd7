import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WardenOptions } from '../../../src/main/host/warden.js';

// Electron cannot start here: the main process runs against a stand-in of the electron module
// that records what it is asked, so its wiring (what happens before ready, what the window
// loads, who may call the API, how workers start) is checked without a window.
const fake = vi.hoisted(() => {
  const log: string[] = [];
  let markReady!: () => void;
  let markLoaded!: (url: string) => void;
  const state = {
    log,
    ready: new Promise<void>((resolve) => (markReady = resolve)),
    loaded: new Promise<string>((resolve) => (markLoaded = resolve)),
    markReady: () => markReady(),
    schemes: [] as unknown[],
    protocols: new Map<string, (request: Request) => Promise<Response>>(),
    permissions: {} as Record<string, (...args: never[]) => unknown>,
    ipc: new Map<string, (...args: unknown[]) => Promise<unknown>>(),
    windows: [] as { options: unknown; webContents: { mainFrame: object } }[],
    forks: [] as unknown[][],
    wardenOptions: null as WardenOptions | null,
    /** The console API's push listener the main process subscribed, and what the window was sent. */
    pushTo: null as ((push: unknown) => void) | null,
    sent: [] as unknown[][],
  };
  class BrowserWindow {
    webContents = {
      mainFrame: {},
      setWindowOpenHandler() {},
      on() {},
      send: (...args: unknown[]) => void state.sent.push(args),
    };
    constructor(readonly options: unknown) {
      state.windows.push(this);
    }
    loadURL(url: string) {
      log.push(`load ${url}`);
      markLoaded(url);
      return Promise.resolve();
    }
    static getAllWindows() {
      return state.windows;
    }
  }
  const electron = {
    app: {
      getAppPath: () => '/nowhere',
      whenReady: () => state.ready.then(() => void log.push('ready')),
      on() {},
      quit() {},
    },
    protocol: {
      registerSchemesAsPrivileged(schemes: unknown[]) {
        log.push('register schemes');
        state.schemes.push(...schemes);
      },
      handle(scheme: string, handler: (request: Request) => Promise<Response>) {
        log.push(`handle ${scheme}`);
        state.protocols.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: never) => (state.permissions.request = h),
        setPermissionCheckHandler: (h: never) => (state.permissions.check = h),
        setDevicePermissionHandler: (h: never) => (state.permissions.device = h),
      },
    },
    ipcMain: { handle: (channel: string, h: never) => state.ipc.set(channel, h) },
    utilityProcess: { fork: (...args: unknown[]) => (state.forks.push(args), { on() {}, pid: 1, stderr: null }) },
    safeStorage: { isEncryptionAvailable: () => false },
    dialog: { showErrorBox: (title: string, message: string) => log.push(`error ${title}: ${message}`) },
    shell: {},
    BrowserWindow,
  };
  return { state, electron };
});

vi.mock('electron', () => fake.electron);
vi.mock('../../../src/main/host/warden.js', () => ({
  openWarden: async (options: WardenOptions) => {
    fake.state.wardenOptions = options;
    return { close: async () => undefined };
  },
}));
vi.mock('../../../src/main/host/api/index.js', () => ({
  EXPORT_FORMATS: ['jsonl', 'csv', 'html', 'pdf'],
  consoleApi: () => ({
    call: async () => 'answered',
    subscribe: (listener: (push: unknown) => void) => (fake.state.pushTo = listener),
    close() {},
  }),
}));
vi.mock('../../../src/main/host/provider-keys.js', () => ({
  ProviderKeyStore: class {
    sealPlainText() {}
  },
}));

afterEach(() => vi.unstubAllEnvs());

/** Starts the main process as a production build with a dev server URL in its environment. */
async function startProduction(): Promise<void> {
  vi.stubEnv('DEV', false);
  vi.stubEnv('ELECTRON_RENDERER_URL', 'http://127.0.0.1:5173');
  vi.stubEnv('WARDEN_DATA_DIR', '/nowhere/data');
  await import('../../../src/main/electron/index.js');
  expect(fake.state.log).toEqual(['register schemes']);
  fake.state.markReady();
  await fake.state.loaded;
}

describe('the desktop main process', () => {
  it('is wired as a production build must be', async () => {
    await startProduction();
    const { state } = fake;

    // The scheme is privileged before ready, and served once ready, before the window loads.
    expect(state.schemes).toEqual([expect.objectContaining({ scheme: 'warden' })]);
    expect(state.log.slice(0, 3)).toEqual(['register schemes', 'ready', 'handle warden']);

    // A production build loads warden://app, whatever ELECTRON_RENDERER_URL says.
    expect(state.log.at(-1)).toBe('load warden://app/index.html');
    expect(state.windows[0]!.options).toMatchObject({
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });

    // Permissions: every request and check denied, the console's own page included.
    const answers: boolean[] = [];
    state.permissions.request!(
      {} as never,
      'media' as never,
      ((granted: boolean) => answers.push(granted)) as never,
      {
        requestingUrl: 'warden://app/index.html',
      } as never,
    );
    expect(answers).toEqual([false]);
    expect(state.permissions.check!(null as never, 'clipboard-read' as never, 'warden://app' as never)).toBe(false);

    // The protocol handler serves nothing outside the renderer's folder.
    const escaped = await state.protocols.get('warden')!(new Request('warden://app/..%2f..%2fpackage.json'));
    expect(escaped.status).toBe(404);

    // Sandbox workers start as utility processes, without an IPC file descriptor.
    const startWorker = state.wardenOptions!.startWorker!;
    startWorker('/app/out/main/worker.js', []);
    expect(state.forks).toEqual([
      ['/app/out/main/worker.js', [], expect.objectContaining({ stdio: ['ignore', 'ignore', 'pipe'], execArgv: [] })],
    ]);

    // Only the window's main frame on warden://app may call the console API.
    const call = state.ipc.get('warden:call')!;
    const window = state.windows[0]!;
    const from = (url: string) => ({
      sender: window.webContents,
      senderFrame: Object.assign(window.webContents.mainFrame, { url }),
    });
    expect(await call(from('warden://app/index.html'), 'roster.list', {})).toEqual({ ok: true, value: 'answered' });
    for (const url of ['file:///opt/warden/out/renderer/index.html', 'http://127.0.0.1:5173/'])
      expect(await call(from(url), 'roster.list', {})).toMatchObject({ ok: false, code: 'E_FORBIDDEN' });

    // Every push, events and text alike, goes to the window on the one warden:push channel, as it is.
    const text = { type: 'text', pieces: [{ runId: 'run-1', agentId: 'intake', callId: 'c-1', text: 'Hi' }] };
    state.pushTo!({ type: 'events', events: [] });
    state.pushTo!(text);
    expect(state.sent).toEqual([
      ['warden:push', { type: 'events', events: [] }],
      ['warden:push', text],
    ]);
  }, 60_000);
});
