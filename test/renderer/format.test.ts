import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/shared/events.js';
import { summary } from '../../src/renderer/src/format.js';

const toolResult = (payload: object): LedgerEvent =>
  ({
    seq: 1,
    ts: '2026-11-01T10:00:00.000Z',
    runId: 'r1',
    agentId: 'recon',
    type: 'tool.result',
    v: 3,
    payload,
    prevHash: '',
    hash: '',
  }) as unknown as LedgerEvent;

describe('an event summary', () => {
  it('says a tool answered with nothing, rather than failing on the missing result', () => {
    expect(summary(toolResult({ callId: 'c1', ok: true, latencyMs: 3 }))).toBe('result: none');
    expect(summary(toolResult({ callId: 'c1', ok: true, latencyMs: 3, result: { paid: 12 } }))).toBe(
      'result {"paid":12}',
    );
  });
});
