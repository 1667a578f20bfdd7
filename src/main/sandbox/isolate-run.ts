import ivm from 'isolated-vm';
import type { ErrorData } from '../../shared/errors.js';
import { JsonValueSchema, type JsonValue } from '../../shared/json.js';
import { SANDBOX_OUTPUT_LIMITS, type HostFunction, type RunOutcome, type SandboxCaps } from '../../shared/sandbox.js';
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
  /** The result as the prelude delivered it, once it has. */
  private delivered: { value: unknown } | null = null;

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
    // The prelude copied and measured the arguments inside the isolate; the host checks again.
    const hostCall = new ivm.Reference(async (fn: HostFunction, args: unknown) => {
      let checked: JsonValue;
      try {
        checked = checkedJson(args, SANDBOX_OUTPUT_LIMITS.hostCall, `warden.${fn}'s arguments`);
      } catch (error) {
        const { code, message } = error as SandboxFailure;
        return JSON.stringify({ ok: false, code, message });
      }
      return this.hooks.hostCall(fn, checked as JsonValue[]);
    });
    const hostLog = new ivm.Reference((level: 'info', message: string) => this.hooks.log(level, message));
    const deliver = new ivm.Reference((value: unknown) => {
      this.delivered = { value };
    });
    try {
      const result = await this.runProgram(hostCall, hostLog, deliver);
      return this.outcome({ status: 'ok', result });
    } catch (error) {
      return this.outcome(this.classify(error));
    } finally {
      clearTimeout(wallTimer);
      hostCall.release();
      hostLog.release();
      deliver.release();
      this.dispose();
    }
  }

  private async runProgram(
    hostCall: ivm.Reference,
    hostLog: ivm.Reference,
    deliver: ivm.Reference,
  ): Promise<JsonValue> {
    const context = await this.isolate.createContext();
    // References pass into the isolate as themselves: the program's only ways out.
    const run = (await context.evalClosure(
      PRELUDE,
      [hostCall, hostLog, deliver, JSON.stringify(SANDBOX_OUTPUT_LIMITS)],
      {
        result: { reference: true },
      },
    )) as ivm.Reference;
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
    // The prelude never throws: the program's result arrives through deliver, checked and
    // copied there, and the envelope says how the program ended.
    const envelope = (await run.apply(undefined, [main.derefInto(), JSON.stringify(this.input)], {
      result: { promise: true, copy: true },
    })) as Envelope;
    if (!envelope.ok) {
      if ('thrown' in envelope) throw new ProgramThrew(envelope.thrown.name, envelope.thrown.message);
      throw new SandboxFailure(envelope.code, envelope.message);
    }
    if (!this.delivered) throw new SandboxFailure('E_SANDBOX_RESULT', 'the result never arrived from the sandbox');
    // The host never trusts the isolate: the copy is checked again on this side, with JSON's
    // meaning (undefined properties dropped, holes as null), which is what crosses from here on.
    return checkedJson(this.delivered.value, SANDBOX_OUTPUT_LIMITS.result, 'the result');
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
    // A message isolated-vm copied out whole (a top-level throw, an unhandled rejection) is cut
    // here, before it leaves the worker.
    const error = partial.error && { ...partial.error, message: cut(partial.error.message) };
    return {
      ...partial,
      ...(error ? { error } : {}),
      cpuMs: round(this.lastCpuMs),
      wallMs: round(performance.now() - this.started),
    };
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

/** What the prelude hands back: done (the result delivered), its own refusal, or what the program threw. */
type Envelope =
  | { ok: true }
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

/**
 * A value from the isolate as JSON: refused when its JSON is longer than limit or is not plain
 * data. The prelude measured it before copying it out; this is the host's own check.
 */
function checkedJson(value: unknown, limit: number, what: string): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new SandboxFailure('E_SANDBOX_RESULT', `${what} is not plain data (JSON): ${(error as Error).message}`);
  }
  if (text !== undefined && text.length > limit) {
    throw new SandboxFailure(
      'E_SANDBOX_TOO_LARGE',
      `${what} is more than ${limit} characters of JSON, the limit of what leaves the sandbox`,
    );
  }
  const parsed = JsonValueSchema.safeParse(text === undefined ? undefined : JSON.parse(text));
  if (!parsed.success) throw new SandboxFailure('E_SANDBOX_RESULT', `${what} is not plain data (JSON)`);
  return parsed.data;
}

/** An error message cut to the limit of what leaves the sandbox. */
function cut(message: string): string {
  const limit = SANDBOX_OUTPUT_LIMITS.errorMessage;
  if (message.length <= limit) return message;
  const note = `… (message cut: ${message.length} characters, the limit is ${limit})`;
  return message.slice(0, limit - note.length) + note;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
