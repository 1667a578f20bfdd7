/**
 * The preload bridge: `window.warden`, a client of the console API with one named method per
 * API method (`warden.approvals.decide(params)`), never raw ipcRenderer. Results come back as
 * data: `{ ok: true, value } | { ok: false, code, message }`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API_METHODS } from '../shared/api-methods.js';

type Call = (params?: unknown) => Promise<unknown>;

const methods: Record<string, Record<string, Call>> = {};
for (const method of API_METHODS) {
  const [group, name] = method.split('.') as [string, string];
  methods[group] ??= {};
  methods[group][name] = (params) => ipcRenderer.invoke('warden:call', method, params ?? {});
}

contextBridge.exposeInMainWorld(
  'warden',
  Object.freeze({
    ...methods,
    /**
     * Saves an export of the ledger (its events as JSONL or CSV, or a report as HTML or PDF) where
     * the person chooses; resolves with the file, or null if cancelled.
     */
    exportLedger(format: 'jsonl' | 'csv' | 'html' | 'pdf', filters: Record<string, string>): Promise<unknown> {
      return ipcRenderer.invoke('warden:export', format, filters);
    },
    /** Ledger events as they are appended, in batches; returns a function that stops them. */
    onEvents(listener: (events: unknown[]) => void): () => void {
      const relay = (_: unknown, events: unknown[]) => listener(events);
      ipcRenderer.on('warden:events', relay);
      return () => ipcRenderer.removeListener('warden:events', relay);
    },
    /** Text models are writing for runs, as it streams in; returns a function that stops it. */
    onText(listener: (pieces: unknown[]) => void): () => void {
      const relay = (_: unknown, pieces: unknown[]) => listener(pieces);
      ipcRenderer.on('warden:text', relay);
      return () => ipcRenderer.removeListener('warden:text', relay);
    },
  }),
);
