import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../src/renderer/src/route.js';
import { EMPTY_LEDGER_ROUTE, VIEW_IDS } from '../../src/renderer/src/store.js';

// The console's addresses: what each says, read back as it was written.

describe('the console’s addresses', () => {
  it('reads back every view, a run, a prompt history and a ledger view’s event and filters', () => {
    for (const view of VIEW_IDS) expect(parseRoute(`#/${view}`)?.view).toBe(view);
    expect(parseRoute('#/live?run=run-42')).toMatchObject({ view: 'live', runId: 'run-42' });
    expect(parseRoute('#/prompts?agent=quoting')).toMatchObject({ view: 'prompts', promptAgentId: 'quoting' });
    const ledger = {
      ...EMPTY_LEDGER_ROUTE,
      seq: 1234,
      agentId: 'intake',
      type: 'run.finished',
      runId: 'run-7',
      from: '2026-11-02T09:00',
      hideEval: true,
    };
    const hash = formatRoute({ view: 'ledger', runId: null, promptAgentId: null, ledger });
    expect(hash).toBe('#/ledger?seq=1234&agent=intake&type=run.finished&run=run-7&from=2026-11-02T09%3A00&eval=hide');
    expect(parseRoute(hash)?.ledger).toEqual(ledger);
  });

  it('says only what the view shows: a run in the Live view, nothing of the ledger elsewhere', () => {
    const ledger = { ...EMPTY_LEDGER_ROUTE, seq: 5 };
    expect(formatRoute({ view: 'approvals', runId: 'run-1', promptAgentId: 'intake', ledger })).toBe('#/approvals');
    expect(formatRoute({ view: 'live', runId: 'run-1', promptAgentId: null, ledger })).toBe('#/live?run=run-1');
  });

  it('names no view for the session key’s fragment, an unknown view or a bad seq', () => {
    expect(parseRoute('#key=abc')).toBeNull();
    expect(parseRoute('')).toBeNull();
    expect(parseRoute('#/settings')).toBeNull();
    expect(parseRoute('#/ledger?seq=-3')?.ledger.seq).toBeNull();
    expect(parseRoute('#/ledger?seq=x')?.ledger.seq).toBeNull();
  });
});
