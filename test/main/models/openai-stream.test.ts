import { describe, expect, it } from 'vitest';
import { OpenAIProvider } from '../../../src/main/models/openai.js';
import type { ChatRequest } from '../../../src/main/models/provider.js';
import { chatRequest, failure, openaiCompletion, openaiStream, useFakeApi } from './fake-api.js';

// The streamed path (the default) of the OpenAI provider: the real SDK reading server-sent
// events from a local fake of Chat Completions.
const CANARY = 'sk-proj-canary-stream-77ab20';

const api = useFakeApi();

function provider(
  overrides: { timeoutMs?: number; maxRetries?: number; apiKey?: string; maxOutputTokens?: number } = {},
) {
  return new OpenAIProvider({
    name: 'openai',
    baseUrl: `${api.url}/v1`,
    apiKey: overrides.apiKey ?? CANARY,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxRetries: overrides.maxRetries ?? 0,
    ...(overrides.maxOutputTokens ? { maxOutputTokens: overrides.maxOutputTokens } : {}),
  });
}

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return chatRequest('gpt-4o-mini', overrides);
}

const BOOKS = [
  { name: 'books.pay', description: 'Pays an invoice', inputSchema: { type: 'object' } },
  { name: 'books.lookup', description: 'Finds an invoice', inputSchema: { type: 'object' } },
];

