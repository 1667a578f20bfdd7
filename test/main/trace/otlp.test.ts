import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/shared/json.js';
import { TraceSchema, type Trace, type TraceSpan } from '../../../src/shared/trace.js';
import { traceToOtlp } from '../../../src/main/trace/otlp.js';
import { attributesOf, checkAgainstOtlpSchema, spansOf } from '../../helpers/otlp.js';

// The mapping of a model span's `request` and `reply` on traces written by hand, in the shape
// the trace's contract gives them (src/shared/trace.ts), so that every case is here: each kind of
// message, reasoning, and content that retention removed (which the demo's ledger never holds).
// The demo's own calls are exported end to end in otlp-export.test.ts.

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const REMOVED = {
  removed: { sha256: 'b'.repeat(64), at: '2026-03-01T00:00:00.000Z', by: 'auditor@acme', reason: 'kept 90 days' },
};

function span(
  kind: TraceSpan['kind'],
  id: string,
  times: [number, number | null],
  content: Record<string, JsonValue>,
  more: Partial<TraceSpan> = {},
): TraceSpan {
  const [start, end] = times;
  return {
    id,
    kind,
    name: `${kind} ${id}`,
    start: iso(start),
    end: end === null ? null : iso(end),
    durationMs: end === null ? null : end - start,
    status: end === null ? 'running' : 'ok',
    content,
    annotations: [],
    children: [],
    ...more,
  };
}

const MODEL = { provider: 'anthropic', model: 'claude-x', inputTokens: 120, outputTokens: 30, costUsd: 0.0012 };

/** A run whose model calls kept their content, lost it to retention, or predate it, and a tool call whose result was pruned. */
const trace: Trace = TraceSchema.parse({
  version: 1,
  runId: 'run-h',
  root: span(
    'run',
    'run-h',
    [0, 2000],
    { input: { task: 'pay INV-7' }, hop: 0 },
    {
      name: 'payer',
      children: [
        span('model', '7', [100, 900], {
          ...MODEL,
          latencyMs: 800,
          request: {
            messages: [
              { role: 'system', content: 'You pay invoices.' },
              { role: 'user', content: 'Pay INV-7' },
              {
                role: 'assistant',
                content: '',
                toolCalls: [{ id: 'tc-1', name: 'books.lookup', arguments: { invoiceId: 'INV-7' } }],
              },
              { role: 'tool', toolCallId: 'tc-1', name: 'books.lookup', content: '{"amountUsd":42}' },
              REMOVED,
            ],
            tools: [{ name: 'books.post_payment', description: 'Posts a payment', inputSchema: { type: 'object' } }],
          },
          reply: {
            text: 'Paying now.',
            toolCalls: [{ id: 'tc-2', name: 'books.post_payment', arguments: { amountUsd: 42 } }],
            reasoning: 'The invoice is due today.',
          },
        }),
        span('model', '9', [1000, 1100], {
          ...MODEL,
          latencyMs: 100,
          request: { messages: [REMOVED], tools: REMOVED },
          reply: REMOVED,
        }),
        span(
          'model',
          '11',
          [1200, 1300],
          {
            provider: 'anthropic',
            model: 'claude-x',
            latencyMs: 100,
            error: { code: 'E_MODEL_UNAVAILABLE', message: 'provider unreachable' },
          },
          { status: 'error' },
        ),
        span('tool', 'call-1', [1400, 1500], {
          server: 'books',
          tool: 'post_payment',
          args: { amountUsd: 42 },
          ok: true,
          latencyMs: 60,
          result: REMOVED,
        }),
      ],
    },
  ),
});

const request = traceToOtlp(trace, { version: '9.9.9' });
const spans = spansOf(request);
const byId = (id: string) => {
  const found = spans.find((s) => attributesOf(s)['warden.span.id'] === id);
  expect(found, id).toBeDefined();
  return { span: found!, attrs: attributesOf(found!) };
};
const parsed = (value: unknown) => JSON.parse(value as string) as unknown;

