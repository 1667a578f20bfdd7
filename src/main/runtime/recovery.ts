import { hostname } from 'node:os';
import type { EventPayload } from '../../shared/events.js';
import type { ApprovalBook } from '../gateway/approvals.js';
import type { Ledger } from '../ledger/index.js';

/**
 * Marks interrupted the runs that a dead process left in flight, and expires their pending
 * approvals, each with an event. A run whose owner is alive on this machine (the console
 * while the CLI starts, say) is left alone.
 */
export async function recoverInterrupted(ledger: Ledger, approvals: ApprovalBook): Promise<string[]> {
  const finished = new Set<string>();
  for (const event of ledger.reader.each({ type: 'run.finished' })) if (event.runId) finished.add(event.runId);
  const interrupted: string[] = [];
  for (const event of [...ledger.reader.each({ type: 'run.started' })]) {
    if (!event.runId || finished.has(event.runId)) continue;
    const owner = (event.payload as EventPayload<'run.started'>).owner;
    if (owner && owner.host === hostname() && owner.pid !== process.pid && alive(owner.pid)) continue;
    if (owner && owner.host !== hostname()) continue; // Another machine's run: not ours to judge.
    if (owner?.pid === process.pid) continue;
    interrupted.push(event.runId);
    await ledger.append({
      type: 'run.finished',
      runId: event.runId,
      agentId: event.agentId,
      payload: {
        status: 'interrupted',
        error: { code: 'E_INTERRUPTED', message: 'Warden stopped while this run was in flight' },
      },
    });
  }
  if (interrupted.length > 0) {
    const runs = new Set(interrupted);
    for (const approval of approvals.pending()) {
      if (runs.has(approval.runId)) await approvals.expire(approval.approvalId, 'its run was interrupted');
    }
  }
  return interrupted;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
