import { WardenError } from '../../../shared/errors.js';
import type { Push } from '../../../shared/api.js';
import type { ExportFilters } from '../../../shared/export.js';
import type { Warden } from '../warden.js';
import { consoleHandlers, hostParts } from './handlers.js';
import { exportLedger, type ExportFormatName } from './ledger.js';
import { callMethod, isMethod } from './methods.js';
import { pushStream } from './stream.js';

export { EXPORT_FORMATS, type ExportFormatName } from './ledger.js';
export { approvalView } from './views.js';

/** The console API over one Warden, whatever carries it (IPC or a WebSocket). */
export interface ConsoleApi {
  /** Parses the params, runs the method, returns its result; rejects with a coded error. */
  call(method: string, params: unknown, by: string): Promise<unknown>;
  /**
   * What the console is sent unasked, on one tick: batches of ledger events as they are appended
   * (by this process or another), and the text models are writing for this process's work runs.
   */
  subscribe(listener: (push: Push) => void): () => void;
  /**
   * Writes an export of the ledger to a file: JSONL (signed, verifiable on its own), CSV, or
   * an HTML or PDF report anchored to a checkpoint signed now (reports take from, to, agent).
   * Resolves with every file written: `file`, then the JSONL exports a report over a large
   * period writes beside it for its events.
   */
  exportTo(file: string, format: ExportFormatName, filters: ExportFilters): Promise<string[]>;
  close(): void;
}

/** Builds the console API over a Warden: the handlers of every group, and the push stream. */
export function consoleApi(warden: Warden): ConsoleApi {
  const parts = hostParts(warden);
  const handlers = consoleHandlers(parts);
  const stream = pushStream(warden);
  return {
    async call(method, params, by) {
      if (!isMethod(method)) throw new WardenError('E_USAGE', `unknown method "${method}"`);
      return callMethod(handlers, method, params, by);
    },
    exportTo: (file, format, filters) => exportLedger(parts, file, format, filters),
    subscribe: (listener) => stream.subscribe(listener),
    close() {
      parts.insights.close();
      stream.close();
    },
  };
}
