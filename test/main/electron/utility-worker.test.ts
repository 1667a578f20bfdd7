import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ForkOptions, UtilityProcess } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { utilityWorker } from '../../../src/main/electron/utility-worker.js';
import { noRosterBridge } from '../../../src/main/sandbox/bridge.js';
import { hostPort } from '../../../src/main/sandbox/host-port.js';
import { SandboxPool } from '../../../src/main/sandbox/pool.js';
import { expectPoolHealthy, run, signallingBridge } from '../sandbox/helpers.js';

const UTILITY_HOST = fileURLToPath(new URL('./utility-host.ts', import.meta.url));

/** Electron's UtilityProcess as far as the adapter uses it, over a Node child that plays one. */
class FakeUtilityProcess extends EventEmitter {
  readonly child: ChildProcess;

  constructor(modulePath: string, args: string[], options: ForkOptions) {
    super();
    this.child = fork(UTILITY_HOST, [modulePath, ...args], {
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Structured clone, as postMessage uses, rather than the JSON of the CLI's workers.
      serialization: 'advanced',
    });
    this.child.on('message', (message) => this.emit('message', message));
    this.child.on('exit', (code) => this.emit('exit', code ?? 1));
  }

  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  get stderr() {
    return this.child.stderr;
  }

  postMessage(message: unknown): void {
    this.child.send(message as object);
  }

  kill(): boolean {
    return this.child.kill();
  }
}

const forks: { modulePath: string; args: string[]; options: ForkOptions }[] = [];
const pool = new SandboxPool({
  size: 1,
  startWorker: utilityWorker((modulePath, args, options) => {
    forks.push({ modulePath, args, options });
    return new FakeUtilityProcess(modulePath, args, options) as unknown as UtilityProcess;
  }),
});
afterAll(() => pool.close());

/** Starts a run that waits forever; resolves once it is running, with the worker's pid. */
async function waitingRun(on: SandboxPool) {
  const { bridge, started } = signallingBridge();
  const pending = run(on, 'warden.log("waiting"); await new Promise(() => {});', { caps: { wallMs: 30_000 }, bridge });
  await started;
  return { pending, pid: on.workerPids()[0]! };
}

describe('sandbox workers as utility processes', () => {
  it('run a program whose host calls and logs travel over parentPort', async () => {
    const lines: string[] = [];
    const outcome = await run(
      pool,
      `warden.log("hello", task.n);
       await warden.memory.set("k", task.n + 1);
       return { n: await warden.memory.get("k") };`,
      {
        input: { n: 41 },
        bridge: noRosterBridge((_, m) => lines.push(m)),
      },
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toEqual({ n: 42 });
    expect(lines).toEqual(['hello 41']);
    // Started the Electron way: no IPC file descriptor, which a utility process cannot have.
    expect(forks[0]!.modulePath).toMatch(/worker\.ts$/);
    expect(forks[0]!.options.stdio).toEqual(['ignore', 'ignore', 'pipe']);
  }, 60_000);

  it('fail the run of a killed worker with E_SANDBOX_CRASHED and start a fresh one', async () => {
    const { pending, pid: killed } = await waitingRun(pool);
    process.kill(killed, 'SIGKILL');
    const outcome = await pending;
    expect(outcome.error?.code).toBe('E_SANDBOX_CRASHED');
    const pids = await expectPoolHealthy(pool);
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(killed);
  }, 60_000);

  it('end runs in flight as cancelled when the pool closes, and the process with them', async () => {
    const own = new SandboxPool({
      startWorker: utilityWorker(
        (path, args, options) => new FakeUtilityProcess(path, args, options) as unknown as UtilityProcess,
      ),
    });
    const { pending, pid } = await waitingRun(own);
    await own.close();
    expect((await pending).status).toBe('cancelled');
    expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});

describe('the worker side of the channel', () => {
  it('uses parentPort when there is one, unwrapping what arrives', () => {
    const sent: unknown[] = [];
    const events = new EventEmitter();
    const parentPort = { postMessage: (m: unknown) => sent.push(m), on: events.on.bind(events) };
    const port = hostPort({ parentPort } as unknown as NodeJS.Process);
    const received: unknown[] = [];
    port.onMessage((raw) => received.push(raw));
    port.send({ type: 'ready' });
    events.emit('message', { data: { type: 'cancel', runId: 'r' }, ports: [] });
    expect(sent).toEqual([{ type: 'ready' }]);
    expect(received).toEqual([{ type: 'cancel', runId: 'r' }]);
  });

  it('refuses to start with no channel to its host', () => {
    expect(() => hostPort({ on: () => undefined } as unknown as NodeJS.Process)).toThrow(/without a channel/);
  });
});
