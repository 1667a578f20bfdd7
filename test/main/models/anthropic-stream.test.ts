import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../../src/main/models/anthropic.js';
import type { ChatRequest } from '../../../src/main/models/provider.js';
import { anthropicMessage, anthropicStream, chatRequest, failure, useFakeApi } from './fake-api.js';

// The streamed path (the default) of the Anthropic provider: the real SDK reading server-sent
// events from a local fake of the Messages API.
const CANARY = 'sk-ant-canary-stream-3d8e1f';

const api = useFakeApi();

function provider(overrides: { timeoutMs?: number; maxRetries?: number; maxOutputTokens?: number } = {}) {
  return new AnthropicProvider({
    name: 'anthropic',
    baseUrl: api.url,
    apiKey: CANARY,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxRetries: overrides.maxRetries ?? 0,
    ...(overrides.maxOutputTokens ? { maxOutputTokens: overrides.maxOutputTokens } : {}),
  });
}

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return chatRequest('claude-haiku-4-5', overrides);
}

const BOOKS = [{ name: 'books.pay', description: 'Pays an invoice', inputSchema: { type: 'object' } }];

describe('AnthropicProvider streaming from a local Messages API', () => {
  it('asks for a stream and puts the text together as it arrives, with the usage of message_delta', async () => {
    api.reply({
      sse: anthropicStream([{ type: 'text', deltas: ['Invoice 7', ' is', ' paid.'] }], {
        input_tokens: 21,
        output_tokens: 6,
      }),
    });
    const before = api.received.length;
    const pieces: string[] = [];
    const response = await provider({ maxOutputTokens: 512 }).chat(request({ onText: (t) => pieces.push(t) }));
    expect(response).toEqual({
      text: 'Invoice 7 is paid.',
      toolCalls: [],
      usage: { inputTokens: 21, outputTokens: 6 },
    });
    expect(pieces).toEqual(['Invoice 7', ' is', ' paid.']);
    expect(api.received[before]!.body).toMatchObject({ stream: true, max_tokens: 512, system: 'You pay invoices.' });
  });

  it('puts tool calls together from input_json_delta pieces, under Warden names', async () => {
    api.reply({
      sse: anthropicStream(
        [
          { type: 'text', deltas: ['Paying.'] },
          {
            type: 'tool_use',
            id: 'toolu_01',
            name: 'books__pay',
            deltas: ['{"invoice', 'Id": "INV-7', '", "amountUsd": 120.5}'],
          },
          { type: 'tool_use', id: 'toolu_02', name: 'books__pay', deltas: [] },
        ],
        { input_tokens: 40, output_tokens: 30 },
      ),
    });
    const before = api.received.length;
    const response = await provider().chat(request({ tools: BOOKS }));
    expect(response.text).toBe('Paying.');
    expect(response.toolCalls).toEqual([
      { id: 'toolu_01', name: 'books.pay', arguments: { invoiceId: 'INV-7', amountUsd: 120.5 } },
      { id: 'toolu_02', name: 'books.pay', arguments: {} },
    ]);
    expect(api.received[before]!.body).toMatchObject({
      stream: true,
      max_tokens: 4096,
      tools: [{ name: 'books__pay' }],
    });
  });

  it('counts cache tokens as input, and keeps the counts a null in message_delta leaves out', async () => {
    api.reply({
      sse: anthropicStream(
        [{ type: 'text', deltas: ['Cached.'] }],
        { input_tokens: 30, cache_creation_input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 42 },
        { input_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: null },
      ),
    });
    expect((await provider().chat(request())).usage).toEqual({ inputTokens: 150, outputTokens: 42 });
    api.reply({
      sse: anthropicStream(
        [{ type: 'text', deltas: ['Totals.'] }],
        { input_tokens: 30, output_tokens: 9 },
        {
          input_tokens: 35,
          cache_read_input_tokens: 5,
        },
      ),
    });
    expect((await provider().chat(request())).usage).toEqual({ inputTokens: 40, outputTokens: 9 });
  });

  it('calls tool input that does not parse a malformed reply naming the tool', async () => {
    api.reply({
      sse: anthropicStream([{ type: 'tool_use', id: 'toolu_01', name: 'books__pay', deltas: ['{"invoiceId": '] }], {
        input_tokens: 1,
        output_tokens: 1,
      }),
    });
    const error = await failure(provider().chat(request({ tools: BOOKS })));
    expect(error.message).toBe(
      'model provider "anthropic" (anthropic:claude-haiku-4-5): malformed reply: the arguments of tool call "books.pay" are not valid JSON',
    );
  });

  it('turns an error event mid-stream into one E_MODEL line, without the key', async () => {
    const events = anthropicStream([{ type: 'text', deltas: ['Half'] }], { input_tokens: 1, output_tokens: 1 });
    api.reply({
      sse: [
        ...events.slice(0, 4),
        {
          event: 'error',
          data: { type: 'error', error: { type: 'overloaded_error', message: `Overloaded ${CANARY}` } },
        },
      ],
    });
    const error = await failure(provider().chat(request()));
    expect(error.code).toBe('E_MODEL');
    expect(error.message).toBe(
      'model provider "anthropic" (anthropic:claude-haiku-4-5): the server reported an error mid-stream: Overloaded [redacted]',
    );
    expect(error.message).not.toContain(CANARY);
    expect(error.message).not.toContain('\n');
  });

  it('calls a stream cut off before message_stop malformed', async () => {
    const events = anthropicStream([{ type: 'text', deltas: ['Half', ' of it'] }], {
      input_tokens: 1,
      output_tokens: 1,
    });
    api.reply({ sse: events, cutAfter: 5 });
    const cut = await failure(provider().chat(request()));
    expect(cut.code).toBe('E_MODEL');
    expect(cut.message).toMatch(/: malformed reply: the stream broke off \(terminated\b.*\)$/);
    api.reply({ sse: events.slice(0, -1) });
    const ended = await failure(provider().chat(request()));
    expect(ended.message).toMatch(/malformed reply: the stream ended before message_stop$/);
  });

  it('says a whole reply to a streamed call needs stream: false', async () => {
    api.reply({
      status: 200,
      json: anthropicMessage([{ type: 'text', text: 'Whole.' }], { input_tokens: 1, output_tokens: 1 }),
    });
    const error = await failure(provider().chat(request()));
    expect(error.message).toMatch(/malformed reply: no streamed events arrived \(.*`stream: false` in warden\.yaml\)$/);
  });

  it('cuts off a stream that goes quiet for timeoutMs', async () => {
    const events = anthropicStream([{ type: 'text', deltas: ['Thinking'] }], { input_tokens: 1, output_tokens: 1 });
    api.reply({ sse: events, stallAfter: 4 });
    const started = performance.now();
    const error = await failure(provider({ timeoutMs: 300 }).chat(request()));
    expect(error.message).toBe(
      'model provider "anthropic" (anthropic:claude-haiku-4-5): timed out (the streamed reply stopped for 300 ms)',
    );
    expect(performance.now() - started).toBeLessThan(3_000);
    // Quiet from the start: the headers came, then nothing.
    api.reply({ sse: events, stallAfter: 0 });
    const silent = await failure(provider({ timeoutMs: 300 }).chat(request()));
    expect(silent.message).toMatch(/: timed out \(the streamed reply stopped for 300 ms\)$/);
  });

  it('retries a 429 as retry-after says and then reads the stream', async () => {
    api.reply(
      {
        status: 429,
        headers: { 'retry-after-ms': '50' },
        json: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
      },
      { sse: anthropicStream([{ type: 'text', deltas: ['At last.'] }], { input_tokens: 3, output_tokens: 2 }) },
    );
    const before = api.received.length;
    const response = await provider({ maxRetries: 1 }).chat(request());
    expect(response.text).toBe('At last.');
    expect(api.received.slice(before).map((r) => (r.body as { stream?: unknown }).stream)).toEqual([true, true]);
  });

  it('stops mid-stream with E_CANCELLED when the run is cancelled', async () => {
    const events = anthropicStream([{ type: 'text', deltas: ['Thinking'] }], { input_tokens: 1, output_tokens: 1 });
    api.reply({ sse: events, stallAfter: 4 });
    const controller = new AbortController();
    const pieces: string[] = [];
    setTimeout(() => controller.abort(), 150);
    const error = await failure(provider().chat(request({ signal: controller.signal, onText: (t) => pieces.push(t) })));
    expect(error.code).toBe('E_CANCELLED');
    expect(pieces).toEqual(['Thinking']);
  });

  it('stops at once when cancelled during the wait before a retry, however long retry-after is', async () => {
    api.reply({
      status: 429,
      headers: { 'retry-after': '30' },
      json: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await failure(provider({ maxRetries: 1 }).chat(request({ signal: controller.signal })));
    expect(error.code).toBe('E_CANCELLED');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
