import type { RunView } from '../../../shared/api.js';
import type { LedgerEvent } from '../../../shared/events.js';
import { isEvent } from '../../../shared/narrow.js';
import { verdictOf } from '../../../shared/verdict.js';

/** What the run list is filtered by: a state, an agent, and work, eval runs or both. */
export interface RunFilter {
  status: RunView['status'] | '';
  agentId: string;
  kind: 'work' | 'eval' | 'all';
}

/** A run as the list draws it: indented under the run that handed off to it. */
export type RunRow = RunView & { depth: number };

/** Whether a filter narrows the list beyond its default (work, any agent, any state). */
export function filtering(filter: RunFilter): boolean {
  return filter.status !== '' || filter.agentId !== '' || filter.kind !== 'work';
}

/** The `runs.page` params of a filter. */
export function pageParams(filter: RunFilter): { eval?: boolean; agentId?: string; status?: RunView['status'] } {
  return {
    ...(filter.kind === 'all' ? {} : { eval: filter.kind === 'eval' }),
    ...(filter.agentId ? { agentId: filter.agentId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  };
}

/** A run's input as the list's task column says it, cut as the server cuts it. */
function taskOf(input: unknown): string {
  return (typeof input === 'string' ? input : JSON.stringify(input)).slice(0, 160);
}

/** The runs the list has read, newest first, and the key of the page after them (null: none). */
export interface RunPages {
  runs: RunView[];
  nextKey: number | null;
}

/**
 * The runs of the list after the first page was read again: that page, then the runs read
 * before that are older than all of it (a short page is the whole list). No more runs are
 * kept than were read before, so a list left open while runs stream in does not grow: the
 * next page then starts after the last one kept.
 */
export function mergeFirstPage(fresh: RunPages, before: RunPages, limit: number): RunPages {
  if (fresh.runs.length < limit) return fresh;
  const oldest = fresh.runs[fresh.runs.length - 1]!.seq;
  const older = before.runs.filter((r) => r.seq < oldest);
  const kept = Math.max(before.runs.length, fresh.runs.length) - fresh.runs.length;
  if (older.length <= kept)
    return { runs: [...fresh.runs, ...older], nextKey: older.length ? before.nextKey : fresh.nextKey };
  const runs = [...fresh.runs, ...older.slice(0, kept)];
  return { runs, nextKey: runs[runs.length - 1]!.seq };
}

/**
 * The pages read from the ledger (newest first), brought up to date by the events streamed
 * since: runs that started since are added (every figure counted from their events), and the
 * state of every run follows its events. Then the filter, and the handoff chains as trees,
 * newest first. Runs no event touched are passed on as they are, so a long list costs little
 * while events stream in.
 */
export function runRows(history: RunView[], live: LedgerEvent[], filter: RunFilter): RunRow[] {
  const byRun = new Map<string, RunView>();
  for (let i = history.length - 1; i >= 0; i--) byRun.set(history[i]!.runId, history[i]!);
  // Runs the page holds have their figures already; only those started in the stream add up theirs.
  const fromStream = new Set<string>();
  // Runs copied before an event changes them: the page's own objects stay as they came.
  const copied = new Set<string>();
  const changing = (runId: string): RunView => {
    const run = byRun.get(runId)!;
    if (copied.has(runId)) return run;
    copied.add(runId);
    const copy = { ...run };
    byRun.set(runId, copy);
    return copy;
  };
  for (const e of live) {
    if (!e.runId) continue;
    if (isEvent(e, 'run.started') && !byRun.has(e.runId)) {
      fromStream.add(e.runId);
      copied.add(e.runId);
      byRun.set(e.runId, {
        runId: e.runId,
        agentId: e.agentId ?? '',
        seq: e.seq,
        startedAt: e.ts,
        parentRunId: e.payload.parentRunId ?? null,
        status: 'running',
        eval: Boolean(e.payload.eval),
        task: taskOf(e.payload.input),
        durationMs: null,
        costUsd: 0,
        tokens: 0,
        failedCalls: 0,
        rejectedCalls: 0,
        verdict: null,
      });
    }
    const known = byRun.get(e.runId);
    if (!known) continue;
    if (e.type === 'approval.requested' && known.status === 'running') changing(e.runId).status = 'waiting';
    if (e.type === 'approval.decided' && known.status === 'waiting') changing(e.runId).status = 'running';
    if (isEvent(e, 'run.finished')) {
      const run = changing(e.runId);
      run.status = e.payload.status;
      run.durationMs = Date.parse(e.ts) - Date.parse(run.startedAt);
    }
    if (!fromStream.has(e.runId)) continue;
    const run = byRun.get(e.runId)!;
    if (isEvent(e, 'model.called')) {
      run.costUsd += e.payload.costUsd;
      run.tokens += e.payload.inputTokens + e.payload.outputTokens;
    }
    if (isEvent(e, 'tool.result')) {
      run.costUsd += e.payload.costUsd ?? 0;
      if (!e.payload.ok) run.failedCalls += 1;
    }
    if (isEvent(e, 'approval.decided') && e.payload.decision === 'rejected') run.rejectedCalls += 1;
  }
  for (const runId of fromStream) {
    const run = byRun.get(runId)!;
    if (run.status !== 'running' && run.status !== 'waiting')
      run.verdict = verdictOf(run.status, run.failedCalls, run.rejectedCalls);
  }

  const passes = (run: RunView) =>
    (filter.kind === 'all' || run.eval === (filter.kind === 'eval')) &&
    (!filter.agentId || run.agentId === filter.agentId) &&
    (!filter.status || run.status === filter.status);
  const list = [...byRun.values()].filter(passes);
  // Each run under the run that handed off to it, when that run is listed too.
  const children = new Map<string | null, RunView[]>();
  const listed = new Set(list.map((r) => r.runId));
  for (const run of list) {
    const parent = run.parentRunId && listed.has(run.parentRunId) ? run.parentRunId : null;
    const siblings = children.get(parent);
    if (siblings) siblings.push(run);
    else children.set(parent, [run]);
  }
  const ordered: RunRow[] = [];
  const walk = (parent: string | null, depth: number) => {
    // Newest first; the map holds them oldest first, so the sort has little to do.
    for (const run of (children.get(parent) ?? []).reverse().sort((a, b) => b.seq - a.seq)) {
      ordered.push({ ...run, depth });
      walk(run.runId, depth + 1);
    }
  };
  walk(null, 0);
  return ordered;
}

/** The status column: a run parked on a person says so, and an ok run that lost a call does not look like success. */
export function statusText(run: RunView): string {
  if (run.status === 'waiting') return 'waiting for approval';
  if (run.status !== 'ok' || run.verdict === 'succeeded' || run.verdict === null) return run.status;
  const failed = run.failedCalls - run.rejectedCalls;
  const parts = [
    ...(failed > 0 ? [`${failed} failed call${failed === 1 ? '' : 's'}`] : []),
    ...(run.rejectedCalls > 0 ? [`${run.rejectedCalls} rejected`] : []),
  ];
  return `ok, ${parts.join(', ')}`;
}
