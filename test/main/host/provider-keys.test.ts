import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderKeyStore } from '../../../src/main/host/provider-keys.js';
import { WardenError } from '../../../src/shared/errors.js';
import { testKeychain } from '../../helpers/keychain.js';
import { tempDir } from '../../helpers/temp.js';

const CANARY = 'sk-ant-canary-store-7f3e21';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const file = () => join(dir, 'keys', 'provider-keys.json');

function thrown(fn: () => unknown): WardenError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WardenError);
    return error as WardenError;
  }
  throw new Error('expected a WardenError');
}

describe('the desktop key store', () => {
  it('seals keys with the keychain: the file holds no key, only its owner reads it, and a reopened store finds it', () => {
    const keychain = testKeychain();
    const store = new ProviderKeyStore(dir, keychain);
    expect(store.protection).toBe('keychain');
    expect(store.get('ANTHROPIC_API_KEY')).toBeUndefined();
    const info = store.set('ANTHROPIC_API_KEY', `  ${CANARY}\n`);
    expect(info.protection).toBe('keychain');
    expect(readFileSync(file(), 'utf8')).not.toContain(CANARY);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    // The pasted whitespace is not part of the key.
    expect(new ProviderKeyStore(dir, keychain).get('ANTHROPIC_API_KEY')).toBe(CANARY);
    expect(new ProviderKeyStore(dir, keychain).info('ANTHROPIC_API_KEY')).toEqual(info);
  });

  it('gives nothing to a process without that keychain (another keychain, or none)', () => {
    new ProviderKeyStore(dir, testKeychain()).set('OPENAI_API_KEY', CANARY);
    expect(new ProviderKeyStore(dir, testKeychain()).get('OPENAI_API_KEY')).toBeUndefined();
    expect(new ProviderKeyStore(dir, undefined).get('OPENAI_API_KEY')).toBeUndefined();
    // It still knows a key is stored, so the console can say it cannot be opened.
    expect(new ProviderKeyStore(dir, undefined).info('OPENAI_API_KEY')?.protection).toBe('keychain');
  });

  it('refuses plain text unless the person agrees, and marks a key stored that way', () => {
    const store = new ProviderKeyStore(dir, undefined);
    expect(store.protection).toBe('plain-text');
    const refused = thrown(() => store.set('ANTHROPIC_API_KEY', CANARY));
    expect(refused.code).toBe('E_KEY_UNPROTECTED');
    expect(refused.message).toMatch(/no OS keychain.*only if you agree/);
    expect(() => statSync(file())).toThrow();
    expect(store.set('ANTHROPIC_API_KEY', CANARY, { allowPlainText: true }).protection).toBe('plain-text');
    expect(store.get('ANTHROPIC_API_KEY')).toBe(CANARY);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('seals the keys kept as plain text once a keychain is there, keeping when they were stored', () => {
    const plain = new ProviderKeyStore(dir, undefined);
    const stored = plain.set('ANTHROPIC_API_KEY', CANARY, { allowPlainText: true });
    expect(plain.sealPlainText()).toBe(0);
    const keychain = testKeychain();
    const sealed = new ProviderKeyStore(dir, keychain);
    expect(sealed.sealPlainText()).toBe(1);
    expect(readFileSync(file(), 'utf8')).not.toContain(CANARY);
    expect(sealed.info('ANTHROPIC_API_KEY')).toEqual({ protection: 'keychain', storedAt: stored.storedAt });
    expect(new ProviderKeyStore(dir, keychain).get('ANTHROPIC_API_KEY')).toBe(CANARY);
    expect(sealed.sealPlainText()).toBe(0);
  });

  it('replaces and removes keys, keeping the others', () => {
    const store = new ProviderKeyStore(dir, testKeychain());
    store.set('A_KEY', 'first');
    store.set('B_KEY', 'other');
    store.set('A_KEY', 'second');
    expect(store.get('A_KEY')).toBe('second');
    expect(store.remove('A_KEY')).toBe(true);
    expect(store.remove('A_KEY')).toBe(false);
    expect(store.get('A_KEY')).toBeUndefined();
    expect(store.get('B_KEY')).toBe('other');
  });

  it('refuses a key that is empty, too long, or holds spaces, naming the variable', () => {
    const store = new ProviderKeyStore(dir, testKeychain());
    expect(thrown(() => store.set('A_KEY', '   ')).message).toBe('the key for A_KEY is empty');
    expect(thrown(() => store.set('A_KEY', 'x'.repeat(4097))).message).toMatch(/A_KEY is longer than 4096/);
    expect(thrown(() => store.set('A_KEY', 'sk-one sk-two')).message).toMatch(/A_KEY holds spaces/);
    expect(store.get('A_KEY')).toBeUndefined();
  });

  it('names a damaged store file rather than losing what it holds', () => {
    const store = new ProviderKeyStore(dir, testKeychain());
    store.set('A_KEY', 'kept');
    writeFileSync(file(), '{"format": 1, "keys": ');
    expect(thrown(() => store.get('A_KEY')).message).toMatch(/provider-keys\.json is not valid JSON/);
    writeFileSync(file(), JSON.stringify({ format: 9 }));
    expect(thrown(() => store.set('B_KEY', 'new')).code).toBe('E_FILE');
    // A refused write leaves the file as it was.
    expect(readFileSync(file(), 'utf8')).toBe(JSON.stringify({ format: 9 }));
  });
});
