import ivm from 'isolated-vm';
import type { ErrorData } from '../../shared/errors.js';
import { JsonValueSchema, type JsonValue } from '../../shared/json.js';
import type { HostFunction, RunOutcome, SandboxCaps } from '../../shared/sandbox.js';
import { PRELUDE } from './prelude.js';

/** What a run inside a worker needs from its worker: the way out to the host. */
export interface IsolateHooks {
  /** Forwards a host call; resolves with the host's answer as JSON text of an ok/error envelope. */
  hostCall(fn: HostFunction, args: JsonValue[]): Promise<string>;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/** Why the worker itself stopped the isolate, if it did. */
type StopReason = 'cpu' | 'wall' | 'cancelled';

/** A program handed to a run: its source and the name its errors are reported under. */
export interface Program {
  source: string;
  filename: string;
}

/**
 * One agent program in one fresh isolate, under its caps. Memory is isolated-vm's heap limit
 * (it disposes the isolate when the heap is exhausted); CPU is the isolate's own CPU time,
 * checked by the worker's monitor through {@link checkCpu}, so time spent waiting for host
 * calls is free; wall time is a timer. Stopping means disposing the isolate, which
 * terminates whatever it is doing, including a tight loop or an Atomics.wait.
 */
export class IsolateRun {
  private readonly isolate: ivm.Isolate;
  private stopReason: StopReason | null = null;
  private lastCpuMs = 0;
  private readonly started = performance.now();

  constructor(
    private readonly program: Program,
    private readonly input: JsonValue,
    private readonly caps: SandboxCaps,
    private readonly hooks: IsolateHooks,
  ) {
    this.isolate = new ivm.Isolate({ memoryLimit: caps.memoryMb });
  }

  /** Stops the run if its CPU time is over the cap. */
  checkCpu(): void {
    if (this.isolate.isDisposed) return;
    this.lastCpuMs = Number(this.isolate.cpuTime) / 1e6;
    if (this.lastCpuMs > this.caps.cpuMs) this.stop('cpu');
  }

  /** Stops the run at the user's or the runtime's request. */
  cancel(): void {
    this.stop('cancelled');
  }

  /** Runs the program to its end; never rejects. */
  async execute(): Promise<RunOutcome> {
    const wallTimer = setTimeout(() => this.stop('wall'), this.caps.wallMs);
    const hostCall = new ivm.Reference((fn: HostFunction, argsText: string) =>
      this.hooks.hostCall(fn, JSON.parse(argsText) as JsonValue[]),
    );
    const hostLog = new ivm.Reference((level: 'info', message: string) => this.hooks.log(level, message));
    try {
      const result = await this.runProgram(hostCall, hostLog);
      return this.outcome({ status: 'ok', result });
    } catch (error) {
      return this.outcome(this.classify(error));
    } finally {
      clearTimeout(wallTimer);
      hostCall.release();
      hostLog.release();
      this.dispose();
    }
  }

