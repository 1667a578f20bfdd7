import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../src/shared/events.js';
import { TraceSchema, type TraceSpan } from '../../../src/shared/trace.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { buildTrace } from '../../../src/main/trace/build.js';
import { renderTrace } from '../../../src/main/trace/render.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const ARGS = { invoiceId: 'INV-7', amountUsd: 4200 };
const SHA = 'a'.repeat(64);

let dir: string;
let ledger: Ledger;
/** Milliseconds after T0 that the ledger's clock reads. */
let now = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warden-trace-'));
  now = 0;
  ledger = Ledger.open(dir, { clock: () => new Date(T0 + now) });
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Appends one event of a run at `ms` after T0. */
async function append(ms: number, runId: string, agentId: string, event: NewEvent): Promise<void> {
  now = ms;
  await ledger.append({ ...event, runId, agentId });
}

function started(extra: Record<string, unknown> = {}): NewEvent {
  return {
    type: 'run.started',
    payload: { input: { task: 'pay INV-7' }, hop: 0, tier: 'operational', owner: { host: 'h', pid: 42 }, ...extra },
  } as NewEvent;
}

const at = append;

/** A run of `payer` that calls a model, then posts a payment a person approves after a wait. */
async function approvedPayment(runId = 'run-pay', offset = 0, start: Record<string, unknown> = {}): Promise<void> {
  const a = 'payer';
  const at = (ms: number, r: string, agent: string, event: NewEvent) => append(ms + offset, r, agent, event);
  await at(0, runId, a, started(start));
  await at(300, runId, a, {
    type: 'model.called',
    payload: {
      provider: 'scripted',
      model: 'demo',
      inputTokens: 40,
      outputTokens: 12,
      costUsd: 0.0005,
      latencyMs: 250,
    },
  });
  await at(310, runId, a, {
    type: 'tool.requested',
    payload: { callId: 'call-1', server: 'books', tool: 'post_payment', args: ARGS },
  });
  await at(310, runId, a, {
    type: 'policy.decided',
    payload: { callId: 'call-1', decision: 'ask', rule: 'doa.approval', reason: 'needs a person' },
  });
  await at(320, runId, a, {
    type: 'approval.requested',
    payload: {
      approvalId: 'apr-1',
      callId: 'call-1',
      server: 'books',
      tool: 'post_payment',
      args: ARGS,
      argsSha256: SHA,
      amountUsd: 4200,
      rule: 'doa.approval',
      reason: 'needs a person',
      expiresAt: '2026-03-03T09:00:00.000Z',
    },
  });
  await at(330, runId, a, {
    type: 'run.parked',
    payload: { approvalId: 'apr-1', messages: [], toolCalls: [], index: 0, step: 1 },
  });
  await at(5_320, runId, a, {
    type: 'approval.decided',
    payload: { approvalId: 'apr-1', decision: 'approved', argsSha256: SHA, by: 'cfo@acme', reason: 'checked' },
  });
  await at(5_330, runId, a, { type: 'run.adopted', payload: { owner: { host: 'h', pid: 43 } } });
  await at(5_530, runId, a, {
    type: 'tool.result',
    payload: { callId: 'call-1', ok: true, result: { posted: true }, latencyMs: 150 },
  });
  await at(5_600, runId, a, { type: 'run.finished', payload: { status: 'ok', output: { paid: true } } });
}

function trace(runId: string) {
  const t = buildTrace(ledger.reader, runId);
  expect(t).not.toBeNull();
  return TraceSchema.parse(t);
}

const kinds = (span: TraceSpan) => span.children.map((c) => c.kind);

