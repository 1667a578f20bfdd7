// Packaging step: sets the fuses of src/main/electron/fuses.ts in a packaged app's Electron
// binary, then reads them back. `node --import tsx scripts/flip-fuses.ts PATH` where PATH is the
// packaged executable (or Warden.app on macOS). Needs @electron/fuses (a packaging dependency).
import { WARDEN_FUSES, fuseConfig, type FuseName } from '../src/main/electron/fuses.js';

interface FusesModule {
  flipFuses(path: string, config: Record<string, unknown>): Promise<unknown>;
  getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
  FuseVersion: { V1: string };
  FuseV1Options: Record<FuseName, number>;
  FuseState: { ENABLE: unknown; DISABLE: unknown };
}

const target = process.argv[2];
if (!target) {
  console.error('flip-fuses: name the packaged Electron executable (or .app) to set the fuses of');
  process.exit(2);
}
// Named at run time, so the project typechecks without the packaging dependency installed.
const packageName = '@electron/fuses';
const fuses = (await import(packageName).catch(() => null)) as FusesModule | null;
if (!fuses) {
  console.error(`flip-fuses: ${packageName} is not installed (npm install --save-dev ${packageName})`);
  process.exit(2);
}
await fuses.flipFuses(target, {
  ...fuseConfig(fuses.FuseV1Options, fuses.FuseVersion.V1),
  // An arm64 macOS binary must stay signed (ad hoc) until it is signed for real.
  resetAdHocDarwinSignature: process.platform === 'darwin' && process.arch === 'arm64',
});
const wire = await fuses.getCurrentFuseWire(target);
const wrong = (Object.keys(WARDEN_FUSES) as FuseName[]).filter(
  (name) => wire[fuses.FuseV1Options[name]] !== (WARDEN_FUSES[name] ? fuses.FuseState.ENABLE : fuses.FuseState.DISABLE),
);
if (wrong.length > 0) {
  console.error(`flip-fuses: ${target} still has ${wrong.join(', ')} as before`);
  process.exit(1);
}
console.log(`flip-fuses: ${target}: ${Object.keys(WARDEN_FUSES).length} fuses set`);
