import { create, type StateCreator } from 'zustand';
import type { AgentView, ApprovalView, ModelTextPiece } from '../../shared/api.js';
import type { LedgerEvent } from '../../shared/events.js';
import { isEvent } from '../../shared/narrow.js';

/** Every view, in the order of its tab. */
export const VIEW_IDS = ['roster', 'live', 'approvals', 'ledger', 'evals', 'kpis', 'prompts', 'providers'] as const;
/** Which view is on screen. */
export type View = (typeof VIEW_IDS)[number];

/** Where the ledger view is: the event selected (or jumped to), and its filters (empty: not set). */
export interface LedgerRoute {
  seq: number | null;
  agentId: string;
  type: string;
  runId: string;
  /** Times as the date-time inputs hold them (local, no zone); empty when not set. */
  from: string;
  to: string;
  /** Leave eval runs' events out. */
  hideEval: boolean;
}

/** The ledger view with nothing selected or filtered. */
export const EMPTY_LEDGER_ROUTE: LedgerRoute = {
  seq: null,
  agentId: '',
  type: '',
  runId: '',
  from: '',
  to: '',
  hideEval: false,
};

interface UiSlice {
  view: View;
  connected: boolean;
  selectedRunId: string | null;
  /** The ledger view's selection and filters, as its address says them. */
  ledgerRoute: LedgerRoute;
  /** The agent whose prompt history the prompts view shows (null: the roster's first). */
  promptAgentId: string | null;
  notice: { kind: 'ok' | 'error'; text: string } | null;
  setView(view: View): void;
  setConnected(connected: boolean): void;
  selectRun(runId: string | null): void;
  /** Changes part of the ledger view's selection and filters. */
  setLedgerRoute(change: Partial<LedgerRoute>): void;
  /** Opens the prompts view on an agent's prompt history. */
  openPrompts(agentId: string | null): void;
  notify(kind: 'ok' | 'error', text: string): void;
}

/** Cases graded so far by a suite run still under way (counted from `eval.case` events). */
export interface EvalProgress {
  evalRunId: string;
  graded: number;
  failed: number;
}

/** An alert a person has not dismissed yet (from `alert.raised`). */
export interface Alert {
  seq: number;
  ts: string;
  agentId: string | null;
  kind: string;
  message: string;
}

interface DataSlice {
  agents: AgentView[];
  /** Alerts raised (newest last) that this person has not dismissed in this window. */
  alerts: Alert[];
  dismissed: number[];
  approvals: ApprovalView[];
  /** The newest events streamed in, newest last, capped. */
  live: LedgerEvent[];
  /** Goes up when an event changes eval standings: a suite run finished, an agent was held or resumed. */
  evalsVersion: number;
  /** Per agent, the suite run under way and how far it got. */
  evalProgress: Record<string, EvalProgress>;
  /** Goes up when an event may move the KPIs: a run finished, an approval or a draft. */
  kpisVersion: number;
  /** Goes up when runs end (`run.finished`): the run list reads their figures again. */
  runsEnded: number;
  /** Goes up when an agent's prompt changed (`prompt.changed`), by this console or anyone else. */
  promptsVersion: number;
  /** Goes up when a provider's key was stored or removed (`provider.key.*`). */
  providersVersion: number;
  /** Goes up when a tool definition was flagged or accepted (`mcp.tool.*`). */
  toolsVersion: number;
  /** Per run, the text its model is writing now: cleared when the call's event arrives. */
  writing: Record<string, string>;
  appendText(pieces: ModelTextPiece[]): void;
  setAgents(agents: AgentView[]): void;
  setApprovals(approvals: ApprovalView[]): void;
  appendLive(events: LedgerEvent[]): void;
  /** Adds alerts read from the ledger (on connecting), keeping order and dropping repeats. */
  addAlerts(events: LedgerEvent[]): void;
  dismissAlert(seq: number): void;
}

/** Alerts kept on screen at most. */
const ALERT_CAP = 20;

function alertsWith(alerts: Alert[], dismissed: number[], events: LedgerEvent[]): Alert[] {
  const fresh = events
    .filter((e) => !dismissed.includes(e.seq) && !alerts.some((a) => a.seq === e.seq))
    .filter((e) => isEvent(e, 'alert.raised'))
    .map((e) => {
      const p = e.payload;
      return { seq: e.seq, ts: e.ts, agentId: e.agentId, kind: p.kind, message: p.message };
    });
  if (fresh.length === 0) return alerts;
  return [...alerts, ...fresh].sort((a, b) => a.seq - b.seq).slice(-ALERT_CAP);
}

/** How many streamed events the live view keeps in memory. */
const LIVE_CAP = 5_000;

