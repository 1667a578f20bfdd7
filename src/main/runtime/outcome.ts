import type { ErrorData } from '../../shared/errors.js';
import type { Ledger } from '../ledger/index.js';
import type { RunResult } from './finish.js';
import { verdictOf, type Verdict } from '../../shared/verdict.js';

/** A tool call of a run (or of a run it handed off to) that did not give its agent a result. */
export interface FailedCall {
  runId: string;
  agentId: string;
  /** `server.tool`. */
  tool: string;
  /** Rejected by a person, as opposed to failed, denied or expired. */
  rejected: boolean;
  error: ErrorData;
}

/** What a run came to (see `shared/verdict.ts`). */
export type { Verdict };

/** A run's end, with the tool calls that failed along the way and the verdict. */
export interface RunOutcome {
  result: RunResult;
  failedCalls: FailedCall[];
  verdict: Verdict;
}

/**
 * Reads what a finished run came to from the ledger: its end as `result` says, and the
 * `tool.result` events that were not ok, in it and in the runs it handed off to (an agent
 * program or a model may carry on past a failed call; the run's end alone would not show it).
 */
export function runOutcome(ledger: Ledger, result: RunResult): RunOutcome {
  const failedCalls = failedCallsOf(ledger, result.runId);
  const rejected = failedCalls.filter((c) => c.rejected).length;
  const verdict = verdictOf(result.status, failedCalls.length, rejected);
  return { result, failedCalls, verdict };
}

/** The failed tool calls of a run and of its handoffs' runs, in the order they were made. */
export function failedCallsOf(ledger: Ledger, runId: string): FailedCall[] {
  const reader = ledger.reader;
  const failed: FailedCall[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const tools = new Map<string, string>();
    for (const e of reader.each({ runId: id, type: 'tool.requested' }))
      tools.set(e.payload.callId, `${e.payload.server}.${e.payload.tool}`);
    const approvalOf = new Map<string, string>();
    for (const e of reader.each({ runId: id, type: 'approval.requested' }))
      approvalOf.set(e.payload.callId, e.payload.approvalId);
    const rejected = new Set<string>();
    for (const e of reader.each({ runId: id, type: 'approval.decided' }))
      if (e.payload.decision === 'rejected') rejected.add(e.payload.approvalId);
    for (const e of reader.each({ runId: id, type: 'tool.result' })) {
      if (e.payload.ok) continue;
      const approvalId = approvalOf.get(e.payload.callId);
      failed.push({
        runId: id,
        agentId: e.agentId ?? '',
        tool: tools.get(e.payload.callId) ?? '(unknown tool)',
        rejected: approvalId !== undefined && rejected.has(approvalId),
        error: e.payload.error ?? { code: 'E_MCP_TOOL', message: 'the tool reported an error' },
      });
    }
    for (const e of reader.each({ runId: id, type: 'handoff' })) visit(e.payload.childRunId);
  };
  visit(runId);
  return failed;
}
