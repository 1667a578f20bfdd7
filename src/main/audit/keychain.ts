import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { z } from 'zod';
import { FileError } from '../../shared/errors.js';
import type { KeyWrapper } from './keys.js';

/**
 * The OS keychain from plain Node (the `warden` command and `warden serve`, which have no
 * Electron safeStorage): the Secret Service through `secret-tool` on Linux, the login keychain
 * through `security` on macOS. What it seals is kept in the keychain; the file in `keys/`
 * only names the item, so a copy of the data folder holds no key.
 */

/** Which keychain holds an item. */
export type KeychainKind = 'secret-service' | 'macos-keychain';

/** What `keys/checkpoint-signing.keychain` holds: where the key is, never the key. */
const ItemSchema = z.strictObject({
  kind: z.literal('warden.keychain-item'),
  formatVersion: z.literal(1),
  keychain: z.enum(['secret-service', 'macos-keychain']),
  service: z.string(),
  account: z.string(),
});

const SERVICE = 'warden';
const LABEL = 'Warden checkpoint-signing key';
/** The keychain may ask the person to unlock it: give them time, but never hang for ever. */
const ASK_TIMEOUT_MS = 120_000;
const PROBE_TIMEOUT_MS = 10_000;

/** Where to look for the keychain's tool: the platform and the environment (its PATH). */
export interface KeychainOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

/** An OS keychain found, or why there is none. */
export type KeychainProbe = { ok: true; wrapper: KeyWrapper } | { ok: false; why: string };

/** The file in `keys/` that names the keychain item holding the signing key. */
export const KEYCHAIN_FILE = 'checkpoint-signing.keychain';

/** The OS keychain as a key wrapper, or why none is reachable from this process. */
export function probeKeychain(options: KeychainOptions = {}): KeychainProbe {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  // For machines where a keychain would prompt nobody (CI, a headless server), and for tests.
  if (env.WARDEN_KEYCHAIN === 'off') return { ok: false, why: 'WARDEN_KEYCHAIN=off' };
  const kind: KeychainKind | null =
    platform === 'linux' ? 'secret-service' : platform === 'darwin' ? 'macos-keychain' : null;
  if (!kind) return { ok: false, why: `no keychain tool is known on ${platform}` };
  const probe =
    kind === 'secret-service'
      ? run(env, 'secret-tool', ['lookup', 'service', SERVICE, 'account', 'probe'], PROBE_TIMEOUT_MS)
      : run(env, 'security', ['default-keychain'], PROBE_TIMEOUT_MS);
  const tool = kind === 'secret-service' ? 'secret-tool' : 'security';
  if (probe.missing) return { ok: false, why: `${tool} is not installed` };
  // secret-tool says nothing and exits 1 for an item it does not hold; anything on stderr
  // (no D-Bus session, no Secret Service) means there is no keychain to ask.
  const answered = kind === 'secret-service' ? probe.status <= 1 && probe.stderr === '' : probe.status === 0;
  if (!answered)
    return { ok: false, why: `${tool} cannot reach a keychain: ${probe.stderr || `exit ${probe.status}`}` };
  return { ok: true, wrapper: keychainWrapper(kind, env) };
}

/** The OS keychain as a key wrapper, or undefined where none is reachable. */
export function osKeychain(options: KeychainOptions = {}): KeyWrapper | undefined {
  const found = probeKeychain(options);
  return found.ok ? found.wrapper : undefined;
}

/** How a person names the keychain that holds a `.keychain` file's item. */
export function keychainName(itemFile: Buffer): string {
  const item = parseItem(itemFile);
  return item.keychain === 'secret-service' ? 'the OS keychain (Secret Service)' : 'the OS keychain (macOS Keychain)';
}

function keychainWrapper(kind: KeychainKind, env: NodeJS.ProcessEnv): KeyWrapper {
  const lookup = (account: string): Buffer | null => {
    const r =
      kind === 'secret-service'
        ? run(env, 'secret-tool', ['lookup', 'service', SERVICE, 'account', account], ASK_TIMEOUT_MS)
        : run(env, 'security', ['find-generic-password', '-s', SERVICE, '-a', account, '-w'], ASK_TIMEOUT_MS);
    const text = r.stdout.trim();
    return r.status === 0 && text !== '' ? Buffer.from(text, 'base64') : null;
  };
  return {
    name: kind === 'secret-service' ? 'the OS keychain (Secret Service)' : 'the OS keychain (macOS Keychain)',
    file: KEYCHAIN_FILE,
    seal(secret) {
      const account = `checkpoint-signing:${randomUUID()}`;
      // Base64, so the value has no line break or quote for either tool to mangle; passed on
      // stdin, never on a command line that other users can read.
      const value = secret.toString('base64');
      const r =
        kind === 'secret-service'
          ? run(
              env,
              'secret-tool',
              ['store', `--label=${LABEL}`, 'service', SERVICE, 'account', account],
              ASK_TIMEOUT_MS,
              value,
            )
          : run(
              env,
              'security',
              ['-i'],
              ASK_TIMEOUT_MS,
              `add-generic-password -U -s ${SERVICE} -a ${account} -w ${value}\n`,
            );
      // Read back before anyone relies on it: the key must never exist only in a failed store.
      const stored = lookup(account);
      if (!stored?.equals(secret))
        throw new FileError(`the OS keychain did not keep the signing key (${r.stderr || `exit ${r.status}`})`);
      return Buffer.from(
        `${JSON.stringify({ kind: 'warden.keychain-item', formatVersion: 1, keychain: kind, service: SERVICE, account })}\n`,
      );
    },
    open(sealed) {
      const item = parseItem(sealed);
      const secret = lookup(item.account);
      if (!secret)
        throw new FileError(
          `the OS keychain holds no item "${item.account}" of service ${item.service}: the signing key was removed from it, or this is another user's keychain`,
        );
      return secret;
    },
  };
}

function parseItem(bytes: Buffer): z.infer<typeof ItemSchema> {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new FileError(`keys/${KEYCHAIN_FILE} is not a keychain item (not JSON)`);
  }
  const parsed = ItemSchema.safeParse(json);
  if (!parsed.success)
    throw new FileError(`keys/${KEYCHAIN_FILE} is not a keychain item: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

function run(
  env: NodeJS.ProcessEnv,
  command: string,
  args: string[],
  timeout: number,
  input?: string,
): { missing: boolean; status: number; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { env, timeout, input: input ?? '', encoding: 'utf8' });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return { missing: true, status: -1, stdout: '', stderr: '' };
  if (r.error) return { missing: false, status: -1, stdout: '', stderr: `${command}: ${code ?? r.error.message}` };
  return { missing: false, status: r.status ?? -1, stdout: r.stdout, stderr: firstLine(r.stderr) };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
