import type { AgentView } from '../../../shared/api.js';

/** How an agent's latest run of work ended, as the roster says it: failed, hit a cap, waiting for a person… */
export function lastRunText(run: NonNullable<AgentView['lastRun']>): string {
  switch (run.state) {
    case 'ok':
      return 'ok';
    case 'error':
      return 'failed';
    case 'limit':
      return run.cap ? `hit its ${run.cap} cap` : 'hit a cap';
    case 'waiting':
      return 'waiting for approval';
    case 'cancelled':
      return 'stopped';
    default:
      return run.state;
  }
}

/** The status an agent shows: a hold, or what its runs are doing; waiting on a person is not running. */
export function statusText(status: AgentView['status']): string {
  return status === 'waiting' ? 'waiting for approval' : status;
}
