import type { JsonValue } from '../../src/shared/json.js';
import type { HostBridge } from '../../src/main/sandbox/bridge.js';
import { noRosterBridge } from '../../src/main/sandbox/bridge.js';
import { SandboxPool } from '../../src/main/sandbox/pool.js';
import { median, percentile, report } from './stats.js';

const caps = { memoryMb: 64, cpuMs: 10_000, wallMs: 60_000 };

/** Runs the sandbox benchmarks. */
export async function sandboxBenchmarks(): Promise<void> {
  const pool = new SandboxPool({ size: 1 });
  const program = { source: 'export default async (task) => ({ n: task.n + 1 })', filename: 'tiny.js' };
  // Warm the worker (process start, module load) before measuring.
  for (let i = 0; i < 20; i++) await pool.run({ program, input: { n: i }, caps, bridge: noRosterBridge() });

  const inWorker: number[] = [];
  const endToEnd: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    const outcome = await pool.run({ program, input: { n: i }, caps, bridge: noRosterBridge() });
    endToEnd.push(performance.now() - t);
    inWorker.push(outcome.wallMs);
  }
  report('sandbox run start to result (isolate, context, program), p50', median(inWorker), 'ms', '<= 3');
  report('  same, seen from the host (with IPC), p50', median(endToEnd), 'ms', '-');
  report('  same, seen from the host, p99', percentile(endToEnd, 99), 'ms', '-');

  // A host call round trip: the program awaits 2,000 calls one after another; the time
  // between consecutive arrivals at the host is one whole trip isolate -> worker -> host -> back.
  const arrivals: number[] = [];
  const bridge: HostBridge = {
    async call(): Promise<JsonValue> {
      arrivals.push(performance.now());
      return 1;
    },
  };
  const calls = {
    source:
      'export default async (t, warden) => { let s = 0; for (let i = 0; i < 2000; i++) s += await warden.memory.get("k"); return s; }',
    filename: 'calls.js',
  };
  await pool.run({ program: calls, input: {}, caps, bridge });
  arrivals.length = 0;
  await pool.run({ program: calls, input: {}, caps, bridge });
  const trips = arrivals.slice(1).map((t, i) => (t - arrivals[i]!) * 1000);
  report('host call round trip from inside the isolate, p50', median(trips), 'µs', '<= 100');
  report('  same, p99', percentile(trips, 99), 'µs', '-');
  await pool.close();
}
