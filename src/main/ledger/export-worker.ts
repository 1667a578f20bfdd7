/**
 * A worker thread that writes a JSONL or CSV export of a data folder's ledger on its own
 * connection, bounded to a checkpoint signed before it started, so that the process that asked
 * (the console's server) goes on answering others while millions of events are written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SignedCheckpoint } from '../../shared/audit.js';
import type { ExportFilters } from '../../shared/export.js';
import { Ledger, type ExportFormat } from './index.js';

/** What the worker is given: where, what, and the checkpoint the export holds the events of. */
export interface ExportTask {
  dataDir: string;
  file: string;
  format: ExportFormat;
  filters: ExportFilters;
  checkpoint: SignedCheckpoint;
}

const task = workerData as ExportTask;
const ledger = Ledger.open(task.dataDir, { mode: 'existing', upgrade: false });
try {
  parentPort!.postMessage(ledger.export(task.file, task.format, task.filters, { checkpoint: task.checkpoint }));
} finally {
  ledger.close();
}