describe('a trace as OTLP/JSON: model content in the GenAI conventions', () => {
  it('is a valid ExportTraceServiceRequest by the OTLP protobuf schema', () => {
    expect(checkAgainstOtlpSchema(JSON.stringify(request))).toEqual(request);
    expect(request.resourceSpans[0]!.scopeSpans[0]!.scope).toEqual({ name: 'warden', version: '9.9.9' });
    expect(attributesOf(request.resourceSpans[0]!.resource)['service.name']).toBe('warden');
  });

  it("writes a call's system prompt, messages, tools and reply as the conventions' JSON", () => {
    const { span: model, attrs } = byId('7');
    expect(model.name).toBe('chat claude-x');
    expect(model.kind).toBe(3); // CLIENT: the call leaves the process
    expect(attrs).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.system': 'anthropic',
      'gen_ai.request.model': 'claude-x',
      'gen_ai.response.model': 'claude-x',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.response.finish_reasons': ['tool_call'],
      'gen_ai.conversation.id': 'run-h',
      'gen_ai.agent.id': 'payer',
      'warden.cost_usd': 0.0012,
      'warden.content.removed': true,
    });
    expect(parsed(attrs['gen_ai.system_instructions'])).toEqual([{ type: 'text', content: 'You pay invoices.' }]);
    expect(parsed(attrs['gen_ai.input.messages'])).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Pay INV-7' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'tc-1', name: 'books.lookup', arguments: { invoiceId: 'INV-7' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'tc-1', response: '{"amountUsd":42}' }] },
      REMOVED,
    ]);
    expect(parsed(attrs['gen_ai.tool.definitions'])).toEqual([
      { type: 'function', name: 'books.post_payment', description: 'Posts a payment', parameters: { type: 'object' } },
    ]);
    expect(parsed(attrs['gen_ai.output.messages'])).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'The invoice is due today.' },
          { type: 'text', content: 'Paying now.' },
          { type: 'tool_call', id: 'tc-2', name: 'books.post_payment', arguments: { amountUsd: 42 } },
        ],
        finish_reason: 'tool_call',
      },
    ]);
  });

  it('puts content removed by retention where its body was: a message, the tool list, the reply, a result', () => {
    const { attrs } = byId('9');
    expect(parsed(attrs['gen_ai.input.messages'])).toEqual([REMOVED]);
    expect(parsed(attrs['gen_ai.tool.definitions'])).toEqual(REMOVED);
    expect(parsed(attrs['gen_ai.output.messages'])).toEqual([REMOVED]);
    expect(attrs['gen_ai.system_instructions']).toBeUndefined();
    expect(attrs['gen_ai.response.finish_reasons']).toBeUndefined();
    expect(attrs['warden.content.removed']).toBe(true);
    const tool = byId('call-1').attrs;
    expect(parsed(tool['gen_ai.tool.call.result'])).toEqual(REMOVED);
    expect(tool['warden.content.removed']).toBe(true);
  });

  it('a failed call that kept no content is an error with its message, and no messages', () => {
    const { span: failed, attrs } = byId('11');
    expect(failed.status).toEqual({ code: 2, message: 'provider unreachable' });
    expect(attrs['error.type']).toBe('E_MODEL_UNAVAILABLE');
    for (const key of ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.response.model'])
      expect(attrs[key], key).toBeUndefined();
    expect(byId('7').attrs['warden.content.removed']).toBe(true);
  });
});

describe('a trace as OTLP/JSON: spans still open', () => {
  it('end at the last time the ledger knows of them, unset, and say they are open', () => {
    const open: Trace = {
      version: 1,
      runId: 'run-o',
      root: span(
        'run',
        'run-o',
        [0, null],
        {},
        {
          name: 'payer',
          status: 'waiting',
          annotations: [{ seq: 9, ts: iso(700), type: 'run.parked', internal: true, text: 'parked' }],
          children: [
            span(
              'tool',
              'call-9',
              [100, null],
              { server: 'books', tool: 'post_payment', args: {} },
              {
                status: 'waiting',
                children: [span('approval', 'apr-9', [500, null], { approvalId: 'apr-9' }, { status: 'waiting' })],
              },
            ),
          ],
        },
      ),
    };
    const otlp = traceToOtlp(open, { version: '1' });
    checkAgainstOtlpSchema(JSON.stringify(otlp));
    const [run, tool, approval] = spansOf(otlp);
    const nanos = (ms: number) => String(BigInt(T0 + ms) * 1_000_000n);
    expect(run!.endTimeUnixNano).toBe(nanos(700)); // its parked note, after its last part began
    expect(tool!.endTimeUnixNano).toBe(nanos(500)); // its wait for a person began then
    expect(approval!.endTimeUnixNano).toBe(approval!.startTimeUnixNano);
    for (const s of [run!, tool!, approval!]) {
      expect(s.status).toEqual({ code: 0 });
      expect(attributesOf(s)).toMatchObject({ 'warden.span.open': true, 'warden.status': 'waiting' });
    }
    expect(run!.events).toEqual([]); // bookkeeping stays out, as runs show hides it
  });
});

describe('the OTLP schema check', () => {
  it('refuses a line that the OTLP protos do not hold, so the checks above are not vacuous', () => {
    const line = JSON.stringify(request);
    const broken = [
      line.replace('"startTimeUnixNano"', '"startTimeUnixNanos"'), // a field OTLP does not have
      line.replace('"kind":3', '"kind":9'), // a span kind that does not exist
      line.replace(/"intValue":"(\d+)"/, '"stringValue":$1'), // a number where a string goes
      line.replace(/"traceId":"[0-9a-f]{32}"/, `"traceId":"${'0'.repeat(32)}"`), // an invalid id
    ];
    for (const bad of broken) {
      expect(bad).not.toBe(line);
      expect(() => checkAgainstOtlpSchema(bad), bad.slice(0, 80)).toThrow();
    }
  });
});
