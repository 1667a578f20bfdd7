import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalBook } from '../../../src/main/gateway/approvals.js';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let roster: string;
let warden: Warden;

const pay = (invoiceId: string, payee: string, amountUsd: number) => ({
  kind: 'pay-invoice',
  invoiceId,
  payee,
  amountUsd,
});

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  // A copy of the demo roster, with one extra rule: a model that calls a tool its agent lacks.
  roster = join(dir, 'roster');
  cpSync('resources/demo', roster, { recursive: true });
  // The demo's servers import the MCP SDK: found from the temp folder through the project's packages.
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(
    join(roster, 'models', 'extra.yaml'),
    `rules:
  - when: { agent: intake, task: { kind: overreach }, turn: 0 }
    reply:
      toolCalls:
        - name: books.post_payment
          arguments: { invoiceId: INV-1001, payee: northwind-paper, amountUsd: 10 }
  - when: { agent: intake, task: { kind: overreach } }
    reply: { text: 'gave up: {{last}}' }
  - when: { agent: intake, task: { kind: ghost }, turn: 0 }
    reply:
      toolCalls:
        - name: ghost.lookup
          arguments: { q: x }
  - when: { agent: intake, task: { kind: ghost } }
    reply: { text: 'ghost said: {{last}}' }
`,
  );
  // A server whose command does not exist, granted to intake.
  const mcp = JSON.parse(readFileSync(join(roster, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> };
  mcp.mcpServers.ghost = { command: join(dir, 'no-such-server') };
  writeFileSync(join(roster, 'mcp.json'), JSON.stringify(mcp));
  writeFileSync(
    join(roster, 'agents', 'intake.yaml'),
    `${readFileSync(join(roster, 'agents', 'intake.yaml'), 'utf8')}  - name: ghost.lookup\n    access: read\n`,
  );
  warden = await openWarden({ rosterDir: roster, dataDir: join(dir, 'data'), pollMs: 20, concurrency: 2 });
});
afterEach(async () => {
  await warden.close();
  cleanup();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

describe('runtime control', () => {
  it('denies and records a tool the model asks for but the agent does not have', async () => {
    const result = await warden.runtime.run('intake', { kind: 'overreach' });
    expect(result.status).toBe('ok');
    const decided = [...warden.ledger.reader.each({ runId: result.runId, type: 'policy.decided' })];
    expect(decided.map((e) => e.payload)).toMatchObject([{ decision: 'deny', rule: 'identity.not-granted' }]);
    expect(String(result.output)).toContain('not on intake');
  });

  it('records a server that will not start, names it, and lets other runs go on', async () => {
    const [ghost, payment] = await Promise.all([
      warden.runtime.run('intake', { kind: 'ghost' }),
      warden.runtime.run('reconciliation', pay('INV-1001', 'northwind-paper', 450)),
    ]);
    expect(payment.status).toBe('ok');
    expect(String(ghost.output)).toContain('E_MCP_START');
    const failed = [...warden.ledger.reader.each({ type: 'mcp.failed' })].map((e) => e.payload as { server: string });
    expect(failed.find((f) => f.server === 'ghost')).toMatchObject({ phase: 'start', error: { code: 'E_MCP_START' } });
    const results = [...warden.ledger.reader.each({ runId: ghost.runId, type: 'tool.result' })];
    expect(results[0]?.payload).toMatchObject({ ok: false, error: { code: 'E_MCP_START' } });
  });

  it('refuses an unknown agent with one clear line', async () => {
    await expect(warden.runtime.start('cfo-bot', {})).rejects.toThrow(/no agent "cfo-bot" in the roster/);
  });

  it('pauses an agent: no new runs until it is resumed; the kill switch pauses all', async () => {
    await warden.runtime.pause('reconciliation', 'cao');
    await expect(warden.runtime.start('reconciliation', pay('INV-1001', 'northwind-paper', 450))).rejects.toMatchObject(
      { code: 'E_AGENT_PAUSED' },
    );
    await warden.runtime.resume('reconciliation', 'cao');
    expect((await warden.runtime.run('reconciliation', pay('INV-1001', 'northwind-paper', 450))).status).toBe('ok');
    await warden.runtime.pauseAll('cao');
    for (const agent of warden.roster.agents) expect(warden.runtime.isPaused(agent.id)).toBe(true);
    expect(warden.ledger.reader.count({ type: 'agent.paused' })).toBe(1 + warden.roster.agents.length);
  });

  it('holds a running run before its next tool call while its agent is paused, then goes on', async () => {
    const runId = await warden.runtime.start('quoting', {
      kind: 'quote',
      customer: 'Tailspin Toys',
      items: [{ sku: 'PAP-A4-500', quantity: 1 }],
    });
    // Paused right after the start: the run gets no further than its first tool call.
    await warden.runtime.pause('quoting', 'cao');
    await new Promise((r) => setTimeout(r, 300));
    expect(warden.ledger.reader.count({ runId, type: 'tool.result' })).toBe(0);
    await warden.runtime.resume('quoting', 'cao');
    const ended = await warden.runtime.wait(runId);
    expect(ended.error).toBeUndefined();
    expect(ended.status).toBe('ok');
  });

  it('stops a run that waits for approval: cancelled, and its approval expires', async () => {
    const runId = await warden.runtime.start('reconciliation', pay('INV-1002', 'contoso-logistics', 4200));
    await until(() => warden.approvals.pending().some((a) => a.runId === runId));
    warden.runtime.stop(runId);
    expect((await warden.runtime.wait(runId)).status).toBe('cancelled');
    expect(warden.approvals.pending()).toEqual([]);
    expect([...warden.ledger.reader.each({ type: 'approval.decided' })][0]?.payload).toMatchObject({
      decision: 'expired',
    });
  });

  it('runs at most `concurrency` tasks at once and queues the rest', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(() => warden.runtime.start('reconciliation', pay('INV-1002', 'contoso-logistics', 4200))),
    );
    await until(() => warden.approvals.pending().length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(warden.approvals.pending()).toHaveLength(2);
    expect(warden.ledger.reader.count({ runId: ids[2]!, type: 'model.called' })).toBe(0);
    const book = new ApprovalBook(warden.ledger);
    for (const a of warden.approvals.pending())
      await book.decide({ approvalId: a.approvalId, decision: 'rejected', by: 'cao', reason: 'test' });
    await until(() => warden.approvals.pending().length === 1);
    await book.decide({
      approvalId: warden.approvals.pending()[0]!.approvalId,
      decision: 'rejected',
      by: 'cao',
      reason: 'test',
    });
    for (const id of ids) expect((await warden.runtime.wait(id)).status).toBe('ok');
  });
});

describe('restart recovery', () => {
  it('marks runs of a dead process interrupted and expires their approvals; leaves live owners alone', async () => {
    await warden.close();
    const ledger = Ledger.open(join(dir, 'data'));
    const dead = { host: hostname(), pid: 2 ** 22 + 12345 };
    await ledger.append({
      type: 'run.started',
      runId: 'run-dead',
      agentId: 'reconciliation',
      payload: { input: {}, hop: 0, owner: dead, tier: 'reconciliation' },
    });
    await ledger.append({
      type: 'run.started',
      runId: 'run-alive',
      agentId: 'reconciliation',
      payload: { input: {}, hop: 0, owner: { host: hostname(), pid: process.ppid }, tier: 'reconciliation' },
    });
    await new ApprovalBook(ledger).request(
      'run-dead',
      'reconciliation',
      { callId: 'call-1', server: 'books', tool: 'post_payment', args: {}, rule: 'doa.approval', reason: 'test' },
      60,
    );
    ledger.close();
    warden = await openWarden({ rosterDir: roster, dataDir: join(dir, 'data') });
    const finished = [...warden.ledger.reader.each({ type: 'run.finished' })];
    expect(finished.map((e) => [e.runId, (e.payload as { status: string }).status])).toEqual([
      ['run-dead', 'interrupted'],
    ]);
    expect(warden.approvals.pending()).toEqual([]);
    expect([...warden.ledger.reader.each({ type: 'approval.decided' })][0]?.payload).toMatchObject({
      decision: 'expired',
      by: 'warden',
    });
  });
});