describe('OpenAIProvider streaming from a local Chat Completions API', () => {
  it('asks for a stream with usage and puts the text together as it arrives', async () => {
    api.reply({
      sse: openaiStream([{ content: 'Invoice 7' }, { content: ' is paid.' }], {
        prompt_tokens: 19,
        completion_tokens: 7,
      }),
    });
    const before = api.received.length;
    const pieces: string[] = [];
    const response = await provider().chat(request({ onText: (t) => pieces.push(t) }));
    expect(response).toEqual({
      text: 'Invoice 7 is paid.',
      toolCalls: [],
      usage: { inputTokens: 19, outputTokens: 7 },
    });
    expect(pieces).toEqual(['Invoice 7', ' is paid.']);
    expect(api.received[before]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    // Left to the server unless warden.yaml sets it: older compatible servers reject the field.
    expect(api.received[before]!.body).not.toHaveProperty('max_completion_tokens');
    expect(api.received[before]!.headers.authorization).toBe(`Bearer ${CANARY}`);
  });

  it('sends maxOutputTokens as max_completion_tokens', async () => {
    api.reply({ sse: openaiStream([{ content: 'Short.' }], { prompt_tokens: 1, completion_tokens: 1 }) });
    const before = api.received.length;
    await provider({ maxOutputTokens: 256 }).chat(request());
    expect(api.received[before]!.body).toMatchObject({ stream: true, max_completion_tokens: 256 });
  });

  it('puts several tool calls together by index, their arguments in pieces', async () => {
    api.reply({
      sse: openaiStream(
        [
          { tool: 0, id: 'call_a', name: 'books__lookup', arguments: '' },
          { tool: 1, id: 'call_b', name: 'books__pay', arguments: '{"invoiceId":' },
          { tool: 0, arguments: '{"invoiceId": "INV-7"}' },
          // Some compatible servers (vLLM, LiteLLM) repeat the name in later pieces.
          { tool: 1, name: 'books__pay', arguments: ' "INV-8", "amountUsd": 99}' },
        ],
        { prompt_tokens: 50, completion_tokens: 20 },
      ),
    });
    const response = await provider().chat(request({ tools: BOOKS }));
    expect(response).toEqual({
      text: null,
      toolCalls: [
        { id: 'call_a', name: 'books.lookup', arguments: { invoiceId: 'INV-7' } },
        { id: 'call_b', name: 'books.pay', arguments: { invoiceId: 'INV-8', amountUsd: 99 } },
      ],
      usage: { inputTokens: 50, outputTokens: 20 },
    });
  });

  it('takes a compatible server that sends no usage and needs no key', async () => {
    api.reply({ sse: openaiStream([{ content: 'Local.' }], null, 'llama3') });
    const before = api.received.length;
    const response = await provider({ apiKey: '' }).chat(chatRequest('llama3'));
    expect(response).toEqual({ text: 'Local.', toolCalls: [], usage: { inputTokens: 0, outputTokens: 0 } });
    expect(api.received[before]!.headers.authorization).toBe('Bearer none');
  });

  it('calls a chunk that is not JSON, or arguments that do not parse, malformed, without the key', async () => {
    api.reply({ sse: [{ data: `{"id": "chatcmpl-1", "choices": [ ${CANARY}` }] });
    const garbled = await failure(provider().chat(request()));
    expect(garbled.code).toBe('E_MODEL');
    expect(garbled.message).toBe('model provider "openai" (openai:gpt-4o-mini): malformed reply: not valid JSON');
    api.reply({
      sse: openaiStream([{ tool: 0, id: 'call_a', name: 'books__pay', arguments: '{"invoiceId": ' }], null),
    });
    const args = await failure(provider().chat(request({ tools: BOOKS })));
    expect(args.message).toMatch(/malformed reply: the arguments of tool call "books.pay" are not valid JSON$/);
  });

  it('calls a stream that ends before its finish_reason malformed', async () => {
    const events = openaiStream([{ content: 'Half' }, { content: ' of it' }], {
      prompt_tokens: 1,
      completion_tokens: 1,
    });
    api.reply({ sse: events.slice(0, 3) });
    const error = await failure(provider().chat(request()));
    expect(error.message).toMatch(/malformed reply: the stream ended before the reply finished \(no finish_reason\)$/);
    api.reply({ sse: events, cutAfter: 3 });
    const cut = await failure(provider().chat(request()));
    expect(cut.message).toMatch(/: malformed reply: the stream broke off \(terminated\b.*\)$/);
  });

  it('turns an error chunk mid-stream into one E_MODEL line with the server message, without the key', async () => {
    const events = openaiStream([{ content: 'Half' }], null);
    api.reply({
      sse: [
        ...events.slice(0, 2),
        { data: { error: { message: `The server had an error\nwhile serving ${CANARY}`, type: 'server_error' } } },
      ],
    });
    const error = await failure(provider().chat(request()));
    expect(error.message).toBe(
      'model provider "openai" (openai:gpt-4o-mini): the server reported an error mid-stream: The server had an error while serving [redacted]',
    );
  });

  it('says a whole reply to a streamed call needs stream: false', async () => {
    api.reply({
      status: 200,
      json: openaiCompletion({ content: 'Whole.' }, { prompt_tokens: 1, completion_tokens: 1 }, 'llama3'),
    });
    const error = await failure(provider({ apiKey: '' }).chat(chatRequest('llama3')));
    expect(error.message).toBe(
      'model provider "openai" (openai:llama3): malformed reply: no streamed events arrived (a server that cannot stream needs `stream: false` in warden.yaml)',
    );
  });

  it('cuts off a stream that goes quiet for timeoutMs', async () => {
    api.reply({ sse: openaiStream([{ content: 'Thinking' }], null), stallAfter: 2 });
    const error = await failure(provider({ timeoutMs: 300 }).chat(request()));
    expect(error.message).toBe(
      'model provider "openai" (openai:gpt-4o-mini): timed out (the streamed reply stopped for 300 ms)',
    );
    // Quiet from the start: the headers came, then nothing.
    api.reply({ sse: openaiStream([{ content: 'Thinking' }], null), stallAfter: 0 });
    const silent = await failure(provider({ timeoutMs: 300 }).chat(request()));
    expect(silent.message).toMatch(/: timed out \(the streamed reply stopped for 300 ms\)$/);
  });

  it('retries a 429 as retry-after says and then reads the stream', async () => {
    api.reply(
      { status: 429, headers: { 'retry-after-ms': '50' }, json: { error: { message: 'Rate limit reached' } } },
      { sse: openaiStream([{ content: 'At last.' }], { prompt_tokens: 3, completion_tokens: 2 }) },
    );
    const before = api.received.length;
    const response = await provider({ maxRetries: 1 }).chat(request());
    expect(response).toEqual({ text: 'At last.', toolCalls: [], usage: { inputTokens: 3, outputTokens: 2 } });
    expect(api.received.slice(before).map((r) => (r.body as { stream?: unknown }).stream)).toEqual([true, true]);
  });

  it('stops mid-stream with E_CANCELLED when the run is cancelled', async () => {
    api.reply({ sse: openaiStream([{ content: 'Thinking' }], null), stallAfter: 2 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const error = await failure(provider().chat(request({ signal: controller.signal })));
    expect(error.code).toBe('E_CANCELLED');
  });

  it('stops at once when cancelled during the wait before a retry, however long retry-after is', async () => {
    api.reply({ status: 429, headers: { 'retry-after': '30' }, json: { error: { message: 'Rate limit reached' } } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await failure(provider({ maxRetries: 1 }).chat(request({ signal: controller.signal })));
    expect(error.code).toBe('E_CANCELLED');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
