import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger } from '../../src/main/ledger/index.js';
import type { EventPayload, NewEvent } from '../../src/shared/events.js';
import type { JsonValue } from '../../src/shared/json.js';

/**
 * Weeks of history for the insights fixture roster (test/fixtures/insights-roster), written
 * into a data folder's ledger with a clock set in the past, before Warden opens it: tasks on
 * several days (some that needed an approval, one that failed) and earlier suite runs, so KPIs
 * have days to chart and accuracy has a trend. Every event is an ordinary ledger event.
 */

const DAY_MS = 86_400_000;
const AGENTS = {
  triage: { tier: 'ingestion', unit: 'support', model: 'fixture' },
  payments: { tier: 'reconciliation', unit: 'finance', model: 'fixture-xl' },
  dispatch: { tier: 'coordinator', unit: 'support', model: 'fixture' },
} as const;
type AgentId = keyof typeof AGENTS;

/** How many tasks the history holds in the last 7, 30 and 90 days (today included). */
export interface History {
  tasks: { 7: number; 30: number; 90: number };
}

interface Task {
  agentId: AgentId;
  subject: string;
  durationMs: number;
  costUsd: number;
  approval?: { amountUsd: number };
  status?: 'ok' | 'error';
}

/** Writes the history, ending before `now`, into the ledger of `dataDir`. */
export async function seedHistory(dataDir: string, rosterDir: string, now: Date): Promise<History> {
  let t = 0;
  const ledger = Ledger.open(dataDir, { clock: () => new Date(t) });
  const history: History = { tasks: { 7: 0, 30: 0, 90: 0 } };
  let ids = 0;
  const id = (kind: string) => `${kind}-seed${String(++ids).padStart(4, '0')}`;
  const append = (event: NewEvent) => ledger.append(event);

  const task = async (start: number, daysAgo: number, spec: Task): Promise<number> => {
    const { tier, unit, model } = AGENTS[spec.agentId];
    const runId = id('run');
    const agentId = spec.agentId;
    t = start;
    await append({
      type: 'run.started',
      runId,
      agentId,
      payload: { input: { subject: spec.subject }, hop: 0, tier, unit },
    });
    t += 700;
    await append({
      type: 'model.called',
      runId,
      agentId,
      payload: {
        provider: 'scripted',
        model,
        inputTokens: 42,
        outputTokens: 9,
        costUsd: spec.costUsd,
        latencyMs: 4,
      },
    });
    if (spec.approval) {
      const args = { invoiceId: 'INV-2001', amountUsd: spec.approval.amountUsd };
      const argsSha256 = createHash('sha256').update(JSON.stringify(args)).digest('hex');
      const approvalId = id('appr');
      t += 1_000;
      await append({
        type: 'approval.requested',
        runId,
        agentId,
        payload: {
          approvalId,
          callId: id('call'),
          server: 'books',
          tool: 'post_payment',
          args,
          argsSha256,
          amountUsd: spec.approval.amountUsd,
          rule: 'approve-up-to',
          reason: 'a payment from $1,000 to $10,000 needs a person',
          expiresAt: new Date(start + DAY_MS).toISOString(),
        },
      });
      t = start + spec.durationMs - 2_000;
      await append({
        type: 'approval.decided',
        runId,
        agentId,
        payload: { approvalId, decision: 'approved', argsSha256, by: 'ops' },
      });
    }
    t = start + spec.durationMs;
    await append({
      type: 'run.finished',
      runId,
      agentId,
      payload:
        spec.status === 'error'
          ? { status: 'error', error: { code: 'E_TOOL_FAILED', message: 'books.post_payment timed out' } }
          : { status: 'ok', output: `done: ${spec.subject}` },
    });
    for (const days of [7, 30, 90] as const) if (daysAgo < days) history.tasks[days] += 1;
    return t + 60_000;
  };

  const suite = async (start: number, agentId: AgentId, failing: number): Promise<number> => {
    const { tier, unit, model } = AGENTS[agentId];
    const cases = readFileSync(join(rosterDir, 'evals', `${agentId}.jsonl`), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { id: string; input: JsonValue; expected: JsonValue; grader?: string });
    const evalRunId = id('eval');
    t = start;
    let passed = 0;
    for (const [i, golden] of cases.entries()) {
      const runId = id('run');
      const ok = i >= failing;
      await append({
        type: 'run.started',
        runId,
        agentId,
        payload: { input: golden.input, hop: 0, tier, unit, eval: { evalRunId, caseId: golden.id } },
      });
      await append({
        type: 'model.called',
        runId,
        agentId,
        payload: { provider: 'scripted', model, inputTokens: 40, outputTokens: 6, costUsd: 0.01, latencyMs: 3 },
      });
      t += 40;
      const output = ok ? golden.expected : 'general';
      await append({ type: 'run.finished', runId, agentId, payload: { status: 'ok', output } });
      await append({
        type: 'eval.case',
        agentId,
        payload: {
          evalRunId,
          suite: agentId,
          caseId: golden.id,
          runId,
          grader: (golden.grader ?? 'exact') as EventPayload<'eval.case'>['grader'],
          passed: ok,
          output,
          expected: golden.expected,
          diff: ok ? [] : [`expected ${JSON.stringify(golden.expected)}, got "general"`],
          latencyMs: 40,
          costUsd: 0.01,
        },
      });
      if (ok) passed += 1;
    }
    await append({
      type: 'eval.run',
      agentId,
      payload: {
        evalRunId,
        suite: agentId,
        total: cases.length,
        passed,
        errored: 0,
        accuracy: passed / cases.length,
        minAccuracy: agentId === 'triage' ? 0.8 : 0.95,
        meanLatencyMs: 40,
        costUsd: 0.01 * cases.length,
        by: 'cli',
      },
    });
    return t + 60_000;
  };

  try {
    const day = (daysAgo: number) => now.getTime() - daysAgo * DAY_MS;
    // Older tasks: in the last 30 and 90 days but not the last 7.
    let at = day(60);
    for (let i = 0; i < 2; i++)
      at = await task(at, 60, { agentId: 'payments', subject: `old payment ${i}`, durationMs: 600_000, costUsd: 0.3 });
    at = day(20);
    for (let i = 0; i < 3; i++)
      at = await task(at, 20, { agentId: 'triage', subject: `old ticket ${i}`, durationMs: 45_000, costUsd: 0.01 });
    // The last six days: a different mix each day, and suite runs on most of them.
    for (let k = 6; k >= 1; k--) {
      at = day(k);
      for (let i = 0; i < 2 + (k % 3); i++)
        at = await task(at, k, {
          agentId: 'triage',
          subject: `ticket ${k}-${i}`,
          durationMs: 20_000 + k * 9_000 + i * 4_000,
          costUsd: 0.009 + i * 0.001,
        });
      for (let i = 0; i < 1 + (k % 2); i++)
        at = await task(at, k, {
          agentId: 'payments',
          subject: `payment ${k}-${i}`,
          durationMs: (4 + k * 3) * 60_000,
          costUsd: 0.22 + k * 0.01,
          ...((k + i) % 2 === 0 ? { approval: { amountUsd: 1_500 + k * 100 } } : {}),
          ...(k === 4 ? { status: 'error' as const } : {}),
        });
      at = await task(at, k, {
        agentId: 'dispatch',
        subject: `request ${k}`,
        durationMs: 5_000 + k * 500,
        costUsd: 0.004,
      });
      if (k >= 2) at = await suite(at, 'triage', [1, 0, 1, 0, 0][6 - k]!);
      if (k === 5 || k === 3) at = await suite(at, 'payments', 0);
    }
  } finally {
    ledger.close();
  }
  return history;
}
