import { describe, expect, it } from 'vitest';
import { WARDEN_FUSES, fuseConfig } from '../../../src/main/electron/fuses.js';

// @electron/fuses's FuseV1Options numbering (the order of the fuse wire in Electron's binary).
const FUSE_V1_OPTIONS = {
  RunAsNode: 0,
  EnableCookieEncryption: 1,
  EnableNodeOptionsEnvironmentVariable: 2,
  EnableNodeCliInspectArguments: 3,
  EnableEmbeddedAsarIntegrityValidation: 4,
  OnlyLoadAppFromAsar: 5,
  LoadBrowserProcessSpecificV8Snapshot: 6,
  GrantFileProtocolExtraPrivileges: 7,
};

describe('the packaged app fuses', () => {
  it('turn off running as Node, NODE_OPTIONS and the inspector', () => {
    expect(WARDEN_FUSES.RunAsNode).toBe(false);
    expect(WARDEN_FUSES.EnableNodeOptionsEnvironmentVariable).toBe(false);
    expect(WARDEN_FUSES.EnableNodeCliInspectArguments).toBe(false);
  });

  it('encrypt cookies, and load the app only from an asar whose integrity is checked', () => {
    expect(WARDEN_FUSES.EnableCookieEncryption).toBe(true);
    expect(WARDEN_FUSES.EnableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(WARDEN_FUSES.OnlyLoadAppFromAsar).toBe(true);
  });

  it('take file:// privileges away, since the renderer comes from warden://', () => {
    expect(WARDEN_FUSES.GrantFileProtocolExtraPrivileges).toBe(false);
  });

  it('become flipFuses options, each fuse by its number', () => {
    expect(fuseConfig(FUSE_V1_OPTIONS, '1')).toEqual({
      version: '1',
      0: false,
      1: true,
      2: false,
      3: false,
      4: true,
      5: true,
      6: false,
      7: false,
    });
  });

  it('refuse a fuses package that lacks one of them', () => {
    const { RunAsNode: _, ...missing } = FUSE_V1_OPTIONS;
    expect(() => fuseConfig(missing as typeof FUSE_V1_OPTIONS, '1')).toThrow(/no fuse named RunAsNode/);
  });
});
