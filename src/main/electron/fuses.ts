/**
 * The fuses of the packaged app's Electron binary, named as @electron/fuses names its
 * FuseV1Options. Fuses are bits in the binary, flipped once at packaging and covered by the
 * code signature, so an attacker who can set the app's environment or arguments cannot turn
 * the app into a plain Node or a debuggable process. scripts/flip-fuses.ts applies them.
 */
export const WARDEN_FUSES = {
  // ELECTRON_RUN_AS_NODE off: sandbox workers are utility processes, not Electron run as Node.
  RunAsNode: false,
  // Cookies and local storage of the window are encrypted with the OS keychain's key.
  EnableCookieEncryption: true,
  // NODE_OPTIONS and --inspect would let anyone who starts the app load code or attach a debugger.
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  // The app's code is read only from app.asar, and that archive must match its signed hash.
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  // No browser-process snapshot is shipped.
  LoadBrowserProcessSpecificV8Snapshot: false,
  // The renderer comes from the warden: protocol; file:// needs none of its old privileges.
  GrantFileProtocolExtraPrivileges: false,
} as const;

/** A fuse's name, as a key of @electron/fuses's FuseV1Options. */
export type FuseName = keyof typeof WARDEN_FUSES;

/**
 * flipFuses's configuration: each fuse by its number in the package's FuseV1Options enum, which
 * is passed in so this module does not need the package to be read or tested.
 */
export function fuseConfig(options: Readonly<Record<FuseName, number>>, version: string): Record<string, unknown> {
  const config: Record<string, unknown> = { version };
  for (const [name, value] of Object.entries(WARDEN_FUSES)) {
    const option = options[name as FuseName];
    if (option === undefined) throw new Error(`@electron/fuses has no fuse named ${name}`);
    config[String(option)] = value;
  }
  return config;
}
