/** Where a command writes: stdout for results, stderr for everything a person reads on the side. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** The process's own streams. */
export const processIO: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Exit codes, as DESIGN.md gives them. */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2 } as const;

/** What a command does with its arguments; resolves with its exit code. */
export type CommandRun = (argv: string[], io: CliIO) => Promise<number>;

/** A command: its help, and its code, loaded only when it runs so `--help` starts fast. */
export interface Command {
  usage: string;
  summary: string;
  load(): Promise<CommandRun>;
}
