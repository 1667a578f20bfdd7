import { frame } from './wire.js';

// Hostile input for warden serve's HTTP and WebSocket surface, drawn from a seeded generator so
// a failure names a seed that replays it exactly.

/** A deterministic generator (mulberry32): the same seed gives the same cases. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What a case may use to get past the door, so hostile bytes also reach what lies behind it. */
export interface FuzzContext {
  port: number;
  cookie: string;
  key: string;
}

/** One raw HTTP request, named for the report. */
export interface HttpCase {
  name: string;
  bytes: Buffer;
}

/** One WebSocket case: a handshake (good or not) and the frames sent after it. */
export interface SocketCase {
  name: string;
  headers: Record<string, string>;
  frames: Buffer[];
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PATCH', 'get', 'G ET', 'PRI'];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 extra', 'http/1.1', ''];
const PATHS = [
  '//',
  '///',
  '//evil.example/x',
  '/%E0%A4%A',
  '/%',
  '/%%',
  '/%zz',
  '/%00',
  '/a%00b',
  '/%C0%AF',
  '/%FF%FE',
  '/..%2F..%2Fetc%2Fpasswd',
  '/%2e%2e/%2e%2e/secret',
  '/\\..\\..\\x',
  '/export',
  '/export?format=',
  '/export?format=jsonl&ticket=',
  '/export?format=pdf&from=%E0%A4%A',
  '/export?format=csv&to=99999-99-99',
  '/api',
  '/?token=',
  '/?token=%E0%A4%A',
  '/?token[]=1',
  '*',
  'http://127.0.0.1/',
  'relative',
  '',
  '/?' + 'a=&'.repeat(5_000),
];

/** A path made of random printable, high and percent-encoded bytes. */
function randomPath(rand: () => number): string {
  const parts = ['/'];
  const length = 1 + Math.floor(rand() * 40);
  for (let i = 0; i < length; i++) {
    const kind = rand();
    if (kind < 0.3) parts.push(`%${Math.floor(rand() * 256).toString(16)}`);
    else if (kind < 0.4) parts.push('%');
    else if (kind < 0.5) parts.push(String.fromCharCode(0x80 + Math.floor(rand() * 128)));
    else parts.push(String.fromCharCode(0x21 + Math.floor(rand() * 94)));
  }
  return parts.join('');
}

/** One malformed (or merely odd) HTTP request. */
export function httpCase(rand: () => number, ctx: FuzzContext): HttpCase {
  const method = pick(rand, METHODS);
  const target = rand() < 0.6 ? pick(rand, PATHS) : randomPath(rand);
  const version = pick(rand, VERSIONS);
  const headers: string[] = [];
  const host = rand();
  if (host < 0.75) headers.push(`Host: 127.0.0.1:${ctx.port}`);
  else if (host < 0.85) headers.push('Host: evil.example');
  else if (host < 0.9) headers.push(`Host: 127.0.0.1:${ctx.port}`, 'Host: localhost');
  if (rand() < 0.6) headers.push(`Cookie: ${rand() < 0.8 ? ctx.cookie : 'warden_session=%E0%A4%A; ==;'}`);
  if (rand() < 0.3)
    headers.push(`Origin: ${pick(rand, [`http://127.0.0.1:${ctx.port}`, 'http://127.0.0.1:9', 'null'])}`);
  const extra = rand();
  if (extra < 0.1) headers.push(`X-Big: ${'a'.repeat(20_000 + Math.floor(rand() * 60_000))}`);
  else if (extra < 0.2) headers.push('Bad Header: x', 'X-Nul: a\0b');
  else if (extra < 0.3) headers.push('Transfer-Encoding: chunked', 'Content-Length: 5');
  else if (extra < 0.4) headers.push('Content-Length: -1');
  else if (extra < 0.5) headers.push('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 99');
  else if (extra < 0.55) headers.push(...Array.from({ length: 3_000 }, (_, i) => `X-${i}: ${i}`));
  if (rand() < 0.8) headers.push('Connection: close');
  const line = version ? `${method} ${target} ${version}` : `${method} ${target}`;
  const ending = pick(rand, ['\r\n\r\n', '\r\n\r\n', '\n\n', '\r\n', '']);
  let body = '';
  if (extra >= 0.2 && extra < 0.3) body = pick(rand, ['zz\r\nabc\r\n', '0\r\n\r\n', 'ffffffffffffffff\r\n']);
  const text = `${[line, ...headers].join('\r\n')}${ending}${body}`;
  return { name: `${method} ${target.slice(0, 60)} ${version}`, bytes: Buffer.from(text, 'latin1') };
}

/** A text or binary payload: valid JSON, a bad request, or bytes that are not UTF-8. */
function payload(rand: () => number): Buffer {
  const kind = rand();
  if (kind < 0.2) return Buffer.from(JSON.stringify({ id: 1, method: 'roster.list', params: {} }));
  if (kind < 0.35) return Buffer.from('{"id":-5,"method":"__proto__","params":{"constructor":{}}}');
  if (kind < 0.45) return Buffer.from('{"id":1,"method":"export.ticket","params":null}');
  if (kind < 0.6) return Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0xff]);
  if (kind < 0.7) return Buffer.from('['.repeat(10_000));
  return Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
}

