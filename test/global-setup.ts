import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder this test session shares between its worker processes (test/helpers/demo.ts). */
    sessionDir: string;
  }
}

/** One folder per `vitest run`, removed when the run ends. Building anything in it is lazy. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'warden-session-'));
  project.provide('sessionDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
