import { WardenError } from '../../shared/errors.js';
import type { LedgerEvent } from '../../shared/events.js';
import { rejectedWhy, type Approval, type ApprovalBook } from '../gateway/approvals.js';
import { ownerIsGone } from '../gateway/parked.js';
import type { Ledger } from '../ledger/index.js';

/** What start-up found of runs left unfinished by a process that is gone. */
export interface Recovery {
  /** Marked interrupted, their pending approvals expired. */
  interrupted: string[];
  /** Parked on an approval a person rejected: ended rejected. */
  rejected: string[];
  /** Waiting for a person's approval with what they need to go on: left waiting. */
  parked: { runId: string; approvalId: string; decided: boolean }[];
}

/**
 * Settles the runs that a dead process left in flight. A standard-loop run parked on an
 * approval keeps waiting (whoever decides can continue it), or ends rejected if a person has
 * rejected it meanwhile; every other one is marked interrupted with an event, and its pending
 * approvals expire. Nothing disappears silently.
 * A run whose owner is alive on this machine (the console while the CLI starts) is left alone.
 */
export async function recoverInterrupted(ledger: Ledger, approvals: ApprovalBook): Promise<Recovery> {
  const finished = new Set<string>();
  for (const event of ledger.reader.each({ type: 'run.finished' })) if (event.runId) finished.add(event.runId);
  const owners = new Map<string, { host: string; pid: number }>();
  for (const event of ledger.reader.each({ type: 'run.adopted' })) {
    if (event.runId) owners.set(event.runId, event.payload.owner);
  }
  const parkedOn = new Map<string, string>();
  for (const event of ledger.reader.each({ type: 'run.parked' })) {
    if (event.runId) parkedOn.set(event.runId, event.payload.approvalId);
  }

  const recovery: Recovery = { interrupted: [], rejected: [], parked: [] };
  for (const event of [...ledger.reader.each({ type: 'run.started' })]) {
    const runId = event.runId;
    if (!runId || finished.has(runId)) continue;
    const owner = owners.get(runId) ?? event.payload.owner;
    if (owner && !ownerIsGone(owner)) continue;
    const approvalId = parkedOn.get(runId);
    const approval = approvalId ? approvals.get(approvalId) : null;
    if (
      approval &&
      (!approval.decision ||
        (approval.decision.decision === 'approved' && !executed(ledger, runId, approval.request.callId)))
    ) {
      recovery.parked.push({ runId, approvalId: approval.approvalId, decided: approval.decision !== null });
      continue;
    }
    if (approval?.decision?.decision === 'rejected') {
      await endRejected(ledger, approval);
      recovery.rejected.push(runId);
      continue;
    }
    recovery.interrupted.push(runId);
    await interrupt(ledger, event);
  }
  if (recovery.interrupted.length > 0) {
    const runs = new Set(recovery.interrupted);
    for (const pending of approvals.pending()) {
      if (runs.has(pending.runId)) await approvals.expire(pending.approvalId, 'its run was interrupted');
    }
  }
  return recovery;
}

function executed(ledger: Ledger, runId: string, callId: string): boolean {
  for (const event of ledger.reader.each({ runId, type: 'tool.result' })) {
    if (event.payload.callId === callId) return true;
  }
  return false;
}

async function interrupt(ledger: Ledger, started: LedgerEvent): Promise<void> {
  await ledger.append({
    type: 'run.finished',
    runId: started.runId,
    agentId: started.agentId,
    payload: {
      status: 'interrupted',
      error: { code: 'E_INTERRUPTED', message: 'Warden stopped while this run was in flight' },
    },
  });
}

/** Thrown inside the write when the run has finished meanwhile: there is nothing to end. */
class AlreadyFinished extends Error {}

/**
 * Ends a run parked on an approval a person rejected, once its process is gone: nobody is left
 * to tell its agent, so the run ends `rejected`, naming the call, who rejected it and why. The
 * end is decided inside the write, so two processes doing this at once write it once; resolves
 * false when the run had already finished.
 */
export async function endRejected(ledger: Ledger, approval: Approval): Promise<boolean> {
  const decided = approval.decision;
  if (decided?.decision !== 'rejected')
    throw new WardenError('E_USAGE', `approval ${approval.approvalId} is not rejected`);
  const { server, tool } = approval.request;
  try {
    await ledger.appendIf(() => {
      if (ledger.reader.count({ runId: approval.runId, type: 'run.finished' }) > 0) throw new AlreadyFinished();
      return {
        type: 'run.finished',
        runId: approval.runId,
        agentId: approval.agentId,
        payload: {
          status: 'rejected',
          error: {
            code: 'E_POLICY_REJECTED',
            message: `${server}.${tool}: ${rejectedWhy(decided.by, decided.reason)}`,
          },
        },
      };
    });
    return true;
  } catch (error) {
    if (error instanceof AlreadyFinished) return false;
    throw error;
  }
}
