/** Where a command writes: stdout for results, stderr for everything a person reads on the side. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** Something text is written to: a stream of the process, or a test's buffer. */
export interface Sink {
  write(text: string): unknown;
}

/**
 * Lines to two sinks. Each text ends with a newline, so help ends with one and an error that
 * follows anything else starts on its own line.
 */
export function linesTo(out: Sink, err: Sink): CliIO {
  return {
    out: (text) => out.write(`${text}\n`),
    err: (text) => err.write(`${text}\n`),
  };
}

/** The same lines, each passed through `redact` first (the ledger's redactor: no secret reaches the terminal). */
export function redacting(io: CliIO, redact: (text: string) => string): CliIO {
  return { out: (text) => io.out(redact(text)), err: (text) => io.err(redact(text)) };
}

/** A stream that can fail, as the process's stdout does when its reader goes away. */
export interface PipeStream extends Sink {
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/**
 * A sink on a pipe whose reader may close early (`warden runs list | head -1`): the command
 * goes on and finishes its work, writing nothing more there, instead of dying with EPIPE.
 */
export function pipeSink(stream: PipeStream): Sink {
  let closed = false;
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return { write: (text) => closed || stream.write(text) };
}

/** The process's own streams. */
export const processIO: CliIO = linesTo(pipeSink(process.stdout), pipeSink(process.stderr));

/**
 * Exit codes: 0 success; 1 a check failed (a tampered ledger, an eval below its threshold, a run
 * that failed); 2 bad usage or bad input; 3 a person rejected what a run asked for.
 */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, rejected: 3 } as const;

/** What a command does with its arguments; resolves with its exit code. */
export type CommandRun = (argv: string[], io: CliIO) => Promise<number>;

/** A command: its help, and its code, loaded only when it runs so `--help` starts fast. */
export interface Command {
  usage: string;
  summary: string;
  load(): Promise<CommandRun>;
}
