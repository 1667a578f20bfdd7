import { describe, expect, it } from 'vitest';
import { noRosterBridge, type HostBridge } from '../../../src/main/sandbox/bridge.js';
import { SandboxPool } from '../../../src/main/sandbox/pool.js';
import type { JsonValue } from '../../../src/shared/json.js';
import { expectPoolHealthy, run, signallingBridge, warmPool } from './helpers.js';

const pool = warmPool();

describe('a program cannot pass itself off as Warden', () => {
  it('a thrown message that looks like a Warden code stays a thrown error', async () => {
    const outcome = await run(pool, 'throw new Error("[E_SANDBOX_CRASHED] the worker died");');
    expect(outcome.status).toBe('error');
    expect(outcome.error?.code).toBe('E_SANDBOX_THROWN');
  });

  it('a thrown "memory limit" message is not a memory limit', async () => {
    const outcome = await run(pool, 'throw new Error("Isolate was disposed during execution due to memory limit");');
    expect(outcome.status).toBe('error');
    expect(outcome.limit).toBeUndefined();
  });

  it("a top-level throw is the program's error", async () => {
    const outcome = await run(pool, {
      source: 'throw new Error("at load"); export default async () => 1;',
      filename: 'top.js',
    });
    expect(outcome.error).toEqual({ code: 'E_SANDBOX_THROWN', message: 'at load' });
  });
});

describe("results take JSON's meaning", () => {
  it('drops undefined properties and turns holes into null', async () => {
    const outcome = await run(pool, 'const holes = [, 1]; return { a: undefined, b: 1, holes };');
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual({ b: 1, holes: [null, 1] });
  });
});

describe('a faulty host bridge never reaches the host process', () => {
  const cases: [string, HostBridge][] = [
    [
      'throws synchronously',
      {
        call: (() => {
          throw new Error('bridge broke');
        }) as unknown as HostBridge['call'],
      },
    ],
    ['answers with a value that is not JSON', { call: async () => 10n as unknown as JsonValue }],
  ];
  for (const [what, bridge] of cases) {
    it(`the program sees an error when the bridge ${what}`, async () => {
      const outcome = await run(
        pool,
        'try { await warden.tool("erp.post", {}); return "no error"; } catch (e) { return e.code; }',
        { bridge },
      );
      expect(outcome.status).toBe('ok');
      expect(outcome.result).toBe(what.startsWith('throws') ? 'E_SANDBOX_HOST' : 'E_SANDBOX_HOST');
      await expectPoolHealthy(pool);
    });
  }

  it('a log sink that throws does not stop the run', async () => {
    const bridge: HostBridge = {
      ...noRosterBridge(),
      log: () => {
        throw new Error('disk full');
      },
    };
    const outcome = await run(pool, 'warden.log("a"); warden.log("b"); return 7;', { bridge });
    expect(outcome.result).toBe(7);
  });
});

describe('placement', () => {
  it('spreads runs started together over a warm pool', async () => {
    const two = new SandboxPool({ size: 2 });
    try {
      await Promise.all([expectPoolHealthy(two), expectPoolHealthy(two)]);
      const [first, second] = [signallingBridge(), signallingBridge()];
      const runs = [first, second].map(({ bridge }) =>
        run(two, 'warden.log("up"); await new Promise(() => {});', { bridge, caps: { wallMs: 60_000, cpuMs: 60_000 } }),
      );
      await Promise.all([first.started, second.started]);
      expect(two.workerPids()).toHaveLength(2);
      // Killing one worker ends exactly one of the two runs: they were on different workers.
      process.kill(two.workerPids()[0]!, 'SIGKILL');
      const ended = await Promise.race(runs.map((r, i) => r.then(() => i)));
      const other = runs[1 - ended]!;
      const stillRunning = await Promise.race([
        other.then(() => false),
        new Promise((r) => setTimeout(() => r(true), 300)),
      ]);
      expect(stillRunning).toBe(true);
    } finally {
      await two.close();
    }
  });
});
