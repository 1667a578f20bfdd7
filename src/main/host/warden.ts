import { resolve } from 'node:path';
import { WardenError } from '../../shared/errors.js';
import type { KeyWrapper } from '../audit/keys.js';
import { ApprovalBook } from '../gateway/approvals.js';
import { Ledger } from '../ledger/index.js';
import { redactSecrets } from './secrets.js';
import { recordRosterOpened } from './roster-opened.js';
import type { McpManager } from '../mcp/manager.js';
import { openMcp } from './mcp.js';
import type { ConnectionEnv } from '../mcp/connection.js';
import { createProviders, keysFromEnv, type KeySource } from '../models/factory.js';
import type { ProviderKeyStore } from './provider-keys.js';
import { providerLookup, type ModelProvider } from '../models/provider.js';
import { ScriptedProvider } from '../models/scripted.js';
import { loadRoster, problemsLine, type Roster } from '../roster/load.js';
import { Runtime } from '../runtime/runtime.js';
import { SandboxPool } from '../sandbox/pool.js';
import type { StartWorker } from '../sandbox/worker-start.js';

/** One Warden: a roster, its data folder, and the parts that run it, wired together. */
export interface Warden {
  roster: Roster;
  ledger: Ledger;
  approvals: ApprovalBook;
  runtime: Runtime;
  /** The MCP servers' connections, shared by every run. */
  mcp: McpManager;
  /** What seals the checkpoint-signing key at rest (the desktop app's keychain), if anything. */
  keyWrapper?: KeyWrapper;
  /** Where model providers' keys are found: the environment, then the key store if there is one. */
  keys: KeySource;
  /** The model providers by name (scripted and warden.yaml's), as runs call them. */
  models: (name: string) => ModelProvider;
  /** The desktop app's store of provider keys; undefined in the CLI and serve mode (environment only). */
  keyStore?: ProviderKeyStore;
  /** Stops servers and workers and closes the ledger. */
  close(): Promise<void>;
}

/** How to open a Warden. */
export interface WardenOptions {
  rosterDir: string;
  dataDir: string;
  /** Sandbox worker processes. Default 1. */
  workers?: number;
  /** How sandbox workers start: child_process.fork, or the desktop app's utility processes. */
  startWorker?: StartWorker;
  concurrency?: number;
  pollMs?: number;
  /** Seals the data folder's checkpoint-signing key (Electron's safeStorage in the desktop app). */
  keyWrapper?: KeyWrapper;
  /**
   * The desktop app's provider-key store. With one, keys are looked for in the environment and
   * then the store, and a roster whose keys are missing still opens: its agents' runs are
   * refused until the key is entered. Without one, a missing key fails the open.
   */
  keyStore?: ProviderKeyStore;
  /** Transports of the caller's own for some servers (in-process servers in tests and benchmarks). */
  mcpTransport?: ConnectionEnv['transport'];
  /**
   * The one clock every part reads (the ledger's times, approvals' expiry, budgets' days);
   * tests pass a fixed one. Default: the system clock.
   */
  clock?: () => Date;
}

/**
 * Composes a Warden from a roster folder and a data folder: only wiring, no logic. The CLI,
 * the console host and tests all open Warden through here.
 */
export async function openWarden(options: WardenOptions): Promise<Warden> {
  const rosterDir = resolve(options.rosterDir);
  const { keyStore } = options;
  const fromEnv = keysFromEnv(process.env);
  const keys: KeySource = keyStore ? (variable) => fromEnv(variable) ?? keyStore.get(variable) : fromEnv;
  const loaded = loadRoster(rosterDir, { keys: keyStore ? null : keys });
  if (!loaded.ok) throw new WardenError('E_ROSTER_INVALID', problemsLine(options.rosterDir, loaded.problems));
  const roster = loaded.roster;
  const clock = options.clock ?? (() => new Date());
  const ledger = Ledger.open(options.dataDir, { clock });
  redactSecrets(ledger, roster, keyStore ? [fromEnv, (v) => keyStore.get(v)] : [fromEnv]);
  try {
    await recordRosterOpened(ledger, roster);
  } catch (error) {
    ledger.close();
    throw error;
  }
  const approvals = new ApprovalBook(ledger, clock);
  const sandbox = new SandboxPool({
    size: options.workers ?? 1,
    ...(options.startWorker ? { startWorker: options.startWorker } : {}),
  });
  const mcp = openMcp(roster, ledger, {
    dataDir: options.dataDir,
    // In the desktop app a server's `${VAR}` may also come from the key store, read when it starts.
    env: keyStore ? envWithStore(keyStore) : process.env,
    ...(options.mcpTransport ? { transport: options.mcpTransport } : {}),
  });
  // Without a key store, loadRoster has checked the keys agents need.
  const model = providerLookup([ScriptedProvider.fromRosterDir(rosterDir), ...createProviders(roster.config, keys)]);
  try {
    const runtime = await Runtime.open({
      roster,
      ledger,
      approvals,
      sandbox,
      mcp,
      model,
      clock,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    });
    return {
      roster,
      ledger,
      approvals,
      runtime,
      mcp,
      keys,
      models: model,
      ...(keyStore ? { keyStore } : {}),
      ...(options.keyWrapper ? { keyWrapper: options.keyWrapper } : {}),
      async close() {
        await runtime.detach();
        await mcp.close();
        await sandbox.close();
        ledger.close();
      },
    };
  } catch (error) {
    await mcp.close();
    await sandbox.close();
    ledger.close();
    throw error;
  }
}

/** The environment, with the key store's values under the names the environment lacks. */
function envWithStore(store: ProviderKeyStore): NodeJS.ProcessEnv {
  return new Proxy(process.env, {
    get: (env, name) => (typeof name === 'string' ? env[name] || store.get(name) : undefined),
  });
}
