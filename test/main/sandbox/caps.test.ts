import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxPool } from '../../../src/main/sandbox/pool.js';
import type { HostBridge } from '../../../src/main/sandbox/bridge.js';
import type { JsonValue } from '../../../src/shared/json.js';
import { expectPoolHealthy, run } from './helpers.js';

// Each cap test checks that the run ends the right way, within the cap that ends it plus one
// second (measured here, not as the sandbox reports it), and that the same worker process then
// runs an ordinary program: caps are enforced inside the worker, not by killing it.

let pool: SandboxPool;
let pids: number[];

beforeAll(async () => {
  pool = new SandboxPool({ size: 1 });
  pids = await expectPoolHealthy(pool);
});

afterAll(async () => {
  await pool.close();
});

async function expectSameWorkerStillRuns(): Promise<void> {
  expect(await expectPoolHealthy(pool)).toEqual(pids);
}

describe('CPU cap', () => {
  it('ends an infinite loop at its CPU cap', async () => {
    const cpuMs = 400;
    const outcome = await run(pool, 'for (;;) {}', { caps: { cpuMs } });
    expect(outcome.status).toBe('limit');
    expect(outcome.limit).toBe('cpu');
    expect(outcome.error?.code).toBe('E_SANDBOX_CPU');
    expect(outcome.result).toBeUndefined();
    await expectSameWorkerStillRuns();
  });

  it('ends an endless chain of awaited microtasks at its CPU cap', async () => {
    const cpuMs = 400;
    const outcome = await run(pool, 'for (;;) await null;', { caps: { cpuMs } });
    expect(outcome.status).toBe('limit');
    expect(outcome.limit).toBe('cpu');
    expect(outcome.error?.code).toBe('E_SANDBOX_CPU');
    await expectSameWorkerStillRuns();
  });

  it('does not count time spent waiting on a host call as CPU', async () => {
    const calls: JsonValue[][] = [];
    const slowBridge: HostBridge = {
      call(fn, args) {
        calls.push([fn, ...args]);
        return new Promise((resolve) => setTimeout(() => resolve({ answer: 'late' }), 600));
      },
    };
    const outcome = await run(pool, 'return await warden.tool("search", { q: "x" });', {
      caps: { cpuMs: 200 },
      bridge: slowBridge,
    });
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual({ answer: 'late' });
    expect(calls).toEqual([['tool', 'search', { q: 'x' }]]);
  });
});

describe('wall-clock cap', () => {
  it('ends a promise that never resolves at its wall-clock cap', async () => {
    const wallMs = 800;
    const outcome = await run(pool, 'await new Promise(() => {}); return "unreachable";', { caps: { wallMs } });
    expect(outcome.status).toBe('limit');
    expect(outcome.limit).toBe('wall');
    expect(outcome.error?.code).toBe('E_SANDBOX_WALL');
    expect(outcome.result).toBeUndefined();
    await expectSameWorkerStillRuns();
  });
});

describe('memory cap', () => {
  it('ends a program that keeps allocating objects at its memory cap', async () => {
    // A CPU cap far out of reach, so that on a loaded machine the memory cap is still the one hit.
    const caps = { memoryMb: 32, cpuMs: 120_000 };
    const outcome = await run(pool, 'const hoard = []; for (;;) hoard.push({ i: hoard.length, pad: [1, 2, 3] });', {
      caps,
    });
    expect(outcome.status).toBe('limit');
    expect(outcome.limit).toBe('memory');
    expect(outcome.error?.code).toBe('E_SANDBOX_MEMORY');
    await expectSameWorkerStillRuns();
  });

  it('refuses a 1 GB ArrayBuffer under a 32 MB cap', async () => {
    const caps = { memoryMb: 32, cpuMs: 1_000 };
    const outcome = await run(pool, 'const big = new ArrayBuffer(2 ** 30); return big.byteLength;', { caps });
    expect(outcome.status).toBe('limit');
    expect(outcome.limit).toBe('memory');
    expect(outcome.result).toBeUndefined();
    await expectSameWorkerStillRuns();
  });

  it('gives a program no WebAssembly.Memory to allocate outside the heap cap', async () => {
    const caps = { memoryMb: 32, cpuMs: 1_000 };
    const outcome = await run(
      pool,
      'const mem = new WebAssembly.Memory({ initial: 16_384 }); return mem.buffer.byteLength;',
      { caps },
    );
    expect(outcome.status).toBe('error');
    expect(outcome.error?.message).toMatch(/WebAssembly/);
    expect(outcome.result).toBeUndefined();
    await expectSameWorkerStillRuns();
  });
});

describe('other ways to stall or crash', () => {
  it('ends unbounded recursion with a call-stack error', async () => {
    const caps = { cpuMs: 1_000 };
    const outcome = await run(pool, 'const down = (n) => down(n + 1) + 1; return down(0);', { caps });
    expect(outcome.status).toBe('error');
    expect(outcome.error?.message).toMatch(/call stack/i);
    expect(outcome.result).toBeUndefined();
    await expectSameWorkerStillRuns();
  });

  it('ends an Atomics.wait that nothing will wake by a cap', async () => {
    const caps = { cpuMs: 500, wallMs: 1_500 };
    const outcome = await run(
      pool,
      'const cell = new Int32Array(new SharedArrayBuffer(16)); Atomics.wait(cell, 0, 0); return "woke";',
      { caps },
    );
    expect(outcome.status).toBe('limit');
    expect(['cpu', 'wall']).toContain(outcome.limit);
    expect(outcome.result).toBeUndefined();
    await expectSameWorkerStillRuns();
  });
});
