// Packaging step: sets the fuses of src/main/electron/fuses.ts in a packaged app's Electron
// binary, then reads them back. `node --import tsx scripts/flip-fuses.ts PATH` where PATH is the
// packaged executable (or Warden.app on macOS).
import * as fuses from '@electron/fuses';
import { WARDEN_FUSES, fuseConfig, type FuseName } from '../src/main/electron/fuses.js';

const target = process.argv[2];
if (!target) {
  console.error('flip-fuses: name the packaged Electron executable (or .app) to set the fuses of');
  process.exit(2);
}
await fuses.flipFuses(target, {
  ...fuseConfig(fuses.FuseV1Options as unknown as Record<FuseName, number>, fuses.FuseVersion.V1),
  // An arm64 macOS binary must stay signed (ad hoc) until it is signed for real.
  resetAdHocDarwinSignature: process.platform === 'darwin' && process.arch === 'arm64',
} as Parameters<typeof fuses.flipFuses>[1]);
const wire = await fuses.getCurrentFuseWire(target);
const wrong = (Object.keys(WARDEN_FUSES) as FuseName[]).filter(
  (name) => wire[fuses.FuseV1Options[name]] !== (WARDEN_FUSES[name] ? fuses.FuseState.ENABLE : fuses.FuseState.DISABLE),
);
if (wrong.length > 0) {
  console.error(`flip-fuses: ${target} still has ${wrong.join(', ')} as before`);
  process.exit(1);
}
console.log(`flip-fuses: ${target}: ${Object.keys(WARDEN_FUSES).length} fuses set`);
