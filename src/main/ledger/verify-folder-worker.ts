/**
 * A worker thread that verifies a data folder's ledger, chain and evidence, on its own
 * connection, so that the process that asked (the console's server) goes on answering others.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Ledger } from './index.js';
import type { EvidenceOptions } from './verify-evidence.js';

/** What the worker is given: the data folder, and what verify is to check beyond the folder. */
export interface FolderTask {
  dataDir: string;
  options: EvidenceOptions;
}

const task = workerData as FolderTask;
const ledger = Ledger.open(task.dataDir, { mode: 'existing', upgrade: false });
try {
  parentPort!.postMessage(await ledger.verify(task.options));
} finally {
  ledger.close();
}
