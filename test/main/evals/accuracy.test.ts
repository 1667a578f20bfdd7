import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_CASES, drift, rollingAccuracy } from '../../../src/main/evals/accuracy.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import type { NewEvent } from '../../../src/shared/events.js';
import { tempDir } from '../../helpers/temp.js';

let ledger: Ledger;
let cleanup: () => void;
let now: Date;
beforeEach(() => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  now = new Date('2026-11-01T00:00:00.000Z');
  ledger = Ledger.open(join(temp.dir, 'data'), { clock: () => now });
});
afterEach(() => {
  ledger.close();
  cleanup();
});

/** A suite run of `agentId` at `time`: its case runs, its cases (the first `passed` pass), its summary. */
async function suiteRun(time: string, agentId: string, tier: string, total: number, passed: number, latencyMs = 20) {
  now = new Date(time);
  const evalRunId = `eval-${agentId}-${time.slice(0, 10)}`;
  const events: NewEvent[] = [];
  for (let i = 0; i < total; i++) {
    const runId = `${evalRunId}-run-${i}`;
    events.push({
      type: 'run.started',
      runId,
      agentId,
      payload: { input: {}, hop: 0, tier, eval: { evalRunId, caseId: `c${i}` } },
    });
    events.push({
      type: 'eval.case',
      agentId,
      payload: {
        evalRunId,
        suite: agentId,
        caseId: `c${i}`,
        runId,
        grader: 'exact',
        passed: i < passed,
        output: null,
        expected: null,
        diff: [],
        latencyMs,
        costUsd: 0,
      },
    });
  }
  events.push({
    type: 'eval.run',
    agentId,
    payload: {
      evalRunId,
      suite: agentId,
      total,
      passed,
      errored: 0,
      accuracy: passed / total,
      minAccuracy: 0.95,
      meanLatencyMs: latencyMs,
      costUsd: 0,
      by: 'test',
    },
  });
  await ledger.appendMany(events);
}

describe('rolling accuracy', () => {
  it('counts the last 14 days, only for agents with at least 50 cases, and sums tiers over those', async () => {
    await suiteRun('2026-10-01T00:00:00.000Z', 'reconciliation', 'reconciliation', 100, 0); // outside the window
    await suiteRun('2026-10-20T00:00:00.000Z', 'reconciliation', 'reconciliation', 100, 96, 10);
    await suiteRun('2026-10-25T00:00:00.000Z', 'reconciliation', 'reconciliation', 100, 90, 30);
    await suiteRun('2026-10-26T00:00:00.000Z', 'payments', 'reconciliation', 60, 60, 50);
    await suiteRun('2026-10-30T00:00:00.000Z', 'intake', 'ingestion', 20, 18);
    const { agents, tiers } = rollingAccuracy(ledger, new Date('2026-11-01T00:00:00.000Z'));
    expect(agents).toEqual([
      { key: 'intake', cases: 20, passed: 18, accuracy: null, meanLatencyMs: null, eligible: false },
      { key: 'payments', cases: 60, passed: 60, accuracy: 1, meanLatencyMs: 50, eligible: true },
      { key: 'reconciliation', cases: 200, passed: 186, accuracy: 0.93, meanLatencyMs: 20, eligible: true },
    ]);
    // The tier of reconciliation and payments: (186 + 60) / 260; intake's tier has no agent that counts.
    expect(tiers).toEqual([
      { key: 'ingestion', cases: 20, passed: 0, accuracy: null, meanLatencyMs: null, eligible: false },
      {
        key: 'reconciliation',
        cases: 260,
        passed: 246,
        accuracy: 246 / 260,
        meanLatencyMs: (20 * 200 + 50 * 60) / 260,
        eligible: true,
      },
    ]);
    expect(MIN_CASES).toBe(50);
  });

  it('drift lists an agent’s suite runs oldest first', async () => {
    await suiteRun('2026-10-20T00:00:00.000Z', 'intake', 'ingestion', 20, 20);
    await suiteRun('2026-10-21T00:00:00.000Z', 'intake', 'ingestion', 20, 17);
    expect(drift(ledger, 'intake').map((p) => [p.ts.slice(0, 10), p.accuracy, p.minAccuracy])).toEqual([
      ['2026-10-20', 1, 0.95],
      ['2026-10-21', 0.85, 0.95],
    ]);
  });
});
