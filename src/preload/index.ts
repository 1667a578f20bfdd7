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
    /**
     * Every push from the host (a batch of ledger events, or the text models are writing), as the
     * contract's PushSchema has it; returns a function that stops them. Relayed as it came: the
     * renderer reads it with src/shared/push.ts (the preload cannot load zod).
     */
    onPush(listener: (push: unknown) => void): () => void {
      const relay = (_: unknown, push: unknown) => listener(push);
      ipcRenderer.on('warden:push', relay);
      return () => ipcRenderer.removeListener('warden:push', relay);
    },
  }),
);
