import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeKeychain } from '../../../src/main/audit/keychain.js';
import { keyCustody, signingKey, type KeyWrapper } from '../../../src/main/audit/keys.js';
import { keychainTools, type KeychainTools } from '../../helpers/keychain-tools.js';
import { tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let tools: KeychainTools;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  tools = keychainTools(dir);
});
afterEach(() => cleanup());

function found(platform: NodeJS.Platform): KeyWrapper {
  const probe = probeKeychain({ platform, env: tools.env });
  if (!probe.ok) throw new Error(`no keychain: ${probe.why}`);
  return probe.wrapper;
}

describe('the OS keychain from plain Node', () => {
  it('says why there is none: no tool, no keychain behind it, switched off, an unknown OS', () => {
    expect(probeKeychain({ platform: 'linux', env: { PATH: join(dir, 'nowhere') } })).toEqual({
      ok: false,
      why: 'secret-tool is not installed',
    });
    expect(probeKeychain({ platform: 'linux', env: { ...tools.env, FAKE_KEYCHAIN_DOWN: '1' } })).toEqual({
      ok: false,
      why: 'secret-tool cannot reach a keychain: secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY',
    });
    expect(probeKeychain({ platform: 'linux', env: { ...tools.env, WARDEN_KEYCHAIN: 'off' } })).toMatchObject({
      ok: false,
    });
    expect(probeKeychain({ platform: 'win32', env: tools.env })).toEqual({
      ok: false,
      why: 'no keychain tool is known on win32',
    });
  });

  for (const [platform, by] of [
    ['linux', 'Secret Service'],
    ['darwin', 'macOS Keychain'],
  ] as const) {
    it(`seals a new signing key in the keychain (${by}), leaving no key in the folder`, () => {
      const data = join(dir, `data-${platform}`);
      const key = signingKey(data, found(platform));
      expect(readdirSync(join(data, 'keys'))).toEqual(['checkpoint-signing.keychain']);
      const item = readFileSync(join(data, 'keys', 'checkpoint-signing.keychain'), 'utf8');
      expect(item).not.toContain('PRIVATE KEY');
      const stored = Object.values(tools.items());
      expect(stored).toHaveLength(1);
      expect(Buffer.from(stored[0]!, 'base64').toString()).toContain('PRIVATE KEY');
      expect(signingKey(data, found(platform)).fingerprint).toBe(key.fingerprint);
      expect(keyCustody(data)).toMatchObject({
        sealed: true,
        description: `The signing key is sealed by the OS keychain (${by}).`,
      });
    });
  }

  it('moves a key kept as plain PEM into the keychain once one is there, keeping the same key', () => {
    const data = join(dir, 'data');
    const plain = signingKey(data);
    expect(keyCustody(data)).toMatchObject({ sealed: false });
    expect(keyCustody(data)!.description).toMatch(
      /^The signing key lives beside the data \(.*checkpoint-signing\.pem\), sealed by no OS keychain/,
    );
    const sealed = signingKey(data, found('linux'));
    expect(sealed.fingerprint).toBe(plain.fingerprint);
    expect(existsSync(join(data, 'keys', 'checkpoint-signing.pem'))).toBe(false);
    expect(keyCustody(data)).toMatchObject({ sealed: true });
  });

  it('refuses, naming the item, when the keychain no longer holds the key', () => {
    const data = join(dir, 'data');
    signingKey(data, found('linux'));
    const emptied = keychainTools(join(dir, 'other'));
    const probe = probeKeychain({ platform: 'linux', env: emptied.env });
    expect(probe.ok).toBe(true);
    expect(() => signingKey(data, (probe as { wrapper: KeyWrapper }).wrapper)).toThrow(
      /^the OS keychain holds no item "checkpoint-signing:[0-9a-f-]{36}" of service warden: the signing key was removed from it/,
    );
  });

  it('never keeps a key that the keychain did not store', () => {
    const data = join(dir, 'data');
    const broken: KeyWrapper = {
      ...found('linux'),
      seal: () => {
        throw new Error('the keychain is locked');
      },
    };
    expect(() => signingKey(data, broken)).toThrow('the keychain is locked');
    expect(existsSync(join(data, 'keys', 'checkpoint-signing.keychain'))).toBe(false);
  });
});
