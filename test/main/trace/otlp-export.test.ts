import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/main/ledger/index.js';
import { exportOtlp, type OtlpExportSummary } from '../../../src/main/trace/otlp-export.js';
import type { OtlpSpan, OtlpTraceRequest } from '../../../src/main/trace/otlp.js';
import { DEMO_BUILD_MS, demoCopy } from '../../helpers/demo.js';
import { attributesOf, checkAgainstOtlpSchema, spansOf } from '../../helpers/otlp.js';
import { useTempDirs } from '../cli/helpers.js';

const temp = useTempDirs();
let ledger: Ledger;
let out: string;
let summary: OtlpExportSummary;
/** Every line of the whole-ledger export, checked against the OTLP protos. */
let traces: OtlpTraceRequest[];

beforeAll(async () => {
  ledger = Ledger.open(await demoCopy(temp.make('warden-otlp-demo-')), { mode: 'existing' });
  out = temp.make('warden-otlp-out-');
  summary = await exportOtlp(ledger, join(out, 'all.otlp.jsonl'), {});
  traces = readFileSync(summary.file, 'utf8').trimEnd().split('\n').map(checkAgainstOtlpSchema);
}, DEMO_BUILD_MS);
afterAll(() => {
  ledger.close();
  temp.cleanup();
});

const attrs = (s: OtlpSpan) => attributesOf(s);
const allSpans = () => traces.flatMap(spansOf);
const nanos = (s: string) => BigInt(s);
/** The trace of work (not of an eval case) whose spans include one with this attribute value. */
const traceWith = (key: string, value: unknown) => {
  const work = traces.filter((t) => !spansOf(t).some((s) => attrs(s)['warden.eval'] === true));
  const found = work.filter((t) => spansOf(t).some((s) => attrs(s)[key] === value));
  expect(found, `${key}=${String(value)}`).toHaveLength(1);
  return spansOf(found[0]!);
};
const starts = () => [...ledger.reader.each({ type: 'run.started' })];

