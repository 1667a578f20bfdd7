import type { FromWorker } from '../../shared/sandbox.js';

/** Electron's `process.parentPort` in a utility process, as far as the worker uses it. */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/** The worker's line to the host that started it, whichever way it was started. */
export interface HostPort {
  send(message: FromWorker): void;
  onMessage(listener: (raw: unknown) => void): void;
  /** Called when the host is gone; only Node's IPC channel reports it (a utility process dies with its app). */
  onClose(listener: () => void): void;
}

/**
 * The port of this process: Electron's parentPort when the desktop app started it with
 * utilityProcess.fork, else Node's IPC channel (child_process.fork in the CLI and serve mode).
 */
export function hostPort(proc: NodeJS.Process = process): HostPort {
  const parentPort = (proc as { parentPort?: ParentPortLike | null }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => void parentPort.on('message', (event) => listener(event.data)),
      onClose: () => undefined,
    };
  }
  if (!proc.send) throw new Error('the sandbox worker was started without a channel to its host');
  return {
    send: (message) => void proc.send!(message),
    onMessage: (listener) => void proc.on('message', listener),
    onClose: (listener) => void proc.on('disconnect', listener),
  };
}
