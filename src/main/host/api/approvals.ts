import { orphanedRun } from '../../gateway/parked.js';
import { endRejected } from '../../runtime/recovery.js';
import type { Handlers, HostParts } from './methods.js';
import { approvalView, approvalViews } from './views.js';

/** Approvals: the queue and the latest decisions, how the console asks for them, and deciding one. */
export function approvalHandlers({
  warden,
}: HostParts): Pick<Handlers, 'approvals.list' | 'approvals.settings' | 'approvals.decide'> {
  const { runtime, approvals, ledger } = warden;
  return {
    'approvals.list': ({ state }) => approvalViews(warden, state),
    'approvals.settings': () => ({ confirmAboveUsd: warden.roster.config.approvals.confirmAboveUsd }),
    'approvals.decide': async (decision, by) => {
      const decided = await approvals.decide({ ...decision, by });
      // A run parked by a process that is gone (warden demo) is carried on here when approved,
      // and ends rejected when rejected: there is no agent left waiting to be told.
      if (decision.decision === 'rejected') {
        if (orphanedRun(ledger, decided.runId)) await endRejected(ledger, decided);
      } else if (runtime.canAdopt(decided.runId)) void runtime.adopt(decided.runId).catch(() => undefined);
      return approvalView(decided);
    },
  };
}