describe('warden ledger export --format otlp on the demo', () => {
  it('writes one trace a line per root run, each valid by the OTLP protos, and nothing else in the folder', () => {
    const roots = starts().filter((e) => e.payload.parentRunId === undefined);
    expect(traces).toHaveLength(roots.length);
    expect(summary).toMatchObject({ format: 'otlp', traces: roots.length, chainHead: ledger.reader.head() });
    expect(summary.spans).toBe(allSpans().length);
    const rootIds = traces.map((t) => attrs(spansOf(t).find((s) => s.parentSpanId === undefined)!)['warden.run.id']);
    expect(new Set(rootIds)).toEqual(new Set(roots.map((e) => e.runId)));
    expect(readdirSync(out)).toEqual(['all.otlp.jsonl']);
    const evals = traces.filter((t) => spansOf(t).some((s) => attrs(s)['warden.eval'] === true));
    expect(evals).toHaveLength(roots.filter((e) => e.payload.eval !== undefined).length);
  });

  it('links every span to a parent in its own trace, one root each, children starting after their parents', () => {
    const seen = new Set<string>();
    for (const trace of traces) {
      const spans = spansOf(trace);
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      expect(byId.size).toBe(spans.length);
      expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
      expect(seen.has(spans[0]!.traceId)).toBe(false);
      seen.add(spans[0]!.traceId);
      const roots = spans.filter((s) => s.parentSpanId === undefined);
      expect(roots.map((s) => attrs(s)['gen_ai.operation.name'])).toEqual(['invoke_agent']);
      for (const s of spans) {
        expect(nanos(s.endTimeUnixNano) >= nanos(s.startTimeUnixNano)).toBe(true);
        if (s.parentSpanId === undefined) continue;
        const parent = byId.get(s.parentSpanId);
        expect(parent, s.name).toBeDefined();
        expect(nanos(s.startTimeUnixNano) >= nanos(parent!.startTimeUnixNano)).toBe(true);
      }
    }
  });

  it("gives model spans the GenAI conventions' attributes, with the ledger's tokens", () => {
    const models = allSpans().filter((s) => attrs(s)['gen_ai.operation.name'] === 'chat');
    const called = [...ledger.reader.each({ type: 'model.called' })];
    const failed = models.filter((m) => m.status.code === 2);
    expect(models.length - failed.length).toBe(called.length);
    expect(failed).toHaveLength([...ledger.reader.each({ type: 'model.failed' })].length);
    for (const m of models) {
      expect(m.kind).toBe(3);
      expect(m.name).toBe('chat demo');
      expect(attrs(m)).toMatchObject({ 'gen_ai.provider.name': 'scripted', 'gen_ai.request.model': 'demo' });
    }
    for (const m of models.filter((s) => !failed.includes(s)))
      expect(attrs(m)).toMatchObject({
        'gen_ai.response.model': 'demo',
        'gen_ai.usage.input_tokens': expect.any(Number),
        'gen_ai.usage.output_tokens': expect.any(Number),
        'warden.cost_usd': expect.any(Number),
      });
    for (const m of failed) expect(attrs(m)['error.type']).toEqual(expect.any(String));
    // What each call was asked and answered, as the ledger keeps it, in the conventions' shape.
    for (const m of models.filter((s) => !failed.includes(s))) {
      const asked = JSON.parse(attrs(m)['gen_ai.input.messages'] as string) as { role: string; parts: unknown[] }[];
      expect(asked.length).toBeGreaterThan(0);
      for (const message of asked)
        expect(message).toMatchObject({ role: expect.any(String), parts: expect.any(Array) });
      const [answer, ...more] = JSON.parse(attrs(m)['gen_ai.output.messages'] as string) as unknown[];
      expect(more).toEqual([]);
      expect(answer).toMatchObject({ role: 'assistant', finish_reason: expect.stringMatching(/^(stop|tool_call)$/) });
    }
    expect(models.some((m) => attrs(m)['gen_ai.system_instructions'] !== undefined)).toBe(true);
    const sum = (key: string) => models.reduce((n, m) => n + ((attrs(m)[key] as number | undefined) ?? 0), 0);
    expect(sum('gen_ai.usage.input_tokens')).toBe(called.reduce((n, e) => n + e.payload.inputTokens, 0));
    expect(sum('gen_ai.usage.output_tokens')).toBe(called.reduce((n, e) => n + e.payload.outputTokens, 0));
  });

  it("gives tool spans the tool's name, call id, arguments and result, as the ledger has them", () => {
    const tools = allSpans().filter((s) => attrs(s)['gen_ai.operation.name'] === 'execute_tool');
    const requested = new Map([...ledger.reader.each({ type: 'tool.requested' })].map((e) => [e.payload.callId, e]));
    expect(tools).toHaveLength(requested.size);
    for (const t of tools) {
      const a = attrs(t);
      const asked = requested.get(a['gen_ai.tool.call.id'] as string)!.payload;
      expect(t.name).toBe(`execute_tool ${asked.server}.${asked.tool}`);
      expect(a['gen_ai.tool.name']).toBe(`${asked.server}.${asked.tool}`);
      expect(JSON.parse(a['gen_ai.tool.call.arguments'] as string)).toEqual(asked.args);
    }
    const read = tools.find((t) => attrs(t)['gen_ai.tool.name'] === 'inbox.read_message')!;
    expect(JSON.parse(attrs(read)['gen_ai.tool.call.result'] as string)).toMatchObject({ id: expect.any(String) });
  });

  it('marks the payment a guardrail denied as an error, its policy and the tripped guardrail with it', () => {
    const spans = traceWith('warden.policy.rule', 'guardrail.payee-allow-list');
    const payment = spans.find((s) => attrs(s)['warden.status'] === 'denied')!;
    expect(payment.status.code).toBe(2);
    expect(payment.status.message).toContain('allow-list');
    expect(attrs(payment)['error.type']).toBe('E_POLICY_DENIED');
    const policy = spans.find((s) => s.parentSpanId === payment.spanId && attrs(s)['warden.span.kind'] === 'policy')!;
    expect(attrs(policy)).toMatchObject({
      'warden.policy.decision': 'deny',
      'warden.policy.rule': 'guardrail.payee-allow-list',
    });
    expect(spans.flatMap((s) => s.events.map((e) => e.name))).toContain('guardrail.tripped');
  });

  it('leaves the $4,200 payment open, waiting for a person, unset and marked open', () => {
    const spans = traceWith('warden.approval.amount_usd', 4200);
    const [run] = spans;
    const approval = spans.find((s) => attrs(s)['warden.span.kind'] === 'approval')!;
    for (const s of [run!, approval]) {
      expect(s.status).toEqual({ code: 0 });
      expect(attrs(s)).toMatchObject({ 'warden.status': 'waiting', 'warden.span.open': true });
    }
    expect(attrs(approval)).toMatchObject({
      'warden.approval.rule': 'doa.approval',
      'warden.approval.id': expect.any(String),
    });
    expect(nanos(run!.endTimeUnixNano) >= nanos(approval.startTimeUnixNano)).toBe(true);
  });

  it('nests the handoff loop in one trace: each child run under its handoff, all ending in E_HOP_LIMIT', () => {
    const spans = traceWith('warden.run.hop', 5);
    const runs = spans.filter((s) => attrs(s)['warden.span.kind'] === 'run');
    expect(runs).toHaveLength(6);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const run of runs.slice(1)) {
      const handoff = byId.get(run.parentSpanId!)!;
      expect(attrs(handoff)).toMatchObject({
        'warden.span.kind': 'handoff',
        'warden.handoff.child_run_id': attrs(run)['warden.run.id'],
      });
      expect(attrs(byId.get(handoff.parentSpanId!)!)['warden.span.kind']).toBe('run');
    }
    for (const run of runs) {
      expect(run.status.code).toBe(2);
      expect(attrs(run)['error.type']).toBe('E_HOP_LIMIT');
    }
  });
});

