import { StdioClientTransport, type StdioServerParameters } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RedactingLog, StreamTail } from './log.js';

/** How a server process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Lines of a dead server's stderr quoted in the error that says why it did not start. */
const QUOTED_LINES = 8;
/** How long to wait for the rest of a dead server's stderr before explaining with what is there. */
const STDERR_DRAIN_MS = 2_000;

/**
 * The SDK's stdio transport, watched: it records how the process ended, and follows its stderr
 * into the server's log, so a server that dies can say why (its exit code, what it last wrote).
 */
export class WatchedStdioTransport extends StdioClientTransport {
  /** How the process ended, once it has. */
  exit: ProcessExit | null = null;
  /** What the process wrote to stderr, redacted as in its log. */
  readonly stderrTail: StreamTail | null;

  constructor(
    private readonly params: StdioServerParameters,
    /** The log file the server's stderr goes to. */
    readonly logPath: string,
    log: RedactingLog,
  ) {
    super({ ...params, stderr: 'pipe' });
    this.stderrTail = this.stderr ? log.follow(this.stderr) : null;
  }

  override async start(): Promise<void> {
    const started = super.start();
    // The SDK keeps its child process to itself; its 'exit' comes before the 'close' that
    // ends the connection, so the exit is known by the time anyone asks why.
    const child = (this as unknown as { _process?: ChildProcess })._process;
    child?.once('exit', (code, signal) => (this.exit = { code, signal }));
    return started;
  }

  /**
   * Why the server did not start, after `connect` failed with `error`: a command that could not
   * be run, a process that ended (its exit code or signal), or one that never answered
   * (`timedOut` says how long it was given); each with the end of its stderr. Null when none
   * of these explains it.
   */
  async whyNotStarted(error: unknown, timedOut: string | null): Promise<string | null> {
    const spawnError = error as NodeJS.ErrnoException | undefined;
    if (typeof spawnError?.syscall === 'string' && spawnError.syscall.startsWith('spawn')) {
      return cannotRun(spawnError, this.params);
    }
    if (this.exit) return `it ${describeExit(this.exit)} before answering initialize${await this.stderrSummary(true)}`;
    if (timedOut) return `${timedOut}${await this.stderrSummary(false)}`;
    return null;
  }

  /** The end of the server's stderr as indented lines, after the path of its log; or a note that it wrote nothing. */
  private async stderrSummary(exited: boolean): Promise<string> {
    if (!this.stderrTail) return '';
    if (exited) {
      // Its stderr ends soon after it exits; the bound only guards against a child of its own holding it open.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.stderrTail.ended,
        new Promise((done) => (timer = setTimeout(done, STDERR_DRAIN_MS).unref())),
      ]);
      clearTimeout(timer);
    }
    const lines = this.stderrTail.lines(QUOTED_LINES);
    if (lines.length === 0) return exited ? ', and wrote nothing to stderr' : '';
    return `; the end of its stderr, from ${this.logPath}:${lines.map((l) => `\n    ${l}`).join('')}`;
  }
}

/** "exited with code 3", "was killed by SIGKILL". */
export function describeExit(exit: ProcessExit): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

function cannotRun(error: NodeJS.ErrnoException, params: StdioServerParameters): string {
  // Node reports a missing working folder as a missing command: look first.
  if (params.cwd && !existsSync(params.cwd)) return `its folder ${params.cwd} does not exist`;
  const command = JSON.stringify(params.command);
  if (error.code === 'ENOENT') {
    return /[\\/]/.test(params.command)
      ? `the command ${command} was not found`
      : `the command ${command} was not found on PATH`;
  }
  if (error.code === 'EACCES') return `the command ${command} may not be run (permission denied)`;
  return `the command ${command} could not be run: ${error.message}`;
}

/** The packages `resources/server-packages` lends; keep in step with its hooks.mjs. */
const LENT = ['@modelcontextprotocol/sdk', 'zod'];

/**
 * Node's option that lends Warden's own MCP SDK and zod to a server run with `node` from a
 * folder that has no copy of its own (`resources/server-packages`). Nothing when the folder
 * finds both itself (the loader costs a thread and a quarter second), or when Warden ships
 * without it.
 */
export function lendPackagesArgs(cwd: string | undefined): string[] {
  const register = join(wardenRoot(), 'resources', 'server-packages', 'register.mjs');
  if (!existsSync(register) || (cwd && LENT.every((name) => findsPackage(cwd, name)))) return [];
  return ['--import', pathToFileURL(register).href];
}

/** Whether Node's lookup from a folder (its node_modules, then its parents') finds a package. */
function findsPackage(from: string, name: string): boolean {
  for (let dir = resolve(from); ; dir = resolve(dir, '..')) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (resolve(dir, '..') === dir) return false;
  }
}

let root: string | undefined;

/** The folder of Warden's package.json, from the sources or from a build of them. */
function wardenRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'warden') {
      return (root = dir);
    }
    const up = resolve(dir, '..');
    if (up === dir) return (root = dir);
    dir = up;
  }
}
