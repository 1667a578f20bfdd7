import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { WARDEN_FUSES, fuseConfig, type FuseName } from '../../../src/main/electron/fuses.js';

// The package's own FuseV1Options numbering (the order of the fuse wire in Electron's binary).
const FUSE_V1_OPTIONS = FuseV1Options as unknown as Record<FuseName, number>;

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

  it('name only fuses @electron/fuses knows', () => {
    for (const name of Object.keys(WARDEN_FUSES)) expect(FuseV1Options).toHaveProperty(name);
  });

  it('become flipFuses options, each fuse by its number', () => {
    expect(fuseConfig(FUSE_V1_OPTIONS, FuseVersion.V1)).toEqual({
      version: FuseVersion.V1,
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