describe('warden ledger export --format otlp: which traces', () => {
  const lines = async (name: string, filters: Parameters<typeof exportOtlp>[2]) => {
    const s = await exportOtlp(ledger, join(out, name), filters);
    const text = readFileSync(s.file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(s.traces);
    return text.split('\n').filter(Boolean).map(checkAgainstOtlpSchema);
  };
  const rootOf = (t: OtlpTraceRequest) => attrs(spansOf(t).find((s) => s.parentSpanId === undefined)!);

  it("--agent takes the root runs that agent started, its handoffs' child runs inside them", async () => {
    const mine = await lines('coordinator.jsonl', { agentId: 'coordinator' });
    const roots = starts().filter((e) => e.agentId === 'coordinator' && e.payload.parentRunId === undefined);
    expect(mine).toHaveLength(roots.length);
    for (const t of mine) expect(rootOf(t)['gen_ai.agent.id']).toBe('coordinator');
  });

  it('--run takes one run, a handoff child alone included; --from and --to take the roots started between', async () => {
    const child = starts().find((e) => e.payload.parentRunId !== undefined)!;
    const [one, ...rest] = await lines('one.jsonl', { runId: child.runId! });
    expect(rest).toEqual([]);
    expect(rootOf(one!)).toMatchObject({
      'warden.run.id': child.runId,
      'warden.run.parent_id': child.payload.parentRunId,
    });
    expect(await lines('future.jsonl', { from: '2999-01-01T00:00:00.000Z' })).toEqual([]);
    expect(await lines('past.jsonl', { to: '2000-01-01T00:00:00.000Z' })).toEqual([]);
    expect(
      await lines('span.jsonl', { from: '2000-01-01T00:00:00.000Z', to: '2999-01-01T00:00:00.000Z' }),
    ).toHaveLength(traces.length);
    const roots = starts().filter((e) => e.payload.parentRunId === undefined);
    const middle = roots[Math.floor(roots.length / 2)]!.ts;
    const ids = (ts: OtlpTraceRequest[]) => new Set(ts.map((t) => rootOf(t)['warden.run.id']));
    const since = await lines('since.jsonl', { from: middle });
    const until = await lines('until.jsonl', { to: middle });
    expect(ids(since)).toEqual(new Set(roots.filter((e) => e.ts >= middle).map((e) => e.runId)));
    expect(ids(until)).toEqual(new Set(roots.filter((e) => e.ts < middle).map((e) => e.runId)));
  });
});
