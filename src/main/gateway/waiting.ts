import type { EventPayload } from '../../shared/events.js';
import { WardenError } from '../../shared/errors.js';
import type { Approval, ApprovalBook } from './approvals.js';

/**
 * Waits for a person's decision on an approval, made in this process or another (the ledger
 * is the meeting point). Expires the request when its time is up; a stopped run stops waiting.
 */
export async function waitForDecision(
  book: ApprovalBook,
  approval: Approval,
  signal: AbortSignal,
  pollMs: number,
  clock: () => Date,
  detached: () => boolean = () => false,
): Promise<EventPayload<'approval.decided'>> {
  for (;;) {
    // Let go without a word: the request stays pending for whoever continues the run.
    if (detached()) throw new WardenError('E_CANCELLED', 'this process let go of the run');
    const decision = book.decisionOf(approval.approvalId);
    if (decision) return decision;
    if (signal.aborted) {
      await book.expire(approval.approvalId, 'the run was stopped');
      throw new WardenError('E_CANCELLED', 'the run was stopped while it waited for approval');
    }
    if (clock().toISOString() >= approval.request.expiresAt) {
      await book.expire(approval.approvalId, 'no decision in time');
      continue;
    }
    await sleep(pollMs, signal);
  }
}

/** A timer that an abort ends early. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
