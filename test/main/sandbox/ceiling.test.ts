import { describe, expect, it } from 'vitest';
import { ceilingWatch, workerCeilingMb } from '../../../src/main/sandbox/ceiling.js';
import { SandboxPool } from '../../../src/main/sandbox/pool.js';
import { WORKER_CEILING_BASE_MB, WORKER_CEILING_PER_CAP } from '../../../src/shared/sandbox.js';
import { expectPoolHealthy, run } from './helpers.js';

/** A program that holds `mb` of memory its own cap allows, then waits to be stopped. */
const HOLD = (mb: number) => `
const held = [];
for (let i = 0; i < ${mb}; i++) held.push(new Uint8Array(1024 * 1024).fill(i));
await new Promise(() => {});
return held.length;`;

describe("a worker's resident-memory ceiling", () => {
  it('follows the memory caps of the runs a worker holds, unless the pool sets one', () => {
    expect(workerCeilingMb([])).toBe(WORKER_CEILING_BASE_MB);
    expect(workerCeilingMb([64, 128])).toBe(WORKER_CEILING_BASE_MB + WORKER_CEILING_PER_CAP * 192);
    expect(workerCeilingMb([64, 128], 300)).toBe(300);
  });

  it('is reported once, the first time the worker is over it', () => {
    let rss = 100 * 1024 * 1024;
    const check = ceilingWatch(() => rss);
    expect(check(200)).toBeNull();
    rss = 250 * 1024 * 1024;
    expect(check(200)).toEqual({ rssMb: 250, ceilingMb: 200 });
    expect(check(200)).toBeNull();
  });

  it('kills and replaces a real worker over it; its run ends at its memory limit', { timeout: 120_000 }, async () => {
    const pool = new SandboxPool({ size: 1, workerMemoryMb: 256 });
    try {
      const [before] = await expectPoolHealthy(pool);
      // The isolate's own cap (1 GB) would allow 400 MB: the worker's ceiling stops it.
      const outcome = await run(pool, HOLD(400), { caps: { memoryMb: 1024, cpuMs: 60_000, wallMs: 120_000 } });
      expect(outcome.status).toBe('limit');
      expect(outcome.limit).toBe('memory');
      expect(outcome.error?.code).toBe('E_SANDBOX_MEMORY');
      expect(outcome.error?.message).toMatch(
        /went over its 256 MB memory ceiling \(\d+ MB resident\) and was replaced/,
      );
      const [after] = await expectPoolHealthy(pool);
      expect(after).not.toBe(before);
    } finally {
      await pool.close();
    }
  });

  it('leaves a worker under its default ceiling alone', { timeout: 60_000 }, async () => {
    const pool = new SandboxPool({ size: 1 });
    try {
      const [before] = await expectPoolHealthy(pool);
      const outcome = await run(
        pool,
        'const held = []; for (let i = 0; i < 40; i++) held.push(new Uint8Array(1 << 20).fill(1)); return held.length;',
        {
          caps: { memoryMb: 128, cpuMs: 60_000, wallMs: 120_000 },
        },
      );
      expect(outcome.result).toBe(40);
      expect(await expectPoolHealthy(pool)).toEqual([before]);
    } finally {
      await pool.close();
    }
  });
});
