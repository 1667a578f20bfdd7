import * as crypto from 'node:crypto';
import type { KeyWrapper } from '../../src/main/audit/keys.js';

/**
 * A stand-in for the OS keychain behind Electron's safeStorage (which cannot run here):
 * AES-256-GCM under a key that lives only in this process, so what it seals is useless to
 * anyone reading the file, and a different keychain (another call) cannot open it.
 */
export function testKeychain(): KeyWrapper {
  const key = crypto.randomBytes(32);
  return {
    name: 'a test keychain',
    seal(secret) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(secret), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
  };
}