/** Events that end a model call, or the run: the text it was writing is now in the ledger (or moot). */
const MODEL_DONE = new Set(['model.called', 'model.failed', 'run.finished']);
/** The most streamed text kept per run, characters (its tail). */
const WRITING_CAP = 20_000;

const EVAL_STANDING = new Set(['eval.run', 'agent.suspended', 'agent.resumed', 'agent.paused']);
const KPI_MOVERS = new Set(['run.finished', 'approval.requested', 'approval.decided', 'draft.recorded']);

const ui: StateCreator<UiSlice & DataSlice, [], [], UiSlice> = (set) => ({
  view: 'roster',
  connected: false,
  selectedRunId: null,
  ledgerRoute: EMPTY_LEDGER_ROUTE,
  promptAgentId: null,
  notice: null,
  setView: (view) => set({ view }),
  setConnected: (connected) => set({ connected }),
  selectRun: (selectedRunId) => set({ selectedRunId }),
  setLedgerRoute: (change) => set((s) => ({ ledgerRoute: { ...s.ledgerRoute, ...change } })),
  openPrompts: (promptAgentId) => set({ promptAgentId, view: 'prompts' }),
  notify: (kind, text) => set({ notice: { kind, text } }),
});

const data: StateCreator<UiSlice & DataSlice, [], [], DataSlice> = (set) => ({
  agents: [],
  alerts: [],
  dismissed: [],
  approvals: [],
  live: [],
  evalsVersion: 0,
  evalProgress: {},
  kpisVersion: 0,
  runsEnded: 0,
  promptsVersion: 0,
  providersVersion: 0,
  toolsVersion: 0,
  writing: {},
  setAgents: (agents) => set({ agents }),
  setApprovals: (approvals) => set({ approvals }),
  appendLive: (events) =>
    set((s) => {
      let evalProgress = s.evalProgress;
      for (const e of events) {
        if (!e.agentId || !(isEvent(e, 'eval.case') || isEvent(e, 'eval.run'))) continue;
        const p = e.payload;
        if (evalProgress === s.evalProgress) evalProgress = { ...s.evalProgress };
        if (e.type === 'eval.run') {
          if (evalProgress[e.agentId]?.evalRunId === p.evalRunId) delete evalProgress[e.agentId];
          continue;
        }
        const now = evalProgress[e.agentId];
        const same = now?.evalRunId === p.evalRunId;
        evalProgress[e.agentId] = {
          evalRunId: p.evalRunId,
          graded: (same ? now.graded : 0) + 1,
          failed: (same ? now.failed : 0) + (p.passed ? 0 : 1),
        };
      }
      let writing = s.writing;
      for (const e of events) {
        if (e.runId && e.runId in writing && MODEL_DONE.has(e.type)) {
          if (writing === s.writing) writing = { ...s.writing };
          delete writing[e.runId];
        }
      }
      return {
        writing,
        alerts: alertsWith(s.alerts, s.dismissed, events),
        live: [...s.live, ...events].slice(-LIVE_CAP),
        evalProgress,
        evalsVersion: s.evalsVersion + (events.some((e) => EVAL_STANDING.has(e.type)) ? 1 : 0),
        kpisVersion: s.kpisVersion + (events.some((e) => KPI_MOVERS.has(e.type)) ? 1 : 0),
        runsEnded: s.runsEnded + (events.some((e) => e.type === 'run.finished') ? 1 : 0),
        promptsVersion: s.promptsVersion + (events.some((e) => e.type === 'prompt.changed') ? 1 : 0),
        providersVersion:
          s.providersVersion +
          (events.some((e) => e.type.startsWith('provider.key.') || e.type.startsWith('secret.')) ? 1 : 0),
        toolsVersion: s.toolsVersion + (events.some((e) => e.type.startsWith('mcp.tool.')) ? 1 : 0),
      };
    }),
  appendText: (pieces) =>
    set((s) => {
      const writing = { ...s.writing };
      // Each piece is the call's whole text so far (redacted whole by Warden): it replaces the last.
      for (const p of pieces) writing[p.runId] = p.text.slice(-WRITING_CAP);
      return { writing };
    }),
  addAlerts: (events) => set((s) => ({ alerts: alertsWith(s.alerts, s.dismissed, events) })),
  dismissAlert: (seq) =>
    set((s) => ({ alerts: s.alerts.filter((a) => a.seq !== seq), dismissed: [...s.dismissed, seq] })),
});

/** The console's one store: UI state and the latest answers from Warden (the truth stays there). */
export const useStore = create<UiSlice & DataSlice>()((...a) => ({ ...ui(...a), ...data(...a) }));