/** One hostile frame: bad bits, bad sizes, bad sequences. */
function hostileFrame(rand: () => number): { name: string; bytes: Buffer } {
  const kind = Math.floor(rand() * 12);
  const body = payload(rand);
  switch (kind) {
    case 0:
      return { name: 'unmasked', bytes: frame({ opcode: 1, masked: false, payload: body }) };
    case 1:
      return { name: 'reserved bits', bytes: frame({ opcode: 1, rsv: 1 + Math.floor(rand() * 7), payload: body }) };
    case 2:
      return {
        name: 'unknown opcode',
        bytes: frame({ opcode: pick(rand, [3, 4, 5, 6, 7, 11, 12, 15]), payload: body }),
      };
    case 3:
      return { name: 'control frame over 125 bytes', bytes: frame({ opcode: 9, payload: Buffer.alloc(200, 1) }) };
    case 4:
      return { name: 'fragmented ping', bytes: frame({ opcode: 9, fin: false, payload: body.subarray(0, 10) }) };
    case 5:
      return { name: 'continuation without a start', bytes: frame({ opcode: 0, payload: body }) };
    case 6:
      return { name: 'claims 2^62 bytes', bytes: frame({ opcode: 2, claimedLength: 2 ** 62, payload: body }) };
    case 7:
      return {
        name: 'claims just over 1 MiB',
        bytes: frame({ opcode: 2, claimedLength: 1024 * 1024 + 1, payload: body }),
      };
    case 8:
      return {
        name: 'close with a bad code',
        bytes: frame({ opcode: 8, payload: Buffer.from([0x03, 0xe7, ...body.subarray(0, 20)]) }),
      };
    case 9:
      return { name: 'close with one byte', bytes: frame({ opcode: 8, payload: Buffer.from([1]) }) };
    case 10:
      return { name: 'text that is not UTF-8 or JSON', bytes: frame({ opcode: 1, payload: body }) };
    default:
      return { name: 'random bytes', bytes: body };
  }
}

/** One WebSocket case: mostly a handshake that passes the door, then hostile frames. */
export function socketCase(rand: () => number, ctx: FuzzContext): SocketCase {
  const headers: Record<string, string> = {
    Cookie: ctx.cookie,
    Origin: `http://127.0.0.1:${ctx.port}`,
    'Sec-WebSocket-Protocol': `warden, warden-key.${ctx.key}`,
  };
  const handshake = rand();
  if (handshake < 0.08) headers['Sec-WebSocket-Protocol'] = 'warden, ,,, \u00ff';
  else if (handshake < 0.12) headers['Sec-WebSocket-Extensions'] = 'permessage-deflate; client_max_window_bits=99';
  const frames: Buffer[] = [];
  const names: string[] = [];
  const count = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < count; i++) {
    if (rand() < 0.3) {
      frames.push(frame({ opcode: 1, payload: payload(rand) }));
      names.push('request');
    } else {
      const hostile = hostileFrame(rand);
      // Sometimes split mid-frame, so the parser sees a frame arrive in pieces.
      if (rand() < 0.3 && hostile.bytes.length > 3) {
        const cut = 1 + Math.floor(rand() * (hostile.bytes.length - 2));
        frames.push(hostile.bytes.subarray(0, cut), hostile.bytes.subarray(cut));
      } else frames.push(hostile.bytes);
      names.push(hostile.name);
    }
  }
  return { name: names.join(' + '), headers, frames };
}
