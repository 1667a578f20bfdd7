import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WardenError, toErrorData } from '../../shared/errors.js';
import { JsonValueSchema, type JsonValue } from '../../shared/json.js';
import {
  FromWorkerSchema,
  type FromWorker,
  type RunOutcome,
  type SandboxCaps,
  type ToWorker,
} from '../../shared/sandbox.js';
import type { HostBridge } from './bridge.js';
import type { OverCeiling } from './ceiling.js';
import type { Program } from './isolate-run.js';
import { forkWorker, type StartWorker, type WorkerChild } from './worker-start.js';

/** How long past its wall cap a run may go before the host gives up on the worker and kills it. */
const WATCHDOG_GRACE_MS = 1_000;
/** The last stderr a worker wrote, kept to explain a crash. */
const STDERR_TAIL = 4_096;

/** tsx's loader as a file URL, so the worker finds it whatever the working folder is. */
function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/** One sandboxed run as the host asks for it. */
export interface SandboxRequest {
  program: Program;
  input: JsonValue;
  caps: SandboxCaps;
  bridge: HostBridge;
  /** Stops the run: it ends with status `cancelled`. */
  signal?: AbortSignal;
  runId?: string;
}

interface RunState {
  bridge: HostBridge;
  caps: SandboxCaps;
  started: number;
  watchdog: NodeJS.Timeout | undefined;
  finish: (outcome: RunOutcome) => void;
}

interface WorkerHandle {
  child: WorkerChild;
  ready: Promise<void>;
  runs: Map<string, RunState>;
  stderr: string;
  /** Set when the host killed it on purpose, to name the run that caused it. */
  killedFor: string | null;
  /** Set when it reported its resident memory over its ceiling; all its runs end at `memory`. */
  overCeiling: OverCeiling | null;
}

/** Options of the sandbox pool. */
export interface PoolOptions {
  /** Worker processes; runs go to the least busy. */
  size?: number;
  /** How a worker process is started: child_process.fork unless the desktop app passes its own. */
  startWorker?: StartWorker;
  /**
   * Each worker's resident-memory ceiling, MB. By default it follows the memory caps of the
   * runs a worker holds (see workerCeilingMb); a worker over it is killed and replaced.
   */
  workerMemoryMb?: number;
}

/**
 * Starts sandbox worker processes and hands them runs. A worker that dies (an isolate that
 * crashed V8, a kill) fails the runs it held with E_SANDBOX_CRASHED and is replaced on the
 * next run; a worker that stops answering past a run's wall cap is killed. The host process
 * itself is never at risk from an agent's program.
 */
export class SandboxPool {
  private readonly workers: (WorkerHandle | null)[];
  private nextRun = 0;
  private closed = false;
  private readonly startWorker: StartWorker;
  private readonly workerMemoryMb: number | undefined;

  constructor(options: PoolOptions = {}) {
    this.startWorker = options.startWorker ?? forkWorker;
    this.workers = new Array<WorkerHandle | null>(Math.max(1, options.size ?? 1)).fill(null);
    this.workerMemoryMb = options.workerMemoryMb;
  }

  /** Runs a program; resolves with its outcome (never rejects for anything the program does). */
  async run(request: SandboxRequest): Promise<RunOutcome> {
    if (this.closed) throw new Error('the sandbox pool is closed');
    const runId = request.runId ?? `sandbox-${process.pid}-${++this.nextRun}`;
    const worker = this.pick();
    return new Promise<RunOutcome>((resolve) => {
      const onAbort = () => this.send(worker, { type: 'cancel', runId });
      const state: RunState = {
        bridge: request.bridge,
        caps: request.caps,
        started: performance.now(),
        watchdog: undefined,
        finish: (outcome) => {
          clearTimeout(state.watchdog);
          request.signal?.removeEventListener('abort', onAbort);
          worker.runs.delete(runId);
          resolve(outcome);
        },
      };
      // Counted against its worker at once, so runs started together spread over the pool.
      worker.runs.set(runId, state);
      worker.ready.then(
        () => {
          if (!worker.runs.has(runId)) return;
          state.started = performance.now();
          state.watchdog = setTimeout(() => this.kill(worker, runId), request.caps.wallMs + WATCHDOG_GRACE_MS);
          request.signal?.addEventListener('abort', onAbort, { once: true });
          this.send(worker, {
            type: 'run',
            runId,
            source: request.program.source,
            filename: request.program.filename,
            input: request.input,
            caps: request.caps,
            ...(this.workerMemoryMb !== undefined ? { workerMemoryMb: this.workerMemoryMb } : {}),
          });
          if (request.signal?.aborted) onAbort();
        },
        // A worker that never became ready has exited; its exit handler ended this run.
        () => undefined,
      );
    });
  }

  /** Process ids of the live workers (for diagnostics and tests). */
  workerPids(): number[] {
    return this.workers.flatMap((w) => (w?.child.pid ? [w.child.pid] : []));
  }

