import type { ApiResult, Method, Params, Push } from '../../shared/api.js';
import { readPush } from '../../shared/push.js';
import {
  CONSOLE_PROTOCOL,
  KEY_FRAGMENT,
  KEY_PROTOCOL_PREFIX,
  SESSION_KEY_PATTERN,
  TICKET_METHOD,
  TICKET_PARAM,
  isTicket,
} from '../../shared/serve.js';

/** What the ledger exports to: its events (JSONL, CSV), or a report of a period (HTML, PDF). */
export type ExportFormat = 'jsonl' | 'csv' | 'html' | 'pdf';

/** A typed client of the console API. */
export interface WardenClient {
  call<M extends Method>(method: M, params: Params<M>): Promise<ApiResult<M>>;
  /**
   * What the host pushes: batches of ledger events, and the text models are writing for runs as
   * it streams in (not in the ledger until the call ends). Only pushes that read as the contract
   * says reach the listener; a malformed one is dropped with a warning.
   */
  onPush(listener: (push: Push) => void): () => void;
  onStatus(listener: (connected: boolean) => void): () => void;
  /** The desktop app saves exports through a dialog; in a browser, export is a download link. */
  exportLedger?(format: ExportFormat, filters: Record<string, string>): Promise<string | null>;
  /** In a browser: the download link with a one-use ticket, for a link the console just built. */
  ticketed?(href: string): Promise<string>;
}

/** An error the API answered with: a code for the program, a message for the person. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Hands a push to the listeners if it reads as the contract says; else drops it, saying why on
 * the console, so one bad message never stops the live view.
 */
function deliver(data: unknown, listeners: Iterable<(push: Push) => void>): void {
  const reading = readPush(data);
  if (!reading.ok) {
    console.warn(`Warden: dropped a malformed push: ${reading.message}`);
    return;
  }
  for (const listener of listeners) listener(reading.value);
}

/** Where the page keeps its session key. */
const KEY_STORAGE = 'warden.sessionKey';

/**
 * The key warden serve gave this page: taken from the URL fragment the token trade redirected
 * to (then wiped from the address bar and history), else the one kept before. It is kept in
 * the origin's localStorage, which is bound to this port: every tab of this console (a reload,
 * a bookmark, a shared link opened in a new tab) has it, and a page on another port has not.
 * The cookie alone opens no API: every 127.0.0.1 port gets it. Once the server stops, the key
 * opens nothing (its sessions live in its memory), and the next link's key replaces it.
 */
export function sessionKey(): string | null {
  const fragment = new URLSearchParams(location.hash.slice(1)).get(KEY_FRAGMENT);
  if (fragment !== null) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    if (SESSION_KEY_PATTERN.test(fragment)) localStorage.setItem(KEY_STORAGE, fragment);
  }
  return localStorage.getItem(KEY_STORAGE);
}

/**
 * The client over the serve mode's WebSocket, presenting the page's key as a subprotocol (a
 * browser's WebSocket cannot set headers). It reconnects after a drop; calls made while it is
 * down wait for the connection.
 */
export function webSocketClient(
  url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`,
  key = sessionKey(),
): WardenClient {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const pushListeners = new Set<(push: Push) => void>();
  const statusListeners = new Set<(connected: boolean) => void>();
  let next = 1;
  let socket: WebSocket;
  let opened: Promise<WebSocket>;

  const connect = () => {
    opened = new Promise((resolve) => {
      // Without a key the server refuses the socket: this tab did not come from the printed link.
      socket = new WebSocket(url, key ? [CONSOLE_PROTOCOL, `${KEY_PROTOCOL_PREFIX}${key}`] : [CONSOLE_PROTOCOL]);
      socket.onopen = () => {
        statusListeners.forEach((l) => l(true));
        resolve(socket);
      };
      socket.onmessage = (message) => {
        let data;
        try {
          data = JSON.parse(String(message.data));
        } catch {
          return console.warn('Warden: dropped a message that is not JSON');
        }
        // A reply answers a request by its id; anything else is a push.
        if (typeof data !== 'object' || data === null || !('id' in data)) return deliver(data, pushListeners);
        const waiting = pending.get(data.id);
        if (!waiting) return;
        pending.delete(data.id);
        if (data.ok) waiting.resolve(data.result);
        else waiting.reject(new ApiError(data.error.code, data.error.message));
      };
      socket.onclose = () => {
        statusListeners.forEach((l) => l(false));
        for (const [, waiting] of pending)
          waiting.reject(new ApiError('E_DISCONNECTED', 'the connection to Warden dropped'));
        pending.clear();
        setTimeout(connect, 1000);
      };
    });
  };
  connect();

  const request = async (method: string, params: unknown): Promise<unknown> => {
    const ws = await opened;
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  };

  return {
    call: (method, params) => request(method, params) as never,
    async ticketed(href) {
      const reply = await request(TICKET_METHOD, {});
      if (!isTicket(reply)) throw new ApiError('E_INTERNAL', 'warden serve gave no download ticket');
      const link = new URL(href, location.href);
      link.searchParams.set(TICKET_PARAM, reply.ticket);
      return `${link.pathname}${link.search}`;
    },
    onPush(listener) {
      pushListeners.add(listener);
      return () => pushListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
}

/** The preload's bridge, when the console runs in the desktop app. */
interface DesktopBridge {
  [group: string]: unknown;
  /** Relays each push as it came over IPC: unread, since the preload cannot load zod. */
  onPush(listener: (push: unknown) => void): () => void;
  exportLedger(
    format: ExportFormat,
    filters: Record<string, string>,
  ): Promise<{ ok: boolean; value?: string | null; code?: string; message?: string }>;
}

/** The client over the desktop app's preload bridge (IPC), with the same face as the WebSocket one. */
export function desktopClient(bridge: DesktopBridge): WardenClient {
  return {
    async call(method, params) {
      const [group, name] = method.split('.') as [string, string];
      const fn = (
        bridge[group] as Record<
          string,
          (p: unknown) => Promise<{ ok: boolean; value?: unknown; code?: string; message?: string }>
        >
      )[name]!;
      const reply = await fn(params);
      if (!reply.ok) throw new ApiError(reply.code ?? 'E_INTERNAL', reply.message ?? 'failed');
      return reply.value as never;
    },
    onPush: (listener) => bridge.onPush((data) => deliver(data, [listener])),
    async exportLedger(format, filters) {
      const reply = await bridge.exportLedger(format, filters);
      if (!reply.ok) throw new ApiError(reply.code ?? 'E_INTERNAL', reply.message ?? 'export failed');
      return reply.value ?? null;
    },
    onStatus(listener) {
      // IPC does not drop: the desktop app is connected for as long as it runs.
      listener(true);
      return () => undefined;
    },
  };
}

/** The client for wherever the console runs: the desktop app's bridge, else the serve mode's WebSocket. */
export function wardenClient(): WardenClient {
  const bridge = (window as unknown as { warden?: DesktopBridge }).warden;
  return bridge ? desktopClient(bridge) : webSocketClient();
}
