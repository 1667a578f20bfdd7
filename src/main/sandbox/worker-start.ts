import { fork } from 'node:child_process';
import type { ToWorker } from '../../shared/sandbox.js';

/**
 * What the pool needs of a worker process. Node's ChildProcess has exactly this; the desktop
 * app wraps Electron's utility process to match, because forking Electron's own binary as Node
 * needs the RunAsNode fuse, which the packaged app turns off.
 */
export interface WorkerChild {
  /** Undefined until the process has started, and after it exited. */
  readonly pid?: number | undefined;
  /** False once the channel to the worker is closed: nothing more can be sent. */
  readonly connected: boolean;
  readonly stderr: NodeJS.ReadableStream | null;
  send(message: ToWorker): boolean;
  kill(signal?: NodeJS.Signals): boolean;
  on(event: 'message', listener: (message: unknown) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
}

/** Starts one sandbox worker process on `entry`, with `execArgv` for the runtime that runs it. */
export type StartWorker = (entry: string, execArgv: string[]) => WorkerChild;

/** The CLI's and `warden serve`'s way: a Node child process with an IPC channel. */
export const forkWorker: StartWorker = (entry, execArgv) =>
  fork(entry, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