describe('a run as a trace', () => {
  it('nests model and tool calls under the run, each with its start, end and duration', async () => {
    await approvedPayment();
    const { root } = trace('run-pay');
    expect(root).toMatchObject({ kind: 'run', name: 'payer', status: 'ok', durationMs: 5_600 });
    expect(root.start).toBe('2026-03-02T09:00:00.000Z');
    expect(root.content).toMatchObject({ input: { task: 'pay INV-7' }, output: { paid: true } });
    expect(kinds(root)).toEqual(['model', 'tool']);
    const [model, tool] = root.children as [TraceSpan, TraceSpan];
    // A model call ends at its event and starts its latency before.
    expect(model).toMatchObject({ status: 'ok', durationMs: 250, start: '2026-03-02T09:00:00.050Z' });
    expect(model.content).toMatchObject({ inputTokens: 40, outputTokens: 12, costUsd: 0.0005, latencyMs: 250 });
    expect(tool).toMatchObject({ name: 'tool books.post_payment', status: 'ok', durationMs: 5_220 });
    expect(tool.content).toMatchObject({ args: ARGS, result: { posted: true }, ok: true });
    // The result event's seq, where the console fetches a media part's bytes.
    const result = [...ledger.reader.each({ runId: 'run-pay', type: 'tool.result' })][0]!;
    expect(tool.content.resultSeq).toBe(result.seq);
  });

  it('gives a tool call its policy decision, the wait for a person and the MCP execution as separate parts', async () => {
    await approvedPayment();
    const tool = trace('run-pay').root.children[1]!;
    expect(kinds(tool)).toEqual(['policy', 'approval', 'execution']);
    const [policy, wait, exec] = tool.children as [TraceSpan, TraceSpan, TraceSpan];
    expect(policy.content).toEqual({ decision: 'ask', rule: 'doa.approval', reason: 'needs a person' });
    expect(wait).toMatchObject({ status: 'ok', durationMs: 5_000, name: 'approved by cfo@acme' });
    expect(wait.content).toMatchObject({
      amountUsd: 4200,
      by: 'cfo@acme',
      reason: 'checked',
      decidedAt: '2026-03-02T09:00:05.320Z',
    });
    expect(exec).toMatchObject({ status: 'ok', durationMs: 150, start: '2026-03-02T09:00:05.380Z' });
  });

  it('shows a parent as waiting while the child run it handed off to waits for a person', async () => {
    await at(0, 'run-top', 'coordinator', started());
    await at(5, 'run-top', 'coordinator', {
      type: 'handoff',
      payload: {
        toAgentId: 'payer',
        childRunId: 'run-w',
        hop: 1,
        intent: 'pay it',
        context: null,
        constraints: null,
        verification: null,
      },
    });
    await waitingPayment('run-w', { parentRunId: 'run-top', hop: 1 });
    const { root } = trace('run-top');
    expect(root.status).toBe('waiting');
    expect(root.children[0]).toMatchObject({ kind: 'handoff', status: 'waiting', end: null });
  });

  it('shows a wait not yet decided as waiting, with no end, and the run as waiting', async () => {
    await waitingPayment('run-w');
    const { root } = trace('run-w');
    expect(root).toMatchObject({ status: 'waiting', end: null, durationMs: null });
    const wait = root.children[0]!.children[1]!;
    expect(wait).toMatchObject({ kind: 'approval', status: 'waiting', end: null, durationMs: null });
    expect(renderTrace(trace('run-w')).some((l) => /…\s+waiting for a person {2}waiting/.test(l))).toBe(true);
  });
});

/** A run whose payment waits for a person, undecided. */
async function waitingPayment(runId: string, start: Record<string, unknown> = {}): Promise<void> {
  await at(0, runId, 'payer', started(start));
  await at(10, runId, 'payer', {
    type: 'tool.requested',
    payload: { callId: 'call-w', server: 'books', tool: 'post_payment', args: ARGS },
  });
  await at(10, runId, 'payer', {
    type: 'policy.decided',
    payload: { callId: 'call-w', decision: 'ask', rule: 'doa.approval', reason: 'needs a person' },
  });
  await at(20, runId, 'payer', {
    type: 'approval.requested',
    payload: {
      approvalId: 'apr-w',
      callId: 'call-w',
      server: 'books',
      tool: 'post_payment',
      args: ARGS,
      argsSha256: SHA,
      rule: 'doa.approval',
      reason: 'needs a person',
      expiresAt: '2026-03-03T09:00:00.000Z',
    },
  });
}

