import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { main } from '../../../src/main/cli/main.js';
import { Ledger } from '../../../src/main/ledger/index.js';

/** The repository's root and its real `warden` executable. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = join(ROOT, 'bin', 'warden.js');

/** What one CLI invocation printed, line by line, and its exit code. */
export interface CliResult {
  code: number;
  out: string[];
  err: string[];
  /** stdout joined, as a person reading the terminal sees it. */
  stdout: string;
  stderr: string;
}

/** Runs `warden ...argv` in this process, collecting what it prints. */
export async function cli(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err, stdout: out.join('\n'), stderr: err.join('\n') };
}

/**
 * Runs the real `node bin/warden.js` in a folder; never rejects on a non-zero exit. A command
 * still running after `timeoutMs` is killed (a wedged child must not hang the test run).
 */
export function spawnWarden(
  cwd: string,
  argv: string[],
  timeoutMs = 120_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...argv],
      { cwd, env: { ...process.env, WARDEN_DATA_DIR: join(cwd, 'data') }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** A fresh temp folder per test, removed afterwards. */
export function useTempDirs(): { make: (prefix?: string) => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    make: (prefix = 'warden-cli-') => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup: () => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a file and returns its path. */
export function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** One log event as the ledger takes it. */
export interface LogSpec {
  message: string;
  runId?: string;
  agentId?: string;
}

/** Makes a ledger in a data folder holding one run.log event per spec, in order. */
export async function makeLedger(dataDir: string, events: LogSpec[]): Promise<void> {
  const ledger = Ledger.open(dataDir);
  try {
    for (const e of events) {
      await ledger.append({
        type: 'run.log',
        runId: e.runId ?? 'run-1',
        agentId: e.agentId ?? 'intake',
        payload: { level: 'info', message: e.message },
      });
    }
  } finally {
    ledger.close();
  }
}

/** A message a user reads must be one line, with no stack trace in it. */
export function expectOneCleanLine(lines: string[]): string {
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  expect(line).not.toContain('\n');
  expect(line).not.toMatch(/\bat .+:\d+:\d+/);
  return line;
}
