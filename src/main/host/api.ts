import { WardenError } from '../../shared/errors.js';
import {
  API,
  type AgentView,
  type ModelTextPiece,
  type ApprovalView,
  type Method,
  type PromptVersionView,
  type ProviderTestView,
  type ProviderView,
  type SecretView,
  type RunView,
} from '../../shared/api.js';
import { type EventOf, type LedgerEvent } from '../../shared/events.js';
import { isEvent } from '../../shared/narrow.js';
import { agentModel } from '../../shared/roster.js';
import type { ExportFilters } from '../../shared/export.js';
import type { Approval } from '../gateway/approvals.js';
import { orphanedRun } from '../gateway/parked.js';
import { endRejected } from '../runtime/recovery.js';
import { ToolVetting } from '../gateway/tool-vetting.js';
import { Insights } from './insights.js';
import { ProviderKeys } from './providers.js';
import { signCheckpoint, signedCheckpoint } from '../audit/checkpoints.js';
import { writeReport } from '../audit/report/index.js';
import type { InclusionProof } from '../../shared/audit.js';
import type { Warden } from './warden.js';

/** The console API over one Warden, whatever carries it (IPC or a WebSocket). */
export interface ConsoleApi {
  /** Parses the params, runs the method, returns its result; rejects with a coded error. */
  call(method: string, params: unknown, by: string): Promise<unknown>;
  /** Ledger events as they are appended (by this process or another), in batches. */
  subscribe(listener: (events: LedgerEvent[]) => void): () => void;
  /** Text models are writing for this process's work runs, gathered per run and sent with the events' tick. */
  subscribeText(listener: (pieces: ModelTextPiece[]) => void): () => void;
  /**
   * Writes an export of the ledger to a file: JSONL (signed, verifiable on its own), CSV, or
   * an HTML or PDF report anchored to a checkpoint signed now (reports take from, to, agent).
   * Resolves with every file written: `file`, then the JSONL exports a report over a large
   * period writes beside it for its events.
   */
  exportTo(file: string, format: ExportFormatName, filters: ExportFilters): Promise<string[]>;
  close(): void;
}

/** What the console exports: the ledger as JSONL or CSV, or a report as HTML or PDF. */
export type ExportFormatName = 'jsonl' | 'csv' | 'html' | 'pdf';
/** The formats, for checking what arrives from a browser or the renderer. */
export const EXPORT_FORMATS: readonly ExportFormatName[] = ['jsonl', 'csv', 'html', 'pdf'];

/** How often the event stream looks for new events, ms: a batch per tick, never one per event. */
const STREAM_EVERY_MS = 100;
const STREAM_BATCH = 1000;