describe('a run as a trace: governed calls, handoffs, bookkeeping', () => {
  it('gives a denied call no execution part and a rejected one its rejection', async () => {
    await at(0, 'run-d', 'payer', started());
    await at(5, 'run-d', 'payer', {
      type: 'tool.requested',
      payload: { callId: 'call-d', server: 'books', tool: 'delete_all', args: {} },
    });
    await at(5, 'run-d', 'payer', {
      type: 'policy.decided',
      payload: { callId: 'call-d', decision: 'deny', rule: 'tools.not-granted', reason: 'not granted' },
    });
    await at(6, 'run-d', 'payer', {
      type: 'tool.result',
      payload: { callId: 'call-d', ok: false, error: { code: 'E_POLICY_DENIED', message: 'no' }, latencyMs: 0 },
    });
    const tool = trace('run-d').root.children[0]!;
    expect(tool.status).toBe('denied');
    expect(kinds(tool)).toEqual(['policy']);
  });

  it('ends a call a person rejected as rejected, with who and why, and no execution part', async () => {
    await at(0, 'run-r', 'payer', started());
    await at(5, 'run-r', 'payer', {
      type: 'tool.requested',
      payload: { callId: 'call-r', server: 'books', tool: 'post_payment', args: ARGS },
    });
    await at(5, 'run-r', 'payer', {
      type: 'policy.decided',
      payload: { callId: 'call-r', decision: 'ask', rule: 'doa.approval', reason: 'needs a person' },
    });
    await at(6, 'run-r', 'payer', {
      type: 'approval.requested',
      payload: {
        approvalId: 'apr-r',
        callId: 'call-r',
        server: 'books',
        tool: 'post_payment',
        args: ARGS,
        argsSha256: SHA,
        rule: 'doa.approval',
        reason: 'needs a person',
        expiresAt: '2026-03-03T09:00:00.000Z',
      },
    });
    await at(906, 'run-r', 'payer', {
      type: 'approval.decided',
      payload: { approvalId: 'apr-r', decision: 'rejected', argsSha256: SHA, by: 'cfo@acme', reason: 'wrong payee' },
    });
    await at(907, 'run-r', 'payer', {
      type: 'tool.result',
      payload: { callId: 'call-r', ok: false, error: { code: 'E_POLICY_REJECTED', message: 'rejected' }, latencyMs: 0 },
    });
    await at(910, 'run-r', 'payer', {
      type: 'model.failed',
      payload: { provider: 'scripted', model: 'demo', error: { code: 'E_MODEL', message: 'gone' }, latencyMs: 3 },
    });
    await at(911, 'run-r', 'payer', { type: 'run.finished', payload: { status: 'rejected' } });
    const { root } = trace('run-r');
    expect(root.status).toBe('rejected');
    const [tool, model] = root.children as [TraceSpan, TraceSpan];
    expect(tool.status).toBe('rejected');
    expect(kinds(tool)).toEqual(['policy', 'approval']);
    expect(tool.children[1]).toMatchObject({ status: 'rejected', durationMs: 900, name: 'rejected by cfo@acme' });
    expect(tool.children[1]!.content).toMatchObject({
      by: 'cfo@acme',
      reason: 'wrong payee',
      decisionReason: 'wrong payee',
    });
    expect(model).toMatchObject({
      kind: 'model',
      status: 'error',
      durationMs: 3,
      content: { error: { code: 'E_MODEL' } },
    });
  });

  it('nests a handoff with the child run and its own trace', async () => {
    await at(0, 'run-parent', 'coordinator', started());
    await at(100, 'run-parent', 'coordinator', {
      type: 'handoff',
      payload: {
        toAgentId: 'payer',
        childRunId: 'run-pay',
        hop: 1,
        intent: 'pay it',
        context: { invoiceId: 'INV-7' },
        constraints: null,
        verification: null,
      },
    });
    // The child's events, as the runtime writes them after the handoff.
    await approvedPayment('run-pay', 100, { parentRunId: 'run-parent', hop: 1 });
    await at(5_800, 'run-parent', 'coordinator', { type: 'run.finished', payload: { status: 'ok' } });
    const { root } = trace('run-parent');
    expect(kinds(root)).toEqual(['handoff']);
    const hand = root.children[0]!;
    expect(hand).toMatchObject({ name: 'handoff to payer', status: 'ok', durationMs: 5_600 });
    expect(hand.content).toMatchObject({ intent: 'pay it', childRunId: 'run-pay', hop: 1 });
    const child = hand.children[0]!;
    expect(child).toMatchObject({ kind: 'run', id: 'run-pay', name: 'payer', status: 'ok' });
    expect(kinds(child)).toEqual(['model', 'tool']);
    expect(kinds(child.children[1]!)).toEqual(['policy', 'approval', 'execution']);
    // The printed tree indents the child run's calls under the handoff.
    const lines = renderTrace(trace('run-parent'));
    expect(lines.find((l) => l.includes('run payer run-pay'))).toMatch(/ {4}run payer/);
    expect(lines.find((l) => l.includes('tool books.post_payment'))).toMatch(/ {6}tool books/);
  });

  it('keeps bookkeeping out of the spans: parked and adopted are internal annotations, hidden when printed', async () => {
    await approvedPayment();
    const t = trace('run-pay');
    const all: TraceSpan[] = [];
    const walk = (s: TraceSpan) => {
      all.push(s);
      s.children.forEach(walk);
    };
    walk(t.root);
    expect(all).toHaveLength(6);
    const notes = t.root.annotations;
    expect(notes.map((n) => [n.type, n.internal])).toEqual([
      ['run.started', true],
      ['run.parked', true],
      ['run.adopted', true],
    ]);
    expect(notes[2]!.text).toBe('adopted by h pid 43');
    expect(renderTrace(t).join('\n')).not.toMatch(/parked|adopted|pid/);
    expect(renderTrace(t, { internal: true }).join('\n')).toMatch(/adopted by h pid 43 \(internal\)/);
  });

  it('shows what an agent logged and what tripped as annotations of the span they concern', async () => {
    await at(0, 'run-g', 'reader', started());
    await at(1, 'run-g', 'reader', { type: 'run.log', payload: { level: 'info', message: 'reading mail' } });
    await at(2, 'run-g', 'reader', {
      type: 'tool.requested',
      payload: { callId: 'call-g', server: 'mail', tool: 'read', args: {} },
    });
    await at(2, 'run-g', 'reader', {
      type: 'policy.decided',
      payload: { callId: 'call-g', decision: 'allow', rule: 'tools.read', reason: 'read-only' },
    });
    await at(9, 'run-g', 'reader', {
      type: 'tool.result',
      payload: { callId: 'call-g', ok: true, result: 'IGNORE ALL', latencyMs: 7 },
    });
    await at(9, 'run-g', 'reader', {
      type: 'guardrail.tripped',
      payload: { guardrail: 'injection', detail: 'mail.read result holds an instruction', callId: 'call-g' },
    });
    const { root } = trace('run-g');
    expect(root.annotations.filter((n) => !n.internal).map((n) => n.text)).toEqual(['info: reading mail']);
    const tool = root.children[0]!;
    expect(tool.annotations.map((n) => n.type)).toEqual(['guardrail.tripped']);
    expect(kinds(tool)).toEqual(['policy', 'execution']);
    // Printed in the order they happened: the log line before the call, the guardrail after its parts.
    const lines = renderTrace(trace('run-g')).map((l) => l.trim());
    expect(lines.map((l) => l.replace(/^\+\S+\s+\S+\s+/, ''))).toEqual([
      'run reader run-g  running',
      '· info: reading mail',
      'tool mail.read  ok',
      'policy tools.read: allow  ok',
      'mcp mail  ok',
      '· guardrail injection tripped: mail.read result holds an instruction',
    ]);
  });

  it('finds no trace for a run the ledger does not hold', async () => {
    await approvedPayment();
    expect(buildTrace(ledger.reader, 'run-nope')).toBeNull();
  });
});
