import type { AgentView, ApprovalView, PromptVersionView, RunView } from '../../../shared/api.js';
import type { EventOf } from '../../../shared/events.js';
import { isEvent } from '../../../shared/narrow.js';
import { agentModel } from '../../../shared/roster.js';
import type { Approval } from '../../gateway/approvals.js';
import type { HandlerParams, HandlerResult } from './methods.js';
import type { Warden } from '../warden.js';

// The view queries: what the console shows, built from the roster, the runtime and the ledger.

/** Every agent of the roster as the roster view shows it: its status, today's runs and spend. */
export function agentViews({ roster, runtime, ledger }: Warden): AgentView[] {
  const running = runtime.runningAgents();
  const today = `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;
  return roster.agents.map((agent) => ({
    id: agent.id,
    name: agent.name ?? agent.id,
    role: agent.role,
    tier: agent.tier,
    businessUnit: agent.businessUnit ?? null,
    model: agentModel(agent, roster.config),
    autonomy: agent.autonomy ?? roster.config.defaults.autonomy ?? 'hitl',
    lifecycle: agent.lifecycle,
    status: runtime.hold(agent.id) ?? (running.has(agent.id) ? 'running' : 'idle'),
    runsToday: ledger.facts.workRunsSince(agent.id, today),
    spentTodayUsd: runtime.spentToday(agent.id).usd,
    budgetUsdPerDay: agent.budget.usdPerDay ?? null,
  }));
}

/** A page of runs, newest first: all of them, or only eval runs or only work, of one agent or all. */
export function runPage(warden: Warden, params: HandlerParams<'runs.page'>): HandlerResult<'runs.page'> {
  const { ledger } = warden;
  const { beforeSeq, limit, agentId, eval: evalRuns } = params;
  const started =
    evalRuns === undefined
      ? ledger.reader.page({
          type: 'run.started',
          order: 'desc',
          limit,
          ...(beforeSeq ? { beforeSeq } : {}),
          ...(agentId ? { agentId } : {}),
        })
      : startsOf(
          warden,
          ledger.facts.runStartSeqs({
            eval: evalRuns,
            limit: limit + 1,
            ...(beforeSeq ? { beforeSeq } : {}),
            ...(agentId ? { agentId } : {}),
          }),
          limit,
        );
  const runs: RunView[] = started.events.map((e) => ({
    runId: e.runId!,
    agentId: e.agentId!,
    seq: e.seq,
    startedAt: e.ts,
    parentRunId: e.payload.parentRunId ?? null,
    status: runStatus(warden, e.runId!),
    eval: Boolean(e.payload.eval),
  }));
  return { runs, nextKey: started.nextKey };
}

/** The `run.started` events at these seqs, as a page of at most `limit` (one more means there is a next). */
function startsOf(
  { ledger }: Warden,
  seqs: number[],
  limit: number,
): { events: EventOf<'run.started'>[]; nextKey: number | null } {
  const events = seqs
    .slice(0, limit)
    .flatMap((seq) => ledger.reader.get(seq) ?? [])
    .filter((e) => isEvent(e, 'run.started'));
  return { events, nextKey: seqs.length > limit ? events[events.length - 1]!.seq : null };
}

/** A run's status from its own events: finished, waiting for a person, or running. */
function runStatus({ ledger, approvals }: Warden, runId: string): RunView['status'] {
  const finished = ledger.reader.page({ runId, type: 'run.finished', limit: 1 }).events[0];
  if (finished) return finished.payload.status;
  const asked = ledger.reader.page({ runId, type: 'approval.requested', order: 'desc', limit: 1 }).events[0];
  if (asked && !approvals.decisionOf(asked.payload.approvalId, asked.seq)) return 'waiting';
  return 'running';
}

/** The pending approvals, or the latest 50 decisions, newest first. */
export function approvalViews({ ledger, approvals }: Warden, state: 'pending' | 'decided'): ApprovalView[] {
  if (state === 'pending') return approvals.pending().map(approvalView);
  const decided = ledger.reader.page({ type: 'approval.decided', order: 'desc', limit: 50 }).events;
  return decided.flatMap((e) => {
    const found = approvals.get(e.payload.approvalId);
    return found ? [approvalView(found)] : [];
  });
}

/** An approval as the console and `warden approvals --json` show it. */
export function approvalView(a: Approval): ApprovalView {
  return {
    approvalId: a.approvalId,
    runId: a.runId,
    agentId: a.agentId,
    requestedAt: a.requestedAt,
    tool: `${a.request.server}.${a.request.tool}`,
    args: a.request.args,
    amountUsd: a.request.amountUsd ?? null,
    rule: a.request.rule,
    reason: a.request.reason,
    expiresAt: a.request.expiresAt,
    decision: a.decision
      ? { decision: a.decision.decision, by: a.decision.by, reason: a.decision.reason ?? null }
      : null,
  };
}

/** A prompt version as the console shows it: the fields its schema names, nothing more. */
export function promptView(v: PromptVersionView): PromptVersionView {
  return {
    agentId: v.agentId,
    seq: v.seq,
    ts: v.ts,
    version: v.version,
    sha256: v.sha256,
    text: v.text,
    by: v.by,
    reason: v.reason,
  };
}
