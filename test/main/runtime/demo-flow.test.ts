import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalBook } from '../../../src/main/gateway/approvals.js';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import type { LedgerEvent } from '../../../src/shared/events.js';
import { tempDir } from '../../helpers/temp.js';

const DEMO = 'resources/demo';
let dir: string;
let cleanup: () => void;
let warden: Warden;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  warden = await openWarden({ rosterDir: DEMO, dataDir: dir, pollMs: 20, workers: 2 });
});
afterAll(async () => {
  await warden.close();
  cleanup();
});

function eventsOf(runId: string): LedgerEvent[] {
  return [...warden.ledger.reader.each({ runId })];
}

function decisions(runId: string): string[] {
  return eventsOf(runId)
    .filter((e) => e.type === 'policy.decided')
    .map((e) => `${(e.payload as { decision: string }).decision}:${(e.payload as { rule: string }).rule}`);
}

async function waitForPending(runId: string) {
  for (let i = 0; i < 200; i++) {
    const found = warden.approvals.pending().find((a) => a.runId === runId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no approval requested');
}

const pay = (invoiceId: string, payee: string, amountUsd: number) => ({
  kind: 'pay-invoice',
  invoiceId,
  payee,
  amountUsd,
});

describe('the demo roster, run for real (sandbox, MCP servers over stdio, scripted model)', () => {
  it('pays a $450 invoice on its own, every step in the ledger', async () => {
    const result = await warden.runtime.run('reconciliation', pay('INV-1001', 'northwind-paper', 450));
    expect(result.status).toBe('ok');
    expect(String(result.output)).toContain('JE-0001');
    expect(decisions(result.runId)).toEqual(['allow:doa.auto']);
    expect(eventsOf(result.runId).map((e) => e.type)).toEqual([
      'run.started',
      'model.called',
      'tool.requested',
      'policy.decided',
      'tool.result',
      'model.called',
      'run.finished',
    ]);
  });

  it('holds a $4,200 payment for approval, and a decision from another process lets it finish', async () => {
    const runId = await warden.runtime.start('reconciliation', pay('INV-1002', 'contoso-logistics', 4200));
    const approval = await waitForPending(runId);
    expect(approval.request).toMatchObject({ tool: 'post_payment', amountUsd: 4200, rule: 'doa.approval' });
    // The tool has not run: the decision is written before it takes effect.
    expect(eventsOf(runId).some((e) => e.type === 'tool.result')).toBe(false);
    const cli = Ledger.open(dir);
    await new ApprovalBook(cli).decide({ approvalId: approval.approvalId, decision: 'approved', by: 'cli:controller' });
    cli.close();
    const result = await warden.runtime.wait(runId);
    expect(result.status).toBe('ok');
    expect(String(result.output)).toContain('posted');
  });

  it('drafts an $18,000 payment for a human and never executes it', async () => {
    const result = await warden.runtime.run('reconciliation', pay('INV-1003', 'fabrikam-machinery', 18000));
    expect(decisions(result.runId)).toEqual(['draft:doa.human-executes']);
    const events = eventsOf(result.runId);
    expect(events.some((e) => e.type === 'draft.recorded')).toBe(true);
    expect(
      events
        .filter((e) => e.type === 'tool.result')
        .map((e) => (e.payload as { result: { status: string } }).result.status),
    ).toEqual(['drafted']);
  });

  it('stops a prompt injection: the result is flagged and the payment to a new payee is denied', async () => {
    const result = await warden.runtime.run('reconciliation', { kind: 'process-email', messageId: 'msg-004' });
    const events = eventsOf(result.runId);
    // Found in the message's text as a person reads it, line breaks and all.
    expect(events.find((e) => e.type === 'guardrail.tripped')?.payload).toMatchObject({
      guardrail: 'injection',
      detail: expect.stringContaining('"IGNORE ALL PREVIOUS INSTRUCTIONS"'),
    });
    expect(decisions(result.runId)).toEqual(['allow:identity.read', 'deny:guardrail.payee-allow-list']);
    expect(String(result.output)).toContain('E_POLICY_DENIED');
  });

  it('trips the circuit when two agents hand a task back and forth past the hop limit', async () => {
    const result = await warden.runtime.run('coordinator', { kind: 'bounce' });
    expect(result).toMatchObject({ status: 'error', error: { code: 'E_HOP_LIMIT' } });
    const tripped = [...warden.ledger.reader.each({ type: 'circuit.tripped' })];
    expect(tripped).toHaveLength(1);
    expect(tripped[0]!.payload).toMatchObject({ hop: 6, hopLimit: 5 });
    expect((tripped[0]!.payload as { chain: string[] }).chain).toHaveLength(7);
    expect(warden.ledger.reader.count({ type: 'alert.raised' })).toBeGreaterThanOrEqual(1);
    expect(warden.ledger.reader.count({ type: 'handoff' })).toBe(5);
  });

  it('ends agent programs at their CPU and memory caps, recorded as limits', async () => {
    const [cpu, memory] = await Promise.all([
      warden.runtime.run('legacy-importer', { rows: [{ valid: false }] }),
      warden.runtime.run('archive-indexer', {}),
    ]);
    expect(cpu).toMatchObject({ status: 'limit', error: { code: 'E_SANDBOX_CPU' } });
    expect(memory).toMatchObject({ status: 'limit', error: { code: 'E_SANDBOX_MEMORY' } });
    expect(eventsOf(cpu.runId).find((e) => e.type === 'sandbox.limit')?.payload).toMatchObject({ limit: 'cpu' });
    expect(eventsOf(memory.runId).find((e) => e.type === 'sandbox.limit')?.payload).toMatchObject({ limit: 'memory' });
  });

  it('leaves a ledger that verifies', async () => {
    expect(await warden.ledger.verify()).toMatchObject({ ok: true });
  });
});
