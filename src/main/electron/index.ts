/**
 * The Electron shell: one window on the renderer, locked down the way Electron's security
 * checklist asks, and the console API bound to IPC. The only file in src/main that imports
 * `electron`; everything it serves comes from the same core as `warden serve`.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
  type IpcMainInvokeEvent,
} from 'electron';
import type { KeyWrapper } from '../audit/keys.js';
import { join } from 'node:path';
import { toErrorData } from '../../shared/errors.js';
import { ExportFiltersSchema } from '../../shared/export.js';
import { EXPORT_FORMATS, consoleApi, type ConsoleApi, type ExportFormatName } from '../host/api/index.js';
import { defaultDataDir } from '../host/data-dir.js';
import { ProviderKeyStore } from '../host/provider-keys.js';
import { openWarden, type Warden } from '../host/warden.js';
import { denyUnusedPermissions } from './permissions.js';
import { RENDERER_SCHEME_PRIVILEGES, serveRenderer } from './renderer-protocol.js';
import { RENDERER_SCHEME, devServerUrl, isRendererUrl, rendererUrl } from './renderer-url.js';
import { utilityWorker } from './utility-worker.js';

/** Links that may open in the user's browser; everything else is refused. */
const EXTERNAL_ALLOW = [/^https:\/\/modelcontextprotocol\.io\//];

/** The roster the desktop app opens: WARDEN_ROSTER, or the bundled demo. */
const ROSTER = process.env.WARDEN_ROSTER ?? join(app.getAppPath(), 'resources', 'demo');

/**
 * electron-vite's dev server, asked for only in a development build: the condition is a constant
 * of the bundle, so a production build has no code that reads where to load the console from.
 */
const DEV_SERVER = import.meta.env.DEV ? devServerUrl(process.env) : null;

// Before ready, or the scheme behaves like file:// (no relative URLs, no storage, not secure).
protocol.registerSchemesAsPrivileged([RENDERER_SCHEME_PRIVILEGES]);

let window: BrowserWindow | null = null;
let warden: Warden | null = null;
let api: ConsoleApi | null = null;

/** Only our own renderer may call: the main frame of our window, on warden://app (or the dev server in dev). */
function trusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!window || event.sender !== window.webContents || !frame || frame !== window.webContents.mainFrame) return false;
  return isRendererUrl(frame.url, DEV_SERVER);
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Warden',
    backgroundColor: '#0f1115',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (EXTERNAL_ALLOW.some((re) => re.test(url))) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  void window.loadURL(rendererUrl(DEV_SERVER));
}

/** Denies the permissions the console does not use, and serves the renderer's folder on warden://. */
function lockDown(): void {
  denyUnusedPermissions(session.defaultSession);
  const rendererDir = join(__dirname, '../renderer');
  protocol.handle(RENDERER_SCHEME, (request) => serveRenderer(rendererDir, request));
}

/**
 * Seals the checkpoint-signing key and provider API keys with the OS keychain through
 * safeStorage. Where the only backend is Chromium's plain-text one (a Linux desktop without a
 * keyring), sealing would be a pretence: the signing key stays a file only its owner can read,
 * as in serve mode, and a provider key is stored only if the person agrees to plain text.
 */
function keychainWrapper(): KeyWrapper | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  return {
    name: 'the OS keychain',
    seal: (secret) => safeStorage.encryptString(secret.toString('utf8')),
    open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'utf8'),
  };
}

void app.whenReady().then(async () => {
  try {
    lockDown();
    await start();
  } catch (error) {
    // A roster that does not load or a damaged key store: say what, rather than show no window.
    dialog.showErrorBox('Warden could not start', toErrorData(error, 'E_INTERNAL').message);
    app.quit();
  }
});

/** Opens the roster and its data folder, binds the console API to IPC, and opens the window. */
async function start(): Promise<void> {
  const keyWrapper = keychainWrapper();
  const dataDir = process.env.WARDEN_DATA_DIR ?? defaultDataDir();
  const keyStore = new ProviderKeyStore(dataDir, keyWrapper);
  // Keys kept as plain text while there was no keychain are sealed now that there is one.
  keyStore.sealPlainText();
  warden = await openWarden({
    rosterDir: ROSTER,
    dataDir,
    workers: 2,
    // Utility processes, not child_process.fork: that would need the RunAsNode fuse on.
    startWorker: utilityWorker((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)),
    // Provider keys entered in the console, sealed by the same keychain; a roster whose keys
    // are not entered yet still opens, and its agents wait for them.
    keyStore,
    ...(keyWrapper ? { keyWrapper } : {}),
  });
  api = consoleApi(warden);
  // Results are data across IPC: expected failures arrive as {ok: false, code, message}.
  ipcMain.handle('warden:call', async (event, method: unknown, params: unknown) => {
    if (!trusted(event)) return { ok: false, code: 'E_FORBIDDEN', message: 'not from the Warden window' };
    try {
      return { ok: true, value: await api!.call(String(method), params, 'console:desktop') };
    } catch (error) {
      return { ok: false, ...toErrorData(error, 'E_INTERNAL') };
    }
  });
  // Export asks where to save, in the main process: the renderer never names a path.
  ipcMain.handle('warden:export', async (event, format: unknown, filters: unknown) => {
    if (!trusted(event) || !window) return { ok: false, code: 'E_FORBIDDEN', message: 'not from the Warden window' };
    if (!EXPORT_FORMATS.includes(format as ExportFormatName))
      return { ok: false, code: 'E_USAGE', message: 'format must be jsonl, csv, html or pdf' };
    const chosen = format as ExportFormatName;
    const parsed = ExportFiltersSchema.safeParse(filters ?? {});
    if (!parsed.success) return { ok: false, code: 'E_USAGE', message: 'bad export filters' };
    const name = chosen === 'html' || chosen === 'pdf' ? 'warden-ledger-report' : 'warden-ledger';
    const choice = await dialog.showSaveDialog(window, { defaultPath: `${name}.${chosen}` });
    if (choice.canceled || !choice.filePath) return { ok: true, value: null };
    try {
      await api!.exportTo(choice.filePath, chosen, parsed.data);
      return { ok: true, value: choice.filePath };
    } catch (error) {
      return { ok: false, ...toErrorData(error, 'E_INTERNAL') };
    }
  });
  // One channel for every push, as PushSchema has it; the renderer reads it with shared/push.ts.
  api.subscribe((push) => window?.webContents.send('warden:push', push));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => {
  api?.close();
  void warden?.close();
});
