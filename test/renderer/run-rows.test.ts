import { describe, expect, it } from 'vitest';
import type { RunView } from '../../src/shared/api.js';
import type { LedgerEvent } from '../../src/shared/events.js';
import { mergeFirstPage, runRows, statusText } from '../../src/renderer/src/views/run-rows.js';

const view = (runId: string, seq: number, extra: Partial<RunView> = {}): RunView => ({
  runId,
  agentId: 'recon',
  seq,
  startedAt: '2026-11-01T10:00:00.000Z',
  parentRunId: null,
  status: 'running',
  eval: false,
  task: 'pay',
  durationMs: null,
  costUsd: 0.5,
  tokens: 100,
  failedCalls: 0,
  rejectedCalls: 0,
  verdict: null,
  ...extra,
});
let seq = 100;
const event = (type: string, runId: string, payload: object, ts = '2026-11-01T10:00:02.000Z'): LedgerEvent =>
  ({ seq: seq++, ts, runId, agentId: 'recon', type, v: 1, payload, prevHash: '', hash: '' }) as unknown as LedgerEvent;
const model = (runId: string) =>
  event('model.called', runId, {
    provider: 's',
    model: 'm',
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.25,
    latencyMs: 1,
  });
const work = { status: '', agentId: '', kind: 'work' } as const;

describe('the run list rows', () => {
  it('adds up the runs that started in the stream, and only follows the state of those the page holds', () => {
    const history = [view('r1', 1)];
    const live = [
      model('r1'),
      event('run.finished', 'r1', { status: 'ok' }),
      event('run.started', 'r2', { input: { invoice: 'INV-1' }, hop: 0, tier: 't' }),
      model('r2'),
      event('tool.result', 'r2', { callId: 'c', ok: false, latencyMs: 1, error: { code: 'E', message: 'no' } }),
      event('run.finished', 'r2', { status: 'ok' }, '2026-11-01T10:00:03.000Z'),
      event('run.started', 'r3', { input: 'child', hop: 1, tier: 't', parentRunId: 'r2' }),
      event('approval.requested', 'r3', {}),
    ];
    const rows = runRows(history, live, work);
    expect(rows.map((r) => [r.runId, r.depth])).toEqual([
      ['r2', 0],
      ['r3', 1],
      ['r1', 0],
    ]);
    const [r2, r3, r1] = rows;
    // The page's figures already count what it read: the stream does not add them twice.
    expect(r1).toMatchObject({ status: 'ok', costUsd: 0.5, tokens: 100 });
    expect(r2).toMatchObject({ status: 'ok', costUsd: 0.25, tokens: 15, failedCalls: 1, verdict: 'failed' });
    expect(r2!.task).toBe('{"invoice":"INV-1"}');
    expect(statusText(r2!)).toBe('ok, 1 failed call');
    expect(statusText(r3!)).toBe('waiting for approval');
  });

  it('keeps to its filter the runs the stream brings', () => {
    const live = [
      event('run.started', 'w', { input: 'x', hop: 0, tier: 't' }),
      event('run.started', 'e', { input: 'x', hop: 0, tier: 't', eval: { evalRunId: 'ev', caseId: 'c' } }),
    ];
    expect(runRows([], live, work).map((r) => r.runId)).toEqual(['w']);
    expect(runRows([], live, { ...work, kind: 'eval' }).map((r) => r.runId)).toEqual(['e']);
    expect(runRows([], live, { ...work, kind: 'all', status: 'ok' })).toEqual([]);
    expect(runRows([], live, { ...work, kind: 'all', agentId: 'intake' })).toEqual([]);
  });

  it('says how an ok run went when a person rejected one of its calls', () => {
    expect(statusText(view('r', 1, { status: 'ok', failedCalls: 1, rejectedCalls: 1, verdict: 'rejected' }))).toBe(
      'ok, 1 rejected',
    );
    expect(statusText(view('r', 1, { status: 'ok', verdict: 'succeeded' }))).toBe('ok');
    expect(statusText(view('r', 1, { status: 'error', verdict: 'failed' }))).toBe('error');
  });
});

describe('the run list pages', () => {
  it('lays the first page read again over the runs read before, keeping no more runs than it had', () => {
    const before = { runs: [view('r5', 50), view('r4', 40), view('r3', 30), view('r2', 20)], nextKey: 20 };
    const fresh = { runs: [view('r6', 60, { status: 'ok' }), view('r5', 50, { status: 'ok' })], nextKey: 50 };
    const merged = mergeFirstPage(fresh, before, 2);
    expect(merged.runs.map((r) => [r.runId, r.status])).toEqual([
      ['r6', 'ok'],
      ['r5', 'ok'],
      ['r4', 'running'],
      ['r3', 'running'],
    ]);
    // r2 was let go to keep the list's size: the next page starts after r3 and brings it back.
    expect(merged.nextKey).toBe(30);
    // Nothing let go: the next page is the one it was.
    expect(mergeFirstPage(fresh, { runs: [view('r5', 50), view('r4', 40)], nextKey: 40 }, 2).nextKey).toBe(50);
    expect(mergeFirstPage(fresh, { ...before, runs: [...before.runs, view('r1', 10)] }, 2).nextKey).toBe(20);
    // A short page is the whole list: runs that left the filter are gone.
    expect(mergeFirstPage({ runs: [view('r6', 60)], nextKey: null }, before, 2).runs.map((r) => r.runId)).toEqual([
      'r6',
    ]);
  });

  it('leaves the pages it was given as they came while the stream changes their runs', () => {
    const history = [view('r2', 2), view('r1', 1)];
    const rows = runRows(history, [event('run.finished', 'r1', { status: 'ok', output: 'x' })], {
      ...work,
      kind: 'all',
    });
    expect(rows.find((r) => r.runId === 'r1')!.status).toBe('ok');
    expect(history[1]!.status).toBe('running');
  });
});
