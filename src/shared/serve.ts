// How the page in a browser proves itself to `warden serve`. Cookies are not isolated by port,
// so the session cookie only gates static files; the API takes a per-session key the page got
// once, in the URL fragment of the token trade, and keeps in its origin's localStorage (bound to
// the port, shared by its tabs). A browser never sends it on its own, so a page on another port
// (or a replay of the cookie) cannot use it.
// No dependencies: the renderer loads this file and does not bundle zod (as with api-methods.ts).

/** The subprotocol the console's WebSocket speaks; the server answers with it. */
export const CONSOLE_PROTOCOL = 'warden';

/**
 * Prefix of the second subprotocol the page offers: the key rides in it because a browser's
 * WebSocket cannot set headers. The server checks it and never echoes it.
 */
export const KEY_PROTOCOL_PREFIX = 'warden-key.';

/** Name of the URL fragment (`/#key=…`) the key arrives in: a fragment never reaches a server. */
export const KEY_FRAGMENT = 'key';

/** A session key as the server makes it: 256 bits, base64url (a valid subprotocol token). */
export const SESSION_KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The one method `warden serve` answers itself over the WebSocket: a one-use ticket for one
 * `/export` download (started by a link, which cannot carry a header).
 */
export const TICKET_METHOD = 'export.ticket';

/** The reply to {@link TICKET_METHOD}: a one-use `/export` ticket. */
export interface Ticket {
  ticket: string;
}

/** Whether a reply is a {@link Ticket}. */
export function isTicket(value: unknown): value is Ticket {
  return typeof value === 'object' && value !== null && typeof (value as Ticket).ticket === 'string';
}

/** The query parameter `/export` takes the ticket in. */
export const TICKET_PARAM = 'ticket';
