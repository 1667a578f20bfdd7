import { create, type StateCreator } from 'zustand';
import type { AgentView, ApprovalView } from '../../shared/api.js';
import type { LedgerEvent } from '../../shared/events.js';

/** Which view is on screen. */
export type View = 'roster' | 'live' | 'approvals' | 'ledger';

interface UiSlice {
  view: View;
  connected: boolean;
  selectedRunId: string | null;
  notice: { kind: 'ok' | 'error'; text: string } | null;
  setView(view: View): void;
  setConnected(connected: boolean): void;
  selectRun(runId: string | null): void;
  notify(kind: 'ok' | 'error', text: string): void;
}

interface DataSlice {
  agents: AgentView[];
  approvals: ApprovalView[];
  /** The newest events streamed in, newest last, capped. */
  live: LedgerEvent[];
  setAgents(agents: AgentView[]): void;
  setApprovals(approvals: ApprovalView[]): void;
  appendLive(events: LedgerEvent[]): void;
}

/** How many streamed events the live view keeps in memory. */
const LIVE_CAP = 5_000;

const ui: StateCreator<UiSlice & DataSlice, [], [], UiSlice> = (set) => ({
  view: 'roster',
  connected: false,
  selectedRunId: null,
  notice: null,
  setView: (view) => set({ view }),
  setConnected: (connected) => set({ connected }),
  selectRun: (selectedRunId) => set({ selectedRunId }),
  notify: (kind, text) => set({ notice: { kind, text } }),
});

const data: StateCreator<UiSlice & DataSlice, [], [], DataSlice> = (set) => ({
  agents: [],
  approvals: [],
  live: [],
  setAgents: (agents) => set({ agents }),
  setApprovals: (approvals) => set({ approvals }),
  appendLive: (events) => set((s) => ({ live: [...s.live, ...events].slice(-LIVE_CAP) })),
});

/** The console's one store: UI state and the latest answers from Warden (the truth stays there). */
export const useStore = create<UiSlice & DataSlice>()((...a) => ({ ...ui(...a), ...data(...a) }));