  /** Stops every worker; runs still in flight end as cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.workers.map(async (worker) => {
        if (!worker) return;
        const exited = new Promise<void>((resolve) => worker.child.once('exit', () => resolve()));
        worker.child.kill('SIGKILL');
        await exited;
      }),
    );
  }

  private pick(): WorkerHandle {
    let best = -1;
    for (let i = 0; i < this.workers.length; i++) {
      const w = this.workers[i];
      if (!w) {
        this.workers[i] = this.spawn(i);
        return this.workers[i]!;
      }
      if (best < 0 || w.runs.size < this.workers[best]!.runs.size) best = i;
    }
    return this.workers[best]!;
  }

  private spawn(slot: number): WorkerHandle {
    const entry = fileURLToPath(new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
    // Running from source (tests, `npx warden`), the worker is TypeScript too.
    const child = this.startWorker(entry, entry.endsWith('.ts') ? ['--import', tsxLoader()] : []);
    let markReady!: () => void;
    let failReady!: (error: Error) => void;
    const handle: WorkerHandle = {
      child,
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failReady = reject;
      }),
      runs: new Map(),
      stderr: '',
      killedFor: null,
      overCeiling: null,
    };
    handle.ready.catch(() => undefined); // Runs waiting on it see the failure through the exit handler.
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      handle.stderr = (handle.stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on('message', (raw) => {
      const parsed = FromWorkerSchema.safeParse(raw);
      // A worker that speaks out of schema is not to be trusted with more runs.
      if (!parsed.success) return this.kill(handle, null);
      if (parsed.data.type === 'ready') return markReady();
      if (parsed.data.type === 'over-ceiling') {
        handle.overCeiling = { rssMb: parsed.data.rssMb, ceilingMb: parsed.data.ceilingMb };
        return this.kill(handle, null);
      }
      this.onMessage(handle, parsed.data);
    });
    child.on('error', (error) => failReady(error));
    child.on('exit', (code, signal) => {
      if (this.workers[slot] === handle) this.workers[slot] = null;
      failReady(
        new Error(`the sandbox worker exited before it was ready (${signal ?? code}): ${handle.stderr.trim()}`),
      );
      for (const [runId, state] of handle.runs) {
        const wallMs = Math.round((performance.now() - state.started) * 100) / 100;
        if (handle.killedFor === runId) {
          state.finish({
            status: 'limit',
            limit: 'wall',
            error: {
              code: 'E_SANDBOX_WALL',
              message: `the program ran longer than its ${state.caps.wallMs} ms wall-clock cap`,
            },
            cpuMs: 0,
            wallMs,
          });
        } else if (handle.overCeiling) {
          const { rssMb, ceilingMb } = handle.overCeiling;
          state.finish({
            status: 'limit',
            limit: 'memory',
            error: {
              code: 'E_SANDBOX_MEMORY',
              message: `the sandbox worker went over its ${ceilingMb} MB memory ceiling (${rssMb} MB resident) and was replaced`,
            },
            cpuMs: 0,
            wallMs,
          });
        } else {
          const why = this.closed
            ? 'the sandbox was shut down'
            : `the sandbox worker exited (${signal ?? `code ${code}`}) during the run`;
          state.finish({
            status: this.closed ? 'cancelled' : 'error',
            error: { code: this.closed ? 'E_CANCELLED' : 'E_SANDBOX_CRASHED', message: why },
            cpuMs: 0,
            wallMs,
          });
        }
      }
    });
    return handle;
  }

  private onMessage(worker: WorkerHandle, message: Exclude<FromWorker, { type: 'ready' | 'over-ceiling' }>): void {
    const state = worker.runs.get(message.runId);
    if (!state) return;
    switch (message.type) {
      case 'done':
        state.finish(message.outcome);
        break;
      case 'log':
        try {
          state.bridge.log?.(message.level, message.message);
        } catch {
          // A log sink that fails must not take the host down; the run goes on.
        }
        break;
      case 'host-call': {
        const { runId, callId, fn } = message;
        // The bridge is the runtime's code, but a throw or a non-JSON answer from it must
        // still come back to the program as an error, never escape into the host.
        Promise.resolve()
          .then(() => state.bridge.call(fn, message.args))
          .then((value) => {
            const json = JsonValueSchema.safeParse(value ?? null);
            if (!json.success)
              throw new WardenError('E_SANDBOX_HOST', `the host's answer to warden.${fn} is not plain data`);
            return json.data;
          })
          .then(
            (value) => this.send(worker, { type: 'host-result', runId, callId, ok: true, value }),
            (error: unknown) =>
              this.send(worker, { type: 'host-result', runId, callId, ok: false, error: toErrorData(error) }),
          );
        break;
      }
    }
  }

  private send(worker: WorkerHandle, message: ToWorker): void {
    if (!worker.child.connected) return;
    try {
      worker.child.send(message);
    } catch {
      // The channel closed under us: the exit handler ends the worker's runs.
    }
  }

  private kill(worker: WorkerHandle, runId: string | null): void {
    worker.killedFor = runId;
    worker.child.kill('SIGKILL');
  }
}
