import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { API_KEY_MAX_CHARS } from '../../shared/api.js';
import { WardenError } from '../../shared/errors.js';
import type { KeyWrapper } from '../audit/keys.js';

/** How a stored key is kept: sealed by the OS keychain, or as plain text the person agreed to. */
export type KeyProtection = 'keychain' | 'plain-text';

/** What the console may know of a stored key: never the key. */
export interface StoredKeyInfo {
  protection: KeyProtection;
  storedAt: string;
}

const FILE = 'provider-keys.json';

const StoreFileSchema = z.strictObject({
  format: z.literal(1),
  keys: z.record(
    z.string(),
    z.strictObject({
      protection: z.enum(['keychain', 'plain-text']),
      /** base64 of the keychain-sealed key, or the key itself when plain-text. */
      value: z.string(),
      storedAt: z.string(),
    }),
  ),
});
type StoreFile = z.infer<typeof StoreFileSchema>;

/**
 * The desktop app's model-provider API keys, kept in the data folder's `keys/provider-keys.json`
 * (0600, folder 0700) by the variable warden.yaml names for them (e.g. ANTHROPIC_API_KEY).
 * Each is sealed by the OS keychain through Electron's safeStorage. Where there is no keychain
 * (Linux without a keyring: safeStorage's plain-text backend) a key is stored only when the
 * person explicitly agrees to plain text, and it is marked so. CLI and serve mode never read
 * this file: they take keys from the environment.
 */
export class ProviderKeyStore {
  private readonly file: string;
  /** The file as last read, and what identified it then; every model call looks a key up. */
  private cached: { stamp: string; store: StoreFile } | null = null;
  /** Unsealed keys by their sealed form, so the keychain is asked once per key. */
  private readonly opened = new Map<string, string>();

  /** `wrapper` seals with the keychain; without one, only plain-text storage (with consent) is possible. */
  constructor(
    private readonly dataDir: string,
    private readonly wrapper: KeyWrapper | undefined,
  ) {
    this.file = join(dataDir, 'keys', FILE);
  }

  /** How a new key would be kept here. */
  get protection(): KeyProtection {
    return this.wrapper ? 'keychain' : 'plain-text';
  }

  /** What seals keys, for the console ("the OS keychain"), or null without a keychain. */
  get sealedBy(): string | null {
    return this.wrapper?.name ?? null;
  }

  /** The key stored for a variable, or undefined (none, or sealed by a keychain this process cannot open). */
  get(variable: string): string | undefined {
    const entry = this.read().keys[variable];
    if (!entry) return undefined;
    if (entry.protection === 'plain-text') return entry.value;
    if (!this.wrapper) return undefined;
    const known = this.opened.get(entry.value);
    if (known !== undefined) return known;
    try {
      const key = this.wrapper.open(Buffer.from(entry.value, 'base64')).toString('utf8');
      this.opened.set(entry.value, key);
      return key;
    } catch {
      // A keychain that no longer opens it (another user, a reset keyring) is as good as no key.
      return undefined;
    }
  }

  /** How a variable's key is stored, or null when none is. */
  info(variable: string): StoredKeyInfo | null {
    const entry = this.read().keys[variable];
    return entry ? { protection: entry.protection, storedAt: entry.storedAt } : null;
  }

  /**
   * Stores (or replaces) a key. Without a keychain it refuses with E_KEY_UNPROTECTED unless
   * `allowPlainText`: the person must agree to a key only file permissions guard.
   */
  set(variable: string, key: string, options: { allowPlainText?: boolean } = {}): StoredKeyInfo {
    const trimmed = key.trim();
    if (trimmed === '') throw new WardenError('E_USAGE', `the key for ${variable} is empty`);
    if (trimmed.length > API_KEY_MAX_CHARS)
      throw new WardenError('E_USAGE', `the key for ${variable} is longer than ${API_KEY_MAX_CHARS} characters`);
    if (/\s/.test(trimmed))
      throw new WardenError('E_USAGE', `the key for ${variable} holds spaces or line breaks; paste the key alone`);
    if (!this.wrapper && !options.allowPlainText) {
      throw new WardenError(
        'E_KEY_UNPROTECTED',
        'no OS keychain is available to seal the key (safeStorage has only its plain-text backend); store it unencrypted only if you agree',
      );
    }
    const value = this.wrapper ? this.wrapper.seal(Buffer.from(trimmed, 'utf8')).toString('base64') : trimmed;
    const info: StoredKeyInfo = { protection: this.protection, storedAt: new Date().toISOString() };
    const store = this.read();
    store.keys[variable] = { ...info, value };
    this.write(store);
    return info;
  }

  /**
   * Seals with the keychain every key stored as plain text (kept so when there was none, with
   * the person's consent); returns how many. Without a keychain it does nothing.
   */
  sealPlainText(): number {
    if (!this.wrapper) return 0;
    const store = this.read();
    const plain = Object.entries(store.keys).filter(([, entry]) => entry.protection === 'plain-text');
    for (const [variable, entry] of plain) {
      store.keys[variable] = {
        protection: 'keychain',
        value: this.wrapper.seal(Buffer.from(entry.value, 'utf8')).toString('base64'),
        storedAt: entry.storedAt,
      };
    }
    if (plain.length > 0) this.write(store);
    return plain.length;
  }

  /** Forgets a variable's key; true when there was one. */
  remove(variable: string): boolean {
    const store = this.read();
    if (!store.keys[variable]) return false;
    delete store.keys[variable];
    this.write(store);
    return true;
  }

  /** The store file, read again only when it changed (a copy: callers may change it before writing). */
  private read(): StoreFile {
    if (!existsSync(this.file)) return { format: 1, keys: {} };
    const { mtimeMs, size, ino } = statSync(this.file);
    const stamp = `${mtimeMs}:${size}:${ino}`;
    if (this.cached?.stamp === stamp) return structuredClone(this.cached.store);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      throw new WardenError('E_FILE', `${this.file} is not valid JSON; move it aside and enter the keys again`);
    }
    const checked = StoreFileSchema.safeParse(parsed);
    if (!checked.success)
      throw new WardenError('E_FILE', `${this.file} is not a Warden key store; move it aside and enter the keys again`);
    this.cached = { stamp, store: checked.data };
    return structuredClone(checked.data);
  }

  /** Replaces the file whole (write, then rename), so a crash leaves the old keys or the new ones. */
  private write(store: StoreFile): void {
    mkdirSync(join(this.dataDir, 'keys'), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
    // The mode above is filtered by the umask; the keys must be the owner's alone.
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }
}
