import { toErrorData, type ErrorData } from '../../shared/errors.js';
import type { LedgerEvent, NewEvent } from '../../shared/events.js';

/** Where an error reached the last resort: a throw nobody caught, or a rejection nobody handled. */
export type FailureOrigin = 'uncaughtException' | 'unhandledRejection';

/** What the last resort needs: where errors surface, where they are recorded, and how to stop. */
export interface LastResortEnv {
  /** The process, or in a test any emitter of its two events. */
  target: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
  ledger: { append(event: NewEvent): Promise<LedgerEvent> };
  /** One line for the person running the process (stderr). */
  warn(line: string): void;
  /** Stops the process the orderly way, with this exit code. */
  stop(code: number): void;
}

/**
 * Errors recorded before the last resort gives up: far more than a bug that slipped through
 * once, as many as a fault repeating in a loop would write, which it should not write forever.
 */
export const MAX_RECORDED_FAILURES = 100;

/** How much of an error's message the ledger keeps. */
const MESSAGE_CHARS = 2_000;

/**
 * The serve mode's last resort: an error no request path answered for is recorded as a
 * `host.error` event and the process goes on, so one bad moment does not end the runs in flight
 * (their state lives in the ledger's transactions and the sandbox workers, not in the stack that
 * threw). It stops instead, the orderly way, when the ledger cannot take the record (nothing
 * could be trusted to be written down) or after {@link MAX_RECORDED_FAILURES} failures (a fault
 * in a loop). Returns a function that takes the handlers off again.
 */
export function installLastResort(env: LastResortEnv): () => void {
  let recorded = 0;
  let stopping = false;

  const handle = (origin: FailureOrigin, reason: unknown) => {
    const error = describe(reason);
    if (stopping) return env.warn(`warden serve: ${origin} while stopping: ${error.message}`);
    recorded += 1;
    const action = recorded >= MAX_RECORDED_FAILURES ? 'stopped' : 'continued';
    if (action === 'stopped') stopping = true;
    env.warn(
      `warden serve: ${origin}: ${error.message}${stackOf(reason)}\n` +
        (action === 'continued'
          ? 'Recorded in the ledger as host.error; serving goes on.'
          : `Recorded in the ledger as host.error; ${MAX_RECORDED_FAILURES} failures, stopping.`),
    );
    let appended: Promise<unknown>;
    try {
      appended = env.ledger.append({ type: 'host.error', payload: { origin, error, action } });
    } catch (failure) {
      appended = Promise.reject(failure);
    }
    appended.then(
      () => {
        if (action === 'stopped') env.stop(1);
      },
      (failure: unknown) => {
        stopping = true;
        env.warn(`warden serve: the ledger could not record it (${describe(failure).message}); stopping.`);
        env.stop(1);
      },
    );
  };

  const onException = (error: unknown) => handle('uncaughtException', error);
  const onRejection = (reason: unknown) => handle('unhandledRejection', reason);
  env.target.on('uncaughtException', onException);
  env.target.on('unhandledRejection', onRejection);
  return () => {
    env.target.off('uncaughtException', onException);
    env.target.off('unhandledRejection', onRejection);
  };
}

/** An error as data for the ledger, whatever was thrown (even a value whose toString throws). */
function describe(reason: unknown): ErrorData {
  let data: ErrorData;
  try {
    data = toErrorData(reason, 'E_INTERNAL');
  } catch {
    data = { code: 'E_INTERNAL', message: 'a value that cannot be shown as text was thrown' };
  }
  const message = data.message.length > MESSAGE_CHARS ? `${data.message.slice(0, MESSAGE_CHARS)}…` : data.message;
  return { code: data.code, message };
}

/** The stack, for the person's terminal only (the ledger keeps code and message). */
function stackOf(reason: unknown): string {
  try {
    const stack = reason instanceof Error ? reason.stack : undefined;
    return stack ? `\n${stack.split('\n').slice(1).join('\n')}` : '';
  } catch {
    return '';
  }
}
