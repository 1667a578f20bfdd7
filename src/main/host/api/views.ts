import type { AgentView, ApprovalView, PromptVersionView, RunView } from '../../../shared/api.js';
import { agentModel } from '../../../shared/roster.js';
import { verdictOf } from '../../../shared/verdict.js';
import type { RunRow } from '../../ledger/index.js';
import type { Approval } from '../../gateway/approvals.js';
import type { HandlerParams, HandlerResult } from './methods.js';
import type { Warden } from '../warden.js';

// The view queries: what the console shows, built from the roster, the runtime and the ledger.

/**
 * Every agent of the roster as the roster view shows it: its status, its latest run of work,
 * today's runs and spend. Read from the projections, a few rows per agent: a hold, else a run
 * under way (in the ledger, whichever process runs it), else runs that all wait for a person.
 */
export function agentViews({ roster, runtime, ledger }: Warden): AgentView[] {
  const running = runtime.runningAgents();
  return roster.agents.map((agent) => {
    const spent = runtime.spentToday(agent.id);
    const active = ledger.roster.active(agent.id);
    const busy = active.running > 0 || (active.waiting === 0 && running.has(agent.id));
    return {
      id: agent.id,
      name: agent.name ?? agent.id,
      role: agent.role,
      tier: agent.tier,
      businessUnit: agent.businessUnit ?? null,
      model: agentModel(agent, roster.config),
      autonomy: agent.autonomy ?? roster.config.defaults.autonomy ?? 'hitl',
      lifecycle: agent.lifecycle,
      status: runtime.hold(agent.id) ?? (busy ? 'running' : active.waiting > 0 ? 'waiting' : 'idle'),
      lastRun: ledger.roster.lastRun(agent.id),
      runsToday: ledger.roster.runsOn(agent.id, spent.day),
      spentTodayUsd: spent.usd,
      budgetUsdPerDay: agent.budget.usdPerDay ?? null,
    };
  });
}

/**
 * A page of runs, newest first: all of them, or only eval runs or only work, of one agent or
 * all, in one state or any. Read from the run list's projection, so it costs a page of rows
 * however long the ledger.
 */
export function runPage({ ledger }: Warden, params: HandlerParams<'runs.page'>): HandlerResult<'runs.page'> {
  const { beforeSeq, limit, agentId, eval: evalRuns, status } = params;
  const rows = ledger.runs.page({
    limit,
    ...(beforeSeq ? { beforeSeq } : {}),
    ...(agentId ? { agentId } : {}),
    ...(evalRuns !== undefined ? { eval: evalRuns } : {}),
    ...(status ? { state: status } : {}),
  });
  const runs = rows.slice(0, limit).map(runView);
  return { runs, nextKey: rows.length > limit ? runs[runs.length - 1]!.seq : null };
}

/** A run of the projection as the console lists it, with the verdict `warden run` would give. */
function runView(r: RunRow): RunView {
  const ended = r.state !== 'running' && r.state !== 'waiting';
  return {
    runId: r.runId,
    agentId: r.agentId,
    seq: r.startedSeq,
    startedAt: r.startedTs,
    parentRunId: r.parentRunId,
    status: r.state,
    eval: r.eval,
    task: r.task,
    durationMs: r.durationMs,
    costUsd: r.costUsd,
    tokens: r.tokens,
    failedCalls: r.failedCalls,
    rejectedCalls: r.rejectedCalls,
    verdict: ended ? verdictOf(r.state, r.failedCalls, r.rejectedCalls) : null,
  };
}

/** The pending approvals, or the latest 50 decisions, newest first. */
export function approvalViews({ approvals }: Warden, state: 'pending' | 'decided'): ApprovalView[] {
  return (state === 'pending' ? approvals.pending() : approvals.decided(50)).map(approvalView);
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