/** Builds the console API over a Warden. */
export function consoleApi(warden: Warden): ConsoleApi {
  const { runtime, ledger, approvals, roster } = warden;
  const insights = new Insights(warden);
  const providerKeys = new ProviderKeys(warden);
  const vetting = new ToolVetting(ledger);
  const keyOptions = warden.keyWrapper ? { wrapper: warden.keyWrapper } : {};
  const listeners = new Set<(events: LedgerEvent[]) => void>();
  const textListeners = new Set<(pieces: ModelTextPiece[]) => void>();
  // Per run, the text of its current model call so far, and whether it grew since the last tick.
  const writing = new Map<string, { piece: ModelTextPiece; grew: boolean }>();
  const stopText = runtime.onModelText((piece) => {
    if (textListeners.size === 0) return;
    const current = writing.get(piece.runId);
    if (current?.piece.callId === piece.callId) {
      current.piece.text += piece.text;
      current.grew = true;
    } else writing.set(piece.runId, { piece: { ...piece }, grew: true });
  });
  let after = ledger.reader.head()?.seq ?? 0;
  const stream = setInterval(() => {
    // Text first: a model.called in this tick's events then clears the text it completes.
    const grown = [...writing.values()].filter((w) => w.grew);
    if (grown.length > 0) {
      // Redacted whole, so a secret split across pieces is still caught.
      const pieces = grown.map((w) => ((w.grew = false), { ...w.piece, text: ledger.redactText(w.piece.text) }));
      for (const listener of textListeners) listener(pieces);
    }
    // Once sent, the text of a run that ended is no longer needed, whoever was listening.
    for (const runId of writing.keys()) if (!runtime.isRunning(runId)) writing.delete(runId);
    if (listeners.size === 0) {
      after = ledger.reader.head()?.seq ?? after;
      return;
    }
    for (;;) {
      const page = ledger.reader.page({ afterSeq: after, limit: STREAM_BATCH });
      if (page.events.length === 0) break;
      after = page.events[page.events.length - 1]!.seq;
      for (const listener of listeners) listener(page.events);
      if (page.nextKey === null) break;
    }
  }, STREAM_EVERY_MS);
  stream.unref();

  const handlers: { [M in Method]: (params: never, by: string) => unknown } = {
    'roster.organisation': () => ({ name: roster.config.organisation.name }),
    'roster.list': (): AgentView[] => {
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
    },
    'ledger.page': (params: Parameters<typeof ledger.reader.page>[0]) => ledger.reader.page(params),
    'run.trajectory': ({ runId }: { runId: string }) => ledger.reader.page({ runId, limit: 1000, order: 'asc' }).events,
    'approvals.list': ({ state }: { state: 'pending' | 'decided' }): ApprovalView[] => {
      if (state === 'pending') return approvals.pending().map(approvalView);
      // The latest 50 decisions, newest first.
      const decided = ledger.reader.page({ type: 'approval.decided', order: 'desc', limit: 50 }).events;
      return decided.flatMap((e) => {
        const found = approvals.get(e.payload.approvalId);
        return found ? [approvalView(found)] : [];
      });
    },
    'runs.page': ({
      beforeSeq,
      limit,
      agentId,
      eval: evalRuns,
    }: {
      beforeSeq?: number;
      limit: number;
      agentId?: string;
      eval?: boolean;
    }) => {
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
        status: runStatus(e.runId!),
        eval: Boolean(e.payload.eval),
      }));
      return { runs, nextKey: started.nextKey };
    },
    'approvals.decide': async (
      p: { approvalId: string; decision: 'approved' | 'rejected'; reason?: string },
      by: string,
    ) => {
      const decided = await approvals.decide({ ...p, by });
      // A run parked by a process that is gone (warden demo) is carried on here when approved,
      // and ends rejected when rejected: there is no agent left waiting to be told.
      if (p.decision === 'rejected') {
        if (orphanedRun(ledger, decided.runId)) await endRejected(ledger, decided);
      } else if (runtime.canAdopt(decided.runId)) void runtime.adopt(decided.runId).catch(() => undefined);
      return approvalView(decided);
    },
    'task.start': async ({ agentId, input }: { agentId: string; input: never }) => ({
      runId: await runtime.start(agentId, input),
    }),
    'run.stop': ({ runId }: { runId: string }) => {
      runtime.stop(runId);
      return {};
    },
    'agent.pause': async ({ agentId, reason }: { agentId: string; reason?: string }, by: string) => {
      await runtime.pause(agentId, by, reason);
      return {};
    },
    'agent.resume': async ({ agentId }: { agentId: string }, by: string) => {
      await runtime.resume(agentId, by);
      return {};
    },
    'agents.pauseAll': async (_: unknown, by: string) => {
      await runtime.pauseAll(by);
      return {};
    },
    'ledger.verify': async () => {
      const report = await ledger.verify();
      return { ok: report.ok, checked: report.checked, head: report.head, firstBreak: report.firstBreak };
    },
    'ledger.checkpoint': ({ sign }: { sign: boolean }) => {
      const latest = ledger.latestCheckpoint();
      const size = ledger.reader.head()?.seq ?? 0;
      if (latest && (latest.size === size || !sign)) return latest;
      return signedCheckpoint(ledger, keyOptions);
    },
    'ledger.proof': ({ seq }: { seq: number }): InclusionProof => {
      const event = ledger.reader.get(seq);
      if (!event) throw new WardenError('E_USAGE', `the ledger has no event ${seq}`);
      const latest = ledger.latestCheckpoint();
      const checkpoint = latest && latest.size >= seq ? latest : signedCheckpoint(ledger, keyOptions);
      return {
        kind: 'warden.ledger.inclusion-proof',
        formatVersion: 1,
        event,
        leafIndex: seq - 1,
        path: ledger.tree.inclusionProof(seq - 1, checkpoint.size).map((h) => h.toString('hex')),
        checkpoint,
      };
    },
    'evals.overview': () => insights.overview(),
    'evals.cases': ({ agentId, evalRunId, failedOnly }: { agentId: string; evalRunId: string; failedOnly: boolean }) =>
      insights.cases(agentId, evalRunId, failedOnly),
    'evals.run': ({ agentId }: { agentId?: string }, by: string) => ({ started: insights.startSuites(agentId, by) }),
    'kpis.report': ({ from, to, by }: { from: string; to: string; by: 'agent' | 'tier' | 'unit' }) =>
      insights.kpis(from, to, by),
    'prompts.history': ({ agentId }: { agentId: string }): PromptVersionView[] =>
      runtime.prompts.history(knownAgent(agentId)).map(promptView),
    'prompts.set': async (
      { agentId, text, reason }: { agentId: string; text: string; reason: string },
      by: string,
    ): Promise<PromptVersionView> => promptView(await runtime.prompts.set(knownAgent(agentId), text, by, reason)),
    'prompts.rollback': async (
      { agentId, to, reason }: { agentId: string; to: number; reason: string },
      by: string,
    ): Promise<PromptVersionView> => promptView(await runtime.prompts.rollback(knownAgent(agentId), to, by, reason)),
    'providers.list': () => ({
      store: {
        available: warden.keyStore !== undefined,
        protection: warden.keyStore?.protection ?? null,
      },
      providers: providerKeys.list(),
      secrets: providerKeys.secrets(),
    }),
    'secrets.set': (
      { variable, key, allowPlainText }: { variable: string; key: string; allowPlainText: boolean },
      by: string,
    ): Promise<SecretView> => providerKeys.setSecret(variable, key, by, allowPlainText),
    'secrets.remove': ({ variable }: { variable: string }, by: string): Promise<SecretView> =>
      providerKeys.removeSecret(variable, by),
    'providers.setKey': (
      { provider, key, allowPlainText }: { provider: string; key: string; allowPlainText: boolean },
      by: string,
    ): Promise<ProviderView> => providerKeys.set(provider, key, by, allowPlainText),
    'providers.removeKey': ({ provider }: { provider: string }, by: string): Promise<ProviderView> =>
      providerKeys.remove(provider, by),
    'providers.test': ({ provider }: { provider: string }, by: string): Promise<ProviderTestView> =>
      providerKeys.test(provider, by),
    'tools.flagged': () => vetting.flags(),
    'tools.accept': async (p: { server: string; tool: string; sha256: string; reason: string }, by: string) =>
      (await vetting.accept(p.server, p.tool, by, p.reason, p.sha256)).flag,
  };

  /** The agent's id when the roster has it: a prompt is never recorded for an agent that is not there. */
  function knownAgent(agentId: string): string {
    if (roster.agents.some((a) => a.id === agentId)) return agentId;
    throw new WardenError(
      'E_AGENT_UNKNOWN',
      `no agent "${agentId}" in the roster (agents: ${roster.agents.map((a) => a.id).join(', ')})`,
    );
  }

  /** The `run.started` events at these seqs, as a page of at most `limit` (one more means there is a next). */
  function startsOf(seqs: number[], limit: number): { events: EventOf<'run.started'>[]; nextKey: number | null } {
    const events = seqs
      .slice(0, limit)
      .flatMap((seq) => ledger.reader.get(seq) ?? [])
      .filter((e) => isEvent(e, 'run.started'));
    return { events, nextKey: seqs.length > limit ? events[events.length - 1]!.seq : null };
  }

  /** A run's status from its own events: finished, waiting for a person, or running. */
  function runStatus(runId: string): RunView['status'] {
    const finished = ledger.reader.page({ runId, type: 'run.finished', limit: 1 }).events[0];
    if (finished) return finished.payload.status;
    const asked = ledger.reader.page({ runId, type: 'approval.requested', order: 'desc', limit: 1 }).events[0];
    if (asked && !approvals.decisionOf(asked.payload.approvalId, asked.seq)) return 'waiting';
    return 'running';
  }

  return {
    async call(method, params, by) {
      if (!Object.hasOwn(API, method)) throw new WardenError('E_USAGE', `unknown method "${method}"`);
      const spec = API[method as Method];
      const parsed = spec.params.safeParse(params ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new WardenError('E_USAGE', `${method}: ${issue.path.join('.') || 'params'}: ${issue.message}`);
      }
      return (handlers[method as Method] as (p: unknown, by: string) => unknown)(parsed.data, by);
    },
    async exportTo(file, format, filters) {
      const sign = (head: { size: number; rootHash: string }) => signCheckpoint(ledger, head, keyOptions);
      if (format === 'jsonl' || format === 'csv') {
        ledger.export(file, format, filters, { sign });
        return [file];
      }
      if (filters.runId || filters.type)
        throw new WardenError('E_USAGE', 'a report covers a period and an agent; run and type filters do not apply');
      const report = await writeReport(ledger, file, format, {
        filters: {
          ...(filters.from ? { from: filters.from } : {}),
          ...(filters.to ? { to: filters.to } : {}),
          ...(filters.agentId ? { agentId: filters.agentId } : {}),
        },
        checkpoint: signedCheckpoint(ledger, keyOptions),
        roster,
        sign,
      });
      return [file, ...(report.appendix.kind === 'exports' ? report.appendix.files.map((f) => f.path) : [])];
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribeText(listener) {
      textListeners.add(listener);
      return () => textListeners.delete(listener);
    },
    close() {
      insights.close();
      clearInterval(stream);
      stopText();
      listeners.clear();
      textListeners.clear();
    },
  };
}

/** A prompt version as the console shows it: the fields its schema names, nothing more. */
function promptView(v: PromptVersionView): PromptVersionView {
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
