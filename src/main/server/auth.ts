import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { KEY_PROTOCOL_PREFIX } from '../../shared/serve.js';

/** The cookie a browser gets for the one-time token: it opens the static files, not the API. */
export const SESSION_COOKIE = 'warden_session';

/** How long an `/export` ticket waits to be used, ms: a download starts right after it is asked for. */
const TICKET_TTL_MS = 60_000;
/** Tickets a session may hold unused at once; the oldest is dropped past this. */
const TICKETS_PER_SESSION = 16;

/** What the token trade hands the browser: the cookie, and the key the page keeps to itself. */
export interface Credentials {
  cookie: string;
  key: string;
}

/** One browser's session: its cookie, its key, and the download tickets it has not used yet. */
interface Session extends Credentials {
  tickets: Map<string, number>;
}

/**
 * The serve mode's door: a 256-bit token, printed once, that a browser trades once for a
 * session cookie and a session key. Cookies are not isolated by port, so another local port's
 * page (or a replay of the cookie) can present the cookie: it opens only the static files. The
 * API wants the key as well, which the page holds in memory and a browser never sends on its
 * own; and Host and Origin checks keep other sites and DNS rebinding out. The token, cookie,
 * key and tickets never reach the ledger or a log.
 */
export class Door {
  private token: string | null = secret();
  private readonly sessions: Session[] = [];

  constructor(
    private readonly port: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token, for the URL printed at start. */
  get startToken(): string {
    if (!this.token) throw new Error('the start token was already used');
    return this.token;
  }

  /** Trades the token for a session's credentials; the token works once. */
  trade(candidate: string): Credentials | null {
    if (!this.token || !sameSecret(candidate, this.token)) return null;
    this.token = null;
    const session: Session = { cookie: secret(), key: secret(), tickets: new Map() };
    this.sessions.push(session);
    return { cookie: session.cookie, key: session.key };
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

  /** The request carries a session cookie this server handed out: enough for static files only. */
  authenticated(request: IncomingMessage): boolean {
    return this.sessionOf(request) !== null;
  }

  /**
   * The WebSocket handshake carries a session's cookie and, among its subprotocols, that same
   * session's key; returns a function that issues that session's download tickets, or null.
   */
  keyHolder(request: IncomingMessage): (() => string) | null {
    const session = this.sessionOf(request);
    if (!session) return null;
    const offered = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.startsWith(KEY_PROTOCOL_PREFIX));
    if (!offered.some((p) => sameSecret(p.slice(KEY_PROTOCOL_PREFIX.length), session.key))) return null;
    return () => this.issueTicket(session);
  }

  /** Uses up a download ticket of the request's own session; false when it is not one. */
  redeem(request: IncomingMessage, ticket: string): boolean {
    const session = this.sessionOf(request);
    if (!session) return false;
    for (const [candidate, expires] of session.tickets) {
      if (!sameSecret(ticket, candidate)) continue;
      session.tickets.delete(candidate);
      return expires > this.now();
    }
    return false;
  }

  private issueTicket(session: Session): string {
    const now = this.now();
    for (const [ticket, expires] of session.tickets) if (expires <= now) session.tickets.delete(ticket);
    // A Map keeps insertion order: the first entry is the oldest ticket.
    if (session.tickets.size >= TICKETS_PER_SESSION) session.tickets.delete(session.tickets.keys().next().value!);
    const ticket = secret();
    session.tickets.set(ticket, now + TICKET_TTL_MS);
    return ticket;
  }

  private sessionOf(request: IncomingMessage): Session | null {
    const cookie = request.headers.cookie ?? '';
    for (const part of cookie.split(';')) {
      const [name, value] = part.trim().split('=');
      if (name !== SESSION_COOKIE || !value) continue;
      const session = this.sessions.find((s) => sameSecret(value, s.cookie));
      if (session) return session;
    }
    return null;
  }
}

/** 256 random bits as base64url: a token, cookie, key or ticket. */
function secret(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
