import { describe, expect, expectTypeOf, it } from 'vitest';
import type { LedgerEvent, StoredPayload } from '../../src/shared/events.js';
import { asAnyEvent, isEvent } from '../../src/shared/narrow.js';

const stored = (type: string, payload: unknown): LedgerEvent => ({
  seq: 1,
  ts: '2026-11-01T00:00:00.000Z',
  runId: 'run-1',
  agentId: 'intake',
  type,
  v: 1,
  payload,
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
});

describe('reading a stored event by its type', () => {
  it('narrows on the type, and only on it', () => {
    const finished = stored('run.finished', { status: 'ok', output: 1 });
    expect(isEvent(finished, 'run.finished')).toBe(true);
    expect(isEvent(finished, 'run.started')).toBe(false);
    if (isEvent(finished, 'run.finished'))
      expectTypeOf(finished.payload.status).toEqualTypeOf<
        'ok' | 'error' | 'limit' | 'cancelled' | 'interrupted' | 'rejected'
      >();
  });

  it('types a field a later version added as possibly missing, since old events lack it', () => {
    // tool.result v1 has no costUsd; v2 added it.
    expectTypeOf<StoredPayload<'tool.result'>['costUsd']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<StoredPayload<'tool.result'>['callId']>().toEqualTypeOf<string>();
  });

  it('gives the union member of its type, so a switch narrows each case', () => {
    const event = asAnyEvent(stored('handoff', { toAgentId: 'quoting', childRunId: 'run-2' }));
    expect(event.type).toBe('handoff');
    if (event.type === 'handoff') expectTypeOf(event.payload.childRunId).toEqualTypeOf<string>();
  });
});
