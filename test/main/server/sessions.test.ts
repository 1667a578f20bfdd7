import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Door, SESSION_COOKIE } from '../../../src/main/server/auth.js';
import { SessionTable } from '../../../src/main/server/sessions.js';
import { KEY_PROTOCOL_PREFIX } from '../../../src/shared/serve.js';

// The session table and the door in front of it, without a server: what a trade opens, what
// each credential is good for, and that nothing outlives the server.

const PORT = 4711;
/** A request as the door sees it: only its headers matter. */
const request = (headers: Record<string, string>) =>
  ({ headers: { host: `127.0.0.1:${PORT}`, ...headers } }) as unknown as IncomingMessage;

describe('the console’s sessions', () => {
  it('trades the one-time token for one session, and refuses it a second time', () => {
    const door = new Door(() => PORT);
    const token = door.startToken;
    const credentials = door.trade(token)!;
    expect(credentials.cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(credentials.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(credentials.key).not.toBe(credentials.cookie);
    expect(door.trade(token)).toBeNull();
    expect(() => door.startToken).toThrow(/already used/);
    expect(door.sessions.size).toBe(1);
  });

  it('knows a session by its cookie, and its key only with that cookie', () => {
    const door = new Door(() => PORT);
    const { cookie, key } = door.trade(door.startToken)!;
    const origin = `http://127.0.0.1:${PORT}`;
    const withKey = (c: string, k: string) =>
      request({
        cookie: `other=1; ${SESSION_COOKIE}=${c}`,
        origin,
        'sec-websocket-protocol': `warden, ${KEY_PROTOCOL_PREFIX}${k}`,
      });
    expect(door.session(request({ cookie: `${SESSION_COOKIE}=${cookie}` }))).not.toBeNull();
    expect(door.session(request({ cookie: `${SESSION_COOKIE}=${key}` }))).toBeNull();
    expect(door.keyHolder(withKey(cookie, key))).toBeTypeOf('function');
    expect(door.keyHolder(withKey(cookie, cookie))).toBeNull();
    expect(door.keyHolder(withKey(key, key))).toBeNull();
  });

  it('takes the browser’s word that a request is the console’s own: Sec-Fetch-Site and Origin', () => {
    const door = new Door(() => PORT);
    expect(door.ownFetch(request({ 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(door.ownFetch(request({ 'sec-fetch-site': 'none' }))).toBe(true);
    for (const site of ['same-site', 'cross-site', ''])
      expect(door.ownFetch(request({ 'sec-fetch-site': site })), site).toBe(false);
    expect(door.ownFetch(request({}))).toBe(false);
    expect(door.originAllowed(request({ origin: `http://127.0.0.1:${PORT}` }))).toBe(true);
    expect(door.originAllowed(request({ origin: `http://127.0.0.1:${PORT + 1}` }))).toBe(false);
    expect(door.originAllowed(request({}))).toBe(false);
  });

  it('hands out download tickets that work once, for their own session only', () => {
    const table = new SessionTable();
    const [mine, theirs] = [table.open(), table.open()];
    const ticket = table.issueTicket(mine);
    expect(table.redeem(theirs, ticket)).toBe(false);
    expect(table.redeem(mine, ticket)).toBe(true);
    expect(table.redeem(mine, ticket)).toBe(false);
  });

  it('ends a session, and every session when the server stops', () => {
    let now = 0;
    const table = new SessionTable(() => now);
    const [one, two] = [table.open(), table.open()];
    const late = table.issueTicket(two);
    table.end(one);
    expect(table.byCookie(`${SESSION_COOKIE}=${one.cookie}`, SESSION_COOKIE)).toBeNull();
    expect(() => table.issueTicket(one)).toThrow(/ended/);
    now += 61_000;
    expect(table.redeem(two, late)).toBe(false);
    const door = new Door(() => PORT);
    const { cookie } = door.trade(door.startToken)!;
    door.close();
    expect(door.session(request({ cookie: `${SESSION_COOKIE}=${cookie}` }))).toBeNull();
    expect(door.sessions.size).toBe(0);
  });
});
