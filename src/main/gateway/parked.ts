import { hostname } from 'node:os';
import type { Ledger } from '../ledger/index.js';

/** A process that runs runs: its machine and pid, as `run.started` and `run.adopted` record it. */
export interface RunOwner {
  host: string;
  pid: number;
}

/** Whether the process that owned a run is gone. Another machine's runs are not ours to judge. */
export function ownerIsGone(owner: RunOwner): boolean {
  if (owner.host !== hostname() || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/** A run parked on an approval whose process is gone: what is needed to carry it on. */
export interface OrphanedRun {
  runId: string;
  /** The roster folder it ran from (older runs did not record it). */
  roster: string | undefined;
  /** The approval it waits on. */
  approvalId: string;
}

/**
 * The one answer to "may someone else continue this run?": it is parked on an approval, has
 * not finished, and the process that last owned it (its starter, or whoever adopted it since)
 * is gone. The console, the CLI and the runtime's recovery all ask here.
 */
export function orphanedRun(ledger: Ledger, runId: string): OrphanedRun | null {
  const reader = ledger.reader;
  const parked = reader.page({ runId, type: 'run.parked', order: 'desc', limit: 1 }).events[0];
  if (!parked || reader.count({ runId, type: 'run.finished' }) > 0) return null;
  const started = reader.page({ runId, type: 'run.started', limit: 1 }).events[0];
  if (!started) return null;
  const adopted = reader.page({ runId, type: 'run.adopted', order: 'desc', limit: 1 }).events[0];
  const owner = adopted ? adopted.payload.owner : started.payload.owner;
  if (owner && !ownerIsGone(owner)) return null;
  return { runId, roster: started.payload.roster, approvalId: parked.payload.approvalId };
}