  private async runProgram(hostCall: ivm.Reference, hostLog: ivm.Reference): Promise<JsonValue> {
    const context = await this.isolate.createContext();
    // References pass into the isolate as themselves: the program's only ways out.
    const run = (await context.evalClosure(PRELUDE, [hostCall, hostLog], {
      result: { reference: true },
    })) as ivm.Reference;
    let module: ivm.Module;
    try {
      module = await this.isolate.compileModule(this.program.source, { filename: this.program.filename });
    } catch (error) {
      throw new SandboxFailure('E_SANDBOX_PROGRAM', `${this.program.filename}: ${(error as Error).message}`);
    }
    let refusedImport: string | null = null;
    try {
      await module.instantiate(context, (specifier) => {
        refusedImport = specifier;
        throw new Error('imports are refused');
      });
    } catch (error) {
      if (refusedImport === null) throw error;
      throw new SandboxFailure(
        'E_SANDBOX_IMPORT',
        `import "${refusedImport}" refused: agent programs cannot import modules`,
      );
    }
    await module.evaluate({ promise: true });
    const main = await module.namespace.get('default', { reference: true });
    // copy: structured clone refuses what the prelude's check cannot see (a Proxy). The
    // prelude never throws, so a failure here is the copy's (or the isolate's end).
    let envelope: Envelope;
    try {
      envelope = (await run.apply(undefined, [main.derefInto(), JSON.stringify(this.input)], {
        result: { promise: true, copy: true },
      })) as Envelope;
    } catch (error) {
      const message = (error as Error).message;
      if (this.isolate.isDisposed || !/could not be cloned/.test(message)) throw error;
      throw new SandboxFailure(
        'E_SANDBOX_RESULT',
        `the result is not plain data (${message}); only plain data (JSON) crosses the sandbox`,
      );
    }
    if (!envelope.ok) {
      if ('thrown' in envelope) throw new ProgramThrew(envelope.thrown.name, envelope.thrown.message);
      throw new SandboxFailure(envelope.code, envelope.message);
    }
    // The host never trusts the isolate: the copy is checked again on this side, with JSON's
    // meaning (undefined properties dropped, holes as null), which is what crosses from here on.
    let json: unknown;
    try {
      json = JSON.parse(JSON.stringify(envelope.value));
    } catch (error) {
      throw new SandboxFailure('E_SANDBOX_RESULT', `the result is not plain data (JSON): ${(error as Error).message}`);
    }
    const parsed = JsonValueSchema.safeParse(json);
    if (!parsed.success) throw new SandboxFailure('E_SANDBOX_RESULT', 'the result is not plain data (JSON)');
    return parsed.data;
  }

  private classify(error: unknown): Omit<RunOutcome, 'cpuMs' | 'wallMs'> {
    if (this.stopReason === 'cancelled') {
      return { status: 'cancelled', error: { code: 'E_CANCELLED', message: 'the run was stopped' } };
    }
    if (this.stopReason)
      return { status: 'limit', limit: this.stopReason, error: limitError(this.stopReason, this.caps) };
    // Disposed, and not by the worker: isolated-vm disposes an isolate whose heap is full.
    if (this.isolate.isDisposed || isArrayBufferRefusal(error)) {
      return { status: 'limit', limit: 'memory', error: limitError('memory', this.caps) };
    }
    if (error instanceof SandboxFailure)
      return { status: 'error', error: { code: error.code, message: error.message } };
    // What the program threw, at the top level or from its default export.
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'error', error: { code: 'E_SANDBOX_THROWN', message } };
  }

  private outcome(partial: Omit<RunOutcome, 'cpuMs' | 'wallMs'>): RunOutcome {
    if (!this.isolate.isDisposed) {
      try {
        this.lastCpuMs = Number(this.isolate.cpuTime) / 1e6;
      } catch {
        // Disposed between the check and the read: keep the monitor's last reading.
      }
    }
    return { ...partial, cpuMs: round(this.lastCpuMs), wallMs: round(performance.now() - this.started) };
  }

  private stop(reason: StopReason): void {
    if (this.stopReason || this.isolate.isDisposed) return;
    this.stopReason = reason;
    this.dispose();
  }

  private dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }
}

/** What the prelude hands back: the result, its own refusal, or what the program threw. */
type Envelope =
  | { ok: true; value: unknown }
  | { ok: false; code: string; message: string }
  | { ok: false; thrown: { name: string; message: string } };

/** A failure Warden itself names (not something the program threw), with its code. */
class SandboxFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Something the program threw, as the prelude described it. */
class ProgramThrew extends Error {
  constructor(
    readonly thrownName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * isolated-vm refuses an ArrayBuffer past the memory cap with this RangeError. A program can
 * catch it and go on; when it does not, the run ended at its memory cap.
 */
function isArrayBufferRefusal(error: unknown): boolean {
  return (
    error instanceof ProgramThrew &&
    error.thrownName === 'RangeError' &&
    error.message === 'Array buffer allocation failed'
  );
}

function limitError(limit: 'memory' | 'cpu' | 'wall', caps: SandboxCaps): ErrorData {
  const text = {
    memory: `the program ran out of its ${caps.memoryMb} MB memory cap`,
    cpu: `the program used more than its ${caps.cpuMs} ms CPU cap`,
    wall: `the program ran longer than its ${caps.wallMs} ms wall-clock cap`,
  }[limit];
  return { code: `E_SANDBOX_${limit.toUpperCase()}`, message: text };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
