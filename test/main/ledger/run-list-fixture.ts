import { Ledger } from '../../../src/main/ledger/index.js';
import type { NewEvent } from '../../../src/shared/events.js';

const start = (runId: string, agentId: string, input: unknown, extra: object = {}): NewEvent => ({
  type: 'run.started',
  runId,
  agentId,
  payload: { input, hop: 0, tier: 'reconciliation', ...extra } as never,
});
const finish = (runId: string, agentId: string, status: 'ok' | 'error'): NewEvent => ({
  type: 'run.finished',
  runId,
  agentId,
  payload: { status },
});
const model = (runId: string, agentId: string): NewEvent => ({
  type: 'model.called',
  runId,
  agentId,
  payload: { provider: 'scripted', model: 'demo', inputTokens: 100, outputTokens: 20, costUsd: 0.25, latencyMs: 5 },
});
const result = (runId: string, agentId: string, callId: string, ok: boolean): NewEvent => ({
  type: 'tool.result',
  runId,
  agentId,
  payload: ok
    ? { callId, ok, latencyMs: 1 }
    : { callId, ok, latencyMs: 1, error: { code: 'E_MCP_TOOL', message: 'no such invoice' } },
});
const asked = (runId: string, approvalId: string): NewEvent => ({
  type: 'approval.requested',
  runId,
  agentId: 'recon',
  payload: {
    approvalId,
    callId: `call-${approvalId}`,
    server: 'books',
    tool: 'post_payment',
    args: {},
    argsSha256: 'a'.repeat(64),
    rule: 'approve-band',
    reason: 'between $1,000 and $10,000',
    expiresAt: '2099-01-01T00:00:00.000Z',
  },
});
export const decided = (runId: string, approvalId: string, decision: 'approved' | 'rejected'): NewEvent => ({
  type: 'approval.decided',
  runId,
  agentId: 'recon',
  payload: { approvalId, decision, argsSha256: 'a'.repeat(64), by: 'cao' },
});

/**
 * Five runs: r1 ok; r2 waiting on an approval; r3 ok after a failed call; r4 ok after a
 * rejected approval (and its failed call), which handed off to c4 whose call failed; e1 an eval run.
 */
export async function buildRunListLedger(dir: string): Promise<Ledger> {
  let now = Date.parse('2026-11-01T10:00:00.000Z');
  const ledger = Ledger.open(dir, { clock: () => new Date((now += 1000)) });
  await ledger.appendMany([
    start('r1', 'recon', 'match payment 42 to its invoice'),
    model('r1', 'recon'),
    result('r1', 'recon', 'c-1', true),
  ]);
  await ledger.append(finish('r1', 'recon', 'ok'));
  await ledger.appendMany([start('r2', 'recon', { invoice: 'INV-7', amountUsd: 4200 }), asked('r2', 'a-2')]);
  await ledger.appendMany([
    start('r3', 'intake', 'x'.repeat(1000)),
    result('r3', 'intake', 'c-3', false),
    finish('r3', 'intake', 'ok'),
  ]);
  await ledger.appendMany([
    start('r4', 'recon', 'pay vendor'),
    asked('r4', 'a-4'),
    decided('r4', 'a-4', 'rejected'),
    result('r4', 'recon', 'call-a-4', false),
    start('c4', 'intake', 'read the vendor file', { parentRunId: 'r4', hop: 1 }),
    result('c4', 'intake', 'c-c4', false),
    finish('c4', 'intake', 'ok'),
    finish('r4', 'recon', 'ok'),
  ]);
  await ledger.appendMany([
    start('e1', 'recon', 'case 1', { eval: { evalRunId: 'ev-1', caseId: 'case-1' } }),
    finish('e1', 'recon', 'error'),
  ]);
  return ledger;
}
