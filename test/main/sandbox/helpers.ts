import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import type { JsonValue } from '../../../src/shared/json.js';
import type { RunOutcome, SandboxCaps } from '../../../src/shared/sandbox.js';
import { noRosterBridge, type HostBridge } from '../../../src/main/sandbox/bridge.js';
import type { Program } from '../../../src/main/sandbox/isolate-run.js';
import { SandboxPool } from '../../../src/main/sandbox/pool.js';

/** Caps roomy enough that an ordinary program never meets them. */
export const CAPS: SandboxCaps = { memoryMb: 64, cpuMs: 2_000, wallMs: 10_000 };

/** An agent program whose default export has `body` as its function body (`task`, `warden` in scope). */
export function program(body: string, filename = 'agent.js'): Program {
  return { source: `export default async (task, warden) => {\n${body}\n};\n`, filename };
}

export interface RunOptions {
  input?: JsonValue;
  caps?: Partial<SandboxCaps>;
  bridge?: HostBridge;
  signal?: AbortSignal;
}

/** Runs `body` as a program on `pool`; also measures the run's wall time from the test's side. */
export async function run(
  pool: SandboxPool,
  body: string | Program,
  options: RunOptions = {},
): Promise<RunOutcome & { measuredMs: number }> {
  const started = performance.now();
  const outcome = await pool.run({
    program: typeof body === 'string' ? program(body) : body,
    input: options.input ?? null,
    caps: { ...CAPS, ...options.caps },
    bridge: options.bridge ?? noRosterBridge(),
    signal: options.signal,
  });
  return { ...outcome, measuredMs: performance.now() - started };
}

/** Asserts the pool still runs an ordinary program, and returns the pids it ran on. */
export async function expectPoolHealthy(pool: SandboxPool): Promise<number[]> {
  const outcome = await run(pool, 'return { doubled: task.n * 2 };', { input: { n: 21 } });
  expect(outcome.status).toBe('ok');
  expect(outcome.result).toEqual({ doubled: 42 });
  return pool.workerPids();
}

/** A bridge that records log lines and resolves `started` at the program's first log line. */
export function signallingBridge(): { bridge: HostBridge; started: Promise<void>; lines: string[] } {
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const lines: string[] = [];
  const bridge = noRosterBridge((level, message) => {
    lines.push(`${level}:${message}`);
    markStarted();
  });
  return { bridge, started, lines };
}

/** A pool of one worker for this test file: warmed (and checked) before the tests, closed after. */
export function warmPool(): SandboxPool {
  // The pool starts no worker until its first run, so it can be made here, outside a hook.
  const pool = new SandboxPool({ size: 1 });
  beforeAll(() => expectPoolHealthy(pool));
  afterAll(() => pool.close());
  return pool;
}

/** The most resident memory a process has held so far, MB (Linux's VmHWM). */
export function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmHWM for process ${pid}`);
  return Number(kb) / 1024;
}

/**
 * Runs `body` on a fresh pool of one worker and returns its outcome with the worker's peak
 * resident memory: what the run made the worker hold, outside the isolate.
 */
export async function runMeasured(
  body: string | Program,
  options: RunOptions = {},
): Promise<RunOutcome & { peakMb: number }> {
  const pool = new SandboxPool({ size: 1 });
  try {
    const outcome = await run(pool, body, options);
    const [pid] = pool.workerPids();
    return { ...outcome, peakMb: peakRssMb(pid!) };
  } finally {
    await pool.close();
  }
}
