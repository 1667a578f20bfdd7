import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp folder, and a function that removes it. */
export function tempDir(prefix = 'warden-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A run.log event, the smallest event there is. */
export function logEvent(message: string, runId = 'run-1', agentId = 'intake') {
  return { type: 'run.log' as const, runId, agentId, payload: { level: 'info' as const, message } };
}

/** Every file under a folder, at any depth: what a canary search reads. */
export function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
