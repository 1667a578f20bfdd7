import type { IncomingMessage } from 'node:http';
import { KEY_PROTOCOL_PREFIX } from '../../shared/serve.js';
import { sameSecret, secret, SessionTable, type Credentials, type Session } from './sessions.js';

/** The cookie a browser gets for the one-time token. */
export const SESSION_COOKIE = 'warden_session';

/** The cookie's attributes: never read by a script, never sent by another site's page, for every path. */
export const COOKIE_ATTRIBUTES = 'HttpOnly; SameSite=Strict; Path=/';

/**
 * What `Sec-Fetch-Site` may say for a request the cookie opens: the console's own page, or the
 * person (a bookmark, a typed address, a reload). A page on another port is `same-site`: the
 * browser sends it the cookie (cookies ignore ports), this refuses it.
 */
const OWN_FETCH_SITES = ['same-origin', 'none'];

/**
 * The serve mode's door: a 256-bit token, printed once, that a browser trades once for a
 * session (see {@link SessionTable}): an HttpOnly, SameSite=Strict cookie and a key. The cookie
 * reaches every 127.0.0.1 port the browser visits, so it opens static files only, and only for
 * requests the browser marks as this console's own (`Sec-Fetch-Site`). The API also wants the
 * key, which the page keeps in its origin's storage (bound to this port) and a browser never
 * sends on its own; Host and Origin checks keep other sites and DNS rebinding out.
 */
export class Door {
  private token: string | null = secret();
  /** The sessions the token was traded for (one a link). */
  readonly sessions: SessionTable;

  constructor(
    private readonly port: () => number,
    now: () => number = Date.now,
  ) {
    this.sessions = new SessionTable(now);
  }

  /** The token, for the URL printed at start. */
  get startToken(): string {
    if (!this.token) throw new Error('the start token was already used');
    return this.token;
  }

  /** Trades the token for a new session's credentials; the token works once. */
  trade(candidate: string): Credentials | null {
    if (!this.token || !sameSecret(candidate, this.token)) return null;
    this.token = null;
    const { cookie, key } = this.sessions.open();
    return { cookie, key };
  }

  /** The Host header names this server on loopback (not a rebinding attacker's name). */
  hostAllowed(request: IncomingMessage): boolean {
    const port = this.port();
    const host = request.headers.host ?? '';
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
  }

  /** The request's Origin is this very server (a WebSocket must send one). */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    return origin !== undefined && origin.toLowerCase() === `http://${(request.headers.host ?? '').toLowerCase()}`;
  }

  /** The browser says the request comes from this console's own page, or from the person. */
  ownFetch(request: IncomingMessage): boolean {
    return OWN_FETCH_SITES.includes(String(request.headers['sec-fetch-site'] ?? '').toLowerCase());
  }

  /** The session whose cookie the request carries, or null. */
  session(request: IncomingMessage): Session | null {
    return this.sessions.byCookie(request.headers.cookie, SESSION_COOKIE);
  }

  /**
   * The WebSocket handshake carries a session's cookie and, among its subprotocols, that same
   * session's key; returns a function that issues that session's download tickets, or null.
   */
  keyHolder(request: IncomingMessage): (() => string) | null {
    const session = this.session(request);
    if (!session) return null;
    const offered = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.startsWith(KEY_PROTOCOL_PREFIX));
    if (!offered.some((p) => this.sessions.holdsKey(session, p.slice(KEY_PROTOCOL_PREFIX.length)))) return null;
    return () => this.sessions.issueTicket(session);
  }

  /** Uses up a download ticket of the session; false when it is not one. */
  redeem(session: Session, ticket: string): boolean {
    return this.sessions.redeem(session, ticket);
  }

  /** Ends every session: the server is stopping. */
  close(): void {
    this.token = null;
    this.sessions.endAll();
  }
}
