// Reading a push from the host without zod: the renderer does not bundle it (as with narrow.ts,
// this file imports types only). It checks what PushSchema in api.ts checks of the envelope,
// and agrees with it (test/shared/push.test.ts); an event's payload is the ledger's to check,
// which it did before the event was written.
import type { Push } from './api.js';
import type { LedgerEvent } from './events.js';
import type { ModelTextPiece } from './providers.js';
import { HASH_PATTERN, ID_PATTERN, STORED_TIME_PATTERN } from './patterns.js';

/** A push as it should be, or what is wrong with it (one line, naming the field). */
export type PushReading = { ok: true; value: Push } | { ok: false; message: string };

/**
 * Reads what arrived as a push: `{type: 'events', events}` or `{type: 'text', pieces}`. A
 * malformed push is data, never a throw, so the console can drop it and go on.
 */
export function readPush(data: unknown): PushReading {
  if (!isRecord(data)) return bad('a push is not an object');
  if (data.type !== 'events' && data.type !== 'text')
    return bad(`a push's type is "events" or "text", not ${JSON.stringify(data.type) ?? 'missing'}`);
  const list = data.type === 'events' ? 'events' : 'pieces';
  const extra = extraKey(data, ['type', list]);
  if (extra !== null) return bad(`${data.type} push: unexpected field "${extra}"`);
  const items = data[list];
  if (!Array.isArray(items)) return bad(`${data.type} push: ${list} is not a list`);
  if (data.type === 'events') {
    const events: LedgerEvent[] = [];
    for (const [i, item] of items.entries()) {
      const event = readEvent(item);
      if (typeof event === 'string') return bad(`events push: events.${i}: ${event}`);
      events.push(event);
    }
    return { ok: true, value: { type: 'events', events } };
  }
  const pieces: ModelTextPiece[] = [];
  for (const [i, item] of items.entries()) {
    const piece = readPiece(item);
    if (typeof piece === 'string') return bad(`text push: pieces.${i}: ${piece}`);
    pieces.push(piece);
  }
  return { ok: true, value: { type: 'text', pieces } };
}

const EVENT_KEYS = ['seq', 'ts', 'runId', 'agentId', 'type', 'v', 'payload', 'prevHash', 'hash'];
const PIECE_KEYS = ['runId', 'agentId', 'callId', 'text'];

/** A stored event, or what is wrong with its envelope. */
function readEvent(e: unknown): LedgerEvent | string {
  if (!isRecord(e)) return 'not an object';
  const extra = extraKey(e, EVENT_KEYS);
  if (extra !== null) return `unexpected field "${extra}"`;
  const { seq, ts, runId, agentId, type, v, payload, prevHash, hash } = e;
  if (!positiveInt(seq)) return 'seq is not a positive whole number';
  if (!matches(ts, STORED_TIME_PATTERN)) return 'ts is not an ISO-8601 UTC time';
  if (runId !== null && !matches(runId, ID_PATTERN)) return 'runId is not an id or null';
  if (agentId !== null && !matches(agentId, ID_PATTERN)) return 'agentId is not an id or null';
  if (typeof type !== 'string') return 'type is not text';
  if (!positiveInt(v)) return 'v is not a positive whole number';
  if (payload === undefined) return 'payload is missing';
  if (!matches(prevHash, HASH_PATTERN)) return 'prevHash is not a SHA-256 in hex';
  if (!matches(hash, HASH_PATTERN)) return 'hash is not a SHA-256 in hex';
  return { seq, ts, runId, agentId, type, v, payload, prevHash, hash };
}

/** A piece of model text, or what is wrong with it. */
function readPiece(p: unknown): ModelTextPiece | string {
  if (!isRecord(p)) return 'not an object';
  const extra = extraKey(p, PIECE_KEYS);
  if (extra !== null) return `unexpected field "${extra}"`;
  const { runId, agentId, callId, text } = p;
  if (!matches(runId, ID_PATTERN)) return 'runId is not an id';
  if (!matches(agentId, ID_PATTERN)) return 'agentId is not an id';
  if (!matches(callId, ID_PATTERN)) return 'callId is not an id';
  if (typeof text !== 'string') return 'text is not text';
  return { runId, agentId, callId, text };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first key the object has that is not one of these (a strict schema refuses it). */
function extraKey(record: Record<string, unknown>, keys: readonly string[]): string | null {
  return Object.keys(record).find((k) => !keys.includes(k)) ?? null;
}

function positiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function matches(value: unknown, pattern: RegExp): value is string {
  return typeof value === 'string' && pattern.test(value);
}

function bad(message: string): PushReading {
  return { ok: false, message };
}
