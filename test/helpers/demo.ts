import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * How long a test may wait for the shared demo ledger. The demo takes about 12 s on a loaded
 * two-core machine; this bound only keeps a wedged build from hanging the run forever.
 */
export const DEMO_BUILD_MS = 600_000;

let built: Promise<string> | undefined;

/**
 * The data folder of one `warden demo` run, built once per test session and shared read-only
 * by every test file that needs it (the first asks for it, the others wait for it). Open it with
 * `mode: 'existing'` and never write to it; take `demoCopy()` to change anything.
 */
export function sharedDemo(): Promise<string> {
  built ??= buildOnce(join(inject('sessionDir'), 'demo'));
  return built;
}

/** Copies the shared demo's data folder into `to` (a test's own temp folder) and returns it. */
export async function demoCopy(to: string): Promise<string> {
  cpSync(await sharedDemo(), to, { recursive: true });
  return to;
}

async function buildOnce(dir: string): Promise<string> {
  const done = `${dir}.done`;
  const failed = `${dir}.failed`;
  const lock = `${dir}.lock`;
  if (existsSync(done)) return dir;
  let mine = false;
  try {
    mkdirSync(lock); // atomic: exactly one worker process of the session builds
    mine = true;
  } catch {
    // another worker is building it
  }
  if (mine) {
    const problem = await new Promise<string | null>((ok) => {
      execFile(
        process.execPath,
        [join(ROOT, 'bin', 'warden.js'), 'demo', '--data-dir', dir],
        { cwd: ROOT, timeout: DEMO_BUILD_MS },
        (error, _stdout, stderr) => ok(error ? `warden demo failed: ${stderr || error.message}` : null),
      );
    });
    writeFileSync(problem === null ? done : failed, problem ?? '');
    if (problem !== null) throw new Error(problem);
    return dir;
  }
  for (let waited = 0; !existsSync(done); waited += 100) {
    if (existsSync(failed)) throw new Error(readFileSync(failed, 'utf8'));
    if (waited > DEMO_BUILD_MS) throw new Error(`the shared demo ledger in ${dir} was never finished`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return dir;
}
