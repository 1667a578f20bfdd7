import { randomBytes, timingSafeEqual } from 'node:crypto';

/** How long an `/export` ticket waits to be used, ms: a download starts right after it is asked for. */
const TICKET_TTL_MS = 60_000;
/** Tickets a session may hold unused at once; the oldest is dropped past this. */
const TICKETS_PER_SESSION = 16;

/** What a browser holds of its session: the cookie it sends, and the key its page keeps. */
export interface Credentials {
  cookie: string;
  key: string;
}

/** One browser's session, as the table hands it to the door. Opaque beyond its credentials. */
export interface Session extends Credentials {
  /** When it was opened, ms since the epoch. */
  readonly openedAt: number;
}

interface Entry extends Session {
  tickets: Map<string, number>;
}

/**
 * The console's sessions, in memory only: a session is opened when a one-time link is traded,
 * and every session ends when the server stops (or when it is ended by hand). The one place
 * that knows who holds a session, so that sessions per operator (and revoking one) extend
 * this table and nothing else. No secret here reaches the ledger or a log.
 */
export class SessionTable {
  private readonly sessions: Entry[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Opens a session with a fresh cookie and key (256 random bits each). */
  open(): Session {
    const entry: Entry = { cookie: secret(), key: secret(), openedAt: this.now(), tickets: new Map() };
    this.sessions.push(entry);
    return entry;
  }

  /** The session whose cookie a `Cookie` header carries under `name`, or null. */
  byCookie(header: string | undefined, name: string): Session | null {
    for (const part of (header ?? '').split(';')) {
      const [candidate, value] = part.trim().split('=');
      if (candidate !== name || !value) continue;
      const session = this.sessions.find((s) => sameSecret(value, s.cookie));
      if (session) return session;
    }
    return null;
  }

  /** Whether a key is this session's own. */
  holdsKey(session: Session, key: string): boolean {
    return sameSecret(key, session.key);
  }

  /** A one-use `/export` ticket of this session, good for a minute. */
  issueTicket(session: Session): string {
    const tickets = this.entry(session)?.tickets;
    if (!tickets) throw new Error('the session has ended');
    const now = this.now();
    for (const [ticket, expires] of tickets) if (expires <= now) tickets.delete(ticket);
    // A Map keeps insertion order: the first entry is the oldest ticket.
    if (tickets.size >= TICKETS_PER_SESSION) tickets.delete(tickets.keys().next().value!);
    const ticket = secret();
    tickets.set(ticket, now + TICKET_TTL_MS);
    return ticket;
  }

  /** Uses up a ticket of this session; false when it is not one, was used, or expired. */
  redeem(session: Session, ticket: string): boolean {
    const tickets = this.entry(session)?.tickets;
    if (!tickets) return false;
    for (const [candidate, expires] of tickets) {
      if (!sameSecret(ticket, candidate)) continue;
      tickets.delete(candidate);
      return expires > this.now();
    }
    return false;
  }

  /** Ends one session: its cookie, key and tickets open nothing from now on. */
  end(session: Session): void {
    const at = this.sessions.findIndex((s) => s === session);
    if (at >= 0) this.sessions.splice(at, 1);
  }

  /** Ends every session (the server is stopping). */
  endAll(): void {
    this.sessions.length = 0;
  }

  /** How many sessions are open. */
  get size(): number {
    return this.sessions.length;
  }

  private entry(session: Session): Entry | undefined {
    return this.sessions.find((s) => s === session);
  }
}

/** 256 random bits as base64url: a token, cookie, key or ticket. */
export function secret(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two secrets in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
