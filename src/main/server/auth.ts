import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The cookie a browser gets for the one-time token. */
export const SESSION_COOKIE = 'warden_session';

/**
 * The serve mode's door: a 256-bit token, printed once, that a browser trades once for an
 * HttpOnly, SameSite=Strict session cookie; and the Host and Origin checks that keep other
 * sites and DNS rebinding out. The token and the session never reach the ledger or a log.
 */
export class Door {
  private token: string | null = randomBytes(32).toString('base64url');
  private readonly sessions = new Set<string>();

  constructor(private readonly port: () => number) {}

  /** The token, for the URL printed at start. */
  get startToken(): string {
    if (!this.token) throw new Error('the start token was already used');
    return this.token;
  }

  /** Trades the token for a session id; the token works once. */
  trade(candidate: string): string | null {
    if (!this.token || !sameSecret(candidate, this.token)) return null;
    this.token = null;
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return session;
  }

  /** The Host header names this server on loopback (not a rebinding attacker's name). */
  hostAllowed(request: IncomingMessage): boolean {
    const port = this.port();
    const host = request.headers.host ?? '';
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
  }

  /** A WebSocket's Origin is this very server. */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    return origin !== undefined && origin.toLowerCase() === `http://${(request.headers.host ?? '').toLowerCase()}`;
  }

  /** The request carries a session this server handed out. */
  authenticated(request: IncomingMessage): boolean {
    const cookie = request.headers.cookie ?? '';
    for (const part of cookie.split(';')) {
      const [name, value] = part.trim().split('=');
      if (name === SESSION_COOKIE && value && [...this.sessions].some((s) => sameSecret(value, s))) return true;
    }
    return false;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
