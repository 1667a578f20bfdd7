import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PushSchema } from '../../src/shared/api.js';
import { readPush } from '../../src/shared/push.js';

const event = {
  seq: 7,
  ts: '2026-11-01T09:30:00.000Z',
  runId: 'run-1',
  agentId: 'intake',
  type: 'run.finished',
  v: 1,
  payload: { status: 'ok', output: 'done' },
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
};
const piece = { runId: 'run-1', agentId: 'intake', callId: 'call-1', text: 'The NDA is' };

const good: [string, unknown][] = [
  ['a batch of events', { type: 'events', events: [event, { ...event, seq: 8, runId: null, agentId: null }] }],
  ['an empty batch', { type: 'events', events: [] }],
  ['the text models are writing', { type: 'text', pieces: [piece, { ...piece, runId: 'run-2', text: '' }] }],
];

const bad: [string, unknown, RegExp][] = [
  ['not an object', 'events', /not an object/],
  ['null', null, /not an object/],
  ['a reply', { id: 1, ok: true, result: {} }, /type is "events" or "text", not missing/],
  ['an unknown kind', { type: 'alerts', events: [] }, /not "alerts"/],
  ['events that are not a list', { type: 'events', events: {} }, /events is not a list/],
  ['text under the events kind', { type: 'events', pieces: [piece] }, /unexpected field "pieces"/],
  ['an extra field', { type: 'text', pieces: [], by: 'x' }, /unexpected field "by"/],
  ['an event without its hash', { type: 'events', events: [{ ...event, hash: undefined }] }, /events\.0: hash/],
  ['an event with a string seq', { type: 'events', events: [event, { ...event, seq: '8' }] }, /events\.1: seq/],
  ['an event at a local time', { type: 'events', events: [{ ...event, ts: '2026-11-01 09:30' }] }, /events\.0: ts/],
  ['an event with a bad run id', { type: 'events', events: [{ ...event, runId: 'a b' }] }, /events\.0: runId/],
  ['an event with an extra field', { type: 'events', events: [{ ...event, html: '<b>' }] }, /unexpected field "html"/],
  ['an event without a payload', { type: 'events', events: [{ ...event, payload: undefined }] }, /payload/],
  ['a piece without text', { type: 'text', pieces: [{ ...piece, text: 5 }] }, /pieces\.0: text/],
  ['a piece without a call', { type: 'text', pieces: [{ ...piece, callId: '' }] }, /pieces\.0: callId/],
];

describe('reading a push without zod', () => {
  it.each(good)('accepts %s, as the contract does', (_, push) => {
    const reading = readPush(push);
    expect(reading).toEqual({ ok: true, value: push });
    expect(PushSchema.safeParse(push).success).toBe(true);
  });

  it.each(bad)('refuses %s, as the contract does, saying what is wrong', (_, push, message) => {
    const reading = readPush(push);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.message).toMatch(message);
    expect(PushSchema.safeParse(push).success).toBe(false);
  });

  it('reads a push as it arrives over the WebSocket, as JSON text parsed', () => {
    const wire = JSON.parse(JSON.stringify(good[0]![1]));
    expect(readPush(wire).ok).toBe(true);
  });

  it('loads no zod, so the renderer does not bundle it to read pushes', () => {
    const source = readFileSync('src/shared/push.ts', 'utf8');
    const runtimeImports = [...source.matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((m) => m[1]);
    expect(runtimeImports).toEqual(['./patterns.js']);
    expect(readFileSync('src/shared/patterns.ts', 'utf8')).not.toMatch(/^import /m);
  });
});
