/**
 * What a run came to, all things counted: `succeeded` when it ended ok and every tool call it
 * and its handoffs made gave a result; `rejected` when a person said no (the run ended rejected,
 * or went on without the call they rejected); `failed` otherwise: it ended in error, at a limit,
 * stopped or interrupted, or it finished without a call that failed, was denied or expired.
 */
export type Verdict = 'succeeded' | 'rejected' | 'failed';

/**
 * The verdict of a finished run from its end and its failed tool calls (`rejected` of them
 * refused by a person): the one rule `warden run` and the console's run list both apply.
 */
export function verdictOf(status: string, failedCalls: number, rejectedCalls: number): Verdict {
  if (status === 'rejected') return 'rejected';
  if (status !== 'ok' || failedCalls > rejectedCalls) return 'failed';
  return rejectedCalls > 0 ? 'rejected' : 'succeeded';
}
