import { describe, expect, it } from 'vitest';
import { SandboxPool } from '../../../src/main/sandbox/pool.js';
import { noRosterBridge } from '../../../src/main/sandbox/bridge.js';
import type { RunOutcome } from '../../../src/shared/sandbox.js';
import { expectPoolHealthy, run, signallingBridge, warmPool } from './helpers.js';

// Caps far beyond the test timeout: only cancellation or a crash can end these runs in time.
const HUGE = { cpuMs: 600_000, wallMs: 600_000 };

const pool = warmPool();

/** Tracks whether a run has ended, without waiting for it. */
function track(outcome: Promise<RunOutcome>): { outcome: Promise<RunOutcome>; ended: () => boolean } {
  let ended = false;
  void outcome.then(() => (ended = true));
  return { outcome, ended: () => ended };
}

describe('cancellation', () => {
  it('cancels an infinite loop when its signal aborts', async () => {
    const controller = new AbortController();
    const { bridge, started } = signallingBridge();
    const pending = run(pool, 'warden.log("looping"); for (;;) {}', {
      caps: HUGE,
      bridge,
      signal: controller.signal,
    });
    await started;
    controller.abort();
    const outcome = await pending;
    expect(outcome.status).toBe('cancelled');
    expect(outcome.error?.code).toBe('E_CANCELLED');
    expect(outcome.result).toBeUndefined();
    await expectPoolHealthy(pool);
  }, 10_000);

  it('cancels a run whose signal was aborted before it started', async () => {
    const outcome = await run(pool, 'for (;;) {}', { caps: HUGE, signal: AbortSignal.abort() });
    expect(outcome.status).toBe('cancelled');
    await expectPoolHealthy(pool);
  }, 10_000);
});

describe('worker crashes', () => {
  it('fails the run of a killed worker with E_SANDBOX_CRASHED and replaces the worker', async () => {
    const { bridge, started } = signallingBridge();
    const pending = run(pool, 'warden.log("waiting"); await new Promise(() => {});', {
      caps: { wallMs: 10_000 },
      bridge,
    });
    await started;
    const [killed] = pool.workerPids();
    expect(killed).toBeTypeOf('number');
    process.kill(killed!, 'SIGKILL');
    const outcome = await pending;
    expect(outcome.status).toBe('error');
    expect(outcome.error?.code).toBe('E_SANDBOX_CRASHED');

    const pids = await expectPoolHealthy(pool);
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(killed);
  });
});

describe('concurrency', () => {
  it('gives each of several concurrent runs its own result, logs and memory', async () => {
    const body = `
      warden.log("run", task.n);
      await warden.memory.set("mine", task.n);
      for (let i = 0; i < 3; i++) await warden.memory.get("mine");
      return { n: task.n, square: task.n * task.n, label: task.label, mine: await warden.memory.get("mine") };`;
    const inputs = [1, 2, 3, 4, 5, 6].map((n) => ({ n, label: `job-${n}` }));
    const logs = inputs.map(() => [] as string[]);
    const outcomes = await Promise.all(
      inputs.map((input, i) =>
        run(pool, body, { input, bridge: noRosterBridge((_level, message) => logs[i]!.push(message)) }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(inputs.map(() => 'ok'));
    expect(outcomes.map((o) => o.result)).toEqual(inputs.map(({ n, label }) => ({ n, square: n * n, label, mine: n })));
    expect(logs).toEqual(inputs.map(({ n }) => [`run ${n}`]));
  });

  it('spreads concurrent runs over the workers of a pool of two', async () => {
    const pair = new SandboxPool({ size: 2 });
    try {
      const signals = [signallingBridge(), signallingBridge()];
      const runs = signals.map(({ bridge }) =>
        track(run(pair, 'warden.log("waiting"); await new Promise(() => {});', { caps: { wallMs: 10_000 }, bridge })),
      );
      await Promise.all(signals.map((s) => s.started));
      const pids = pair.workerPids();
      expect(new Set(pids).size).toBe(2);

      // Killing one worker ends exactly one run: the other lives on the other worker.
      process.kill(pids[0]!, 'SIGKILL');
      const first = await Promise.race(runs.map((r) => r.outcome));
      expect(first.error?.code).toBe('E_SANDBOX_CRASHED');
      expect(runs.filter((r) => r.ended())).toHaveLength(1);

      process.kill(pids[1]!, 'SIGKILL');
      const second = await runs.find((r) => !r.ended())!.outcome;
      expect(second.error?.code).toBe('E_SANDBOX_CRASHED');
    } finally {
      await pair.close();
    }
  });
});
