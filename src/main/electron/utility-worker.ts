import { EventEmitter } from 'node:events';
import type { ForkOptions, UtilityProcess } from 'electron';
import type { ToWorker } from '../../shared/sandbox.js';
import type { StartWorker, WorkerChild } from '../sandbox/worker-start.js';

/** Electron's `utilityProcess.fork`, passed in so this adapter runs (and is tested) without Electron. */
export type UtilityFork = (modulePath: string, args: string[], options: ForkOptions) => UtilityProcess;

/**
 * Sandbox workers as Electron utility processes. child_process.fork would start Electron's own
 * binary as Node, which needs the RunAsNode fuse; a utility process is Node inside Electron with
 * none of that, so the packaged app can turn RunAsNode, NODE_OPTIONS and the inspector off.
 * The worker speaks to it through `process.parentPort` (see sandbox/host-port.ts).
 */
export function utilityWorker(fork: UtilityFork): StartWorker {
  return (entry, execArgv) =>
    new UtilityWorker(
      fork(entry, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe'], serviceName: 'Warden sandbox' }),
    );
}

/** A utility process dressed as the ChildProcess the pool knows. */
class UtilityWorker extends EventEmitter implements WorkerChild {
  private open = true;

  constructor(private readonly child: UtilityProcess) {
    super();
    child.on('message', (message: unknown) => this.emit('message', message));
    child.on('error', (type, location) => this.emit('error', new Error(`${type} at ${location}`)));
    child.on('exit', (code) => {
      this.open = false;
      this.emit('exit', code, null);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get connected(): boolean {
    return this.open;
  }

  get stderr(): NodeJS.ReadableStream | null {
    return this.child.stderr;
  }

  send(message: ToWorker): boolean {
    if (!this.open) return false;
    this.child.postMessage(message);
    return true;
  }

  /**
   * A signal the pool names is sent as named: SIGKILL for a worker stuck past its wall cap, which
   * the utility process's own kill (a SIGTERM) might leave running. Electron still reaps it and
   * reports its exit.
   */
  kill(signal?: NodeJS.Signals): boolean {
    const pid = this.child.pid;
    if (signal && pid !== undefined) {
      try {
        process.kill(pid, signal);
        return true;
      } catch {
        return false;
      }
    }
    return this.child.kill();
  }
}
