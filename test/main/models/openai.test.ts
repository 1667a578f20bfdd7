import { describe, expect, it } from 'vitest';
import { OpenAIProvider } from '../../../src/main/models/openai.js';
import type { ChatRequest } from '../../../src/main/models/provider.js';
import { openaiCompletion, chatRequest, failure, useFakeApi } from './fake-api.js';

const CANARY = 'sk-proj-canary-93c0e1f2ab';

const api = useFakeApi();

function provider(overrides: { timeoutMs?: number; maxRetries?: number; apiKey?: string } = {}): OpenAIProvider {
  return new OpenAIProvider({
    name: 'openai',
    baseUrl: `${api.url}/v1`,
    apiKey: overrides.apiKey ?? CANARY,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxRetries: overrides.maxRetries ?? 0,
    // Replies here are whole JSON bodies; the streamed path has its own tests (*-stream.test.ts).
    stream: false,
  });
}

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return chatRequest('gpt-4o-mini', overrides);
}

describe('OpenAIProvider against a local Chat Completions API', () => {
  it('sends the conversation with a bearer key and maps text and usage back', async () => {
    api.reply({
      status: 200,
      json: openaiCompletion({ content: 'Invoice 7 is paid.' }, { prompt_tokens: 19, completion_tokens: 7 }),
    });
    const before = api.received.length;
    const response = await provider().chat(request());
    expect(response).toEqual({
      text: 'Invoice 7 is paid.',
      toolCalls: [],
      usage: { inputTokens: 19, outputTokens: 7 },
    });
    const sent = api.received[before]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(sent.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You pay invoices.' },
        { role: 'user', content: 'Pay invoice 7.' },
      ],
    });
  });

  it('offers function tools and parses the JSON arguments of the calls it gets back', async () => {
    api.reply({
      status: 200,
      json: openaiCompletion(
        {
          content: null,
          tool_calls: [
            {
              id: 'call_FthC9qRpsL5kBpwwyw6c7j4k',
              type: 'function',
              function: { name: 'books__post_payment', arguments: '{"invoice":7,"amount":120.5}' },
            },
          ],
        },
        { prompt_tokens: 52, completion_tokens: 21 },
      ),
    });
    const before = api.received.length;
    const response = await provider().chat(
      request({
        tools: [{ name: 'books.post_payment', description: 'Posts a payment', inputSchema: { type: 'object' } }],
        messages: [
          { role: 'user', content: 'Pay invoice 7.' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_a', name: 'books.lookup', arguments: { invoice: 7 } }],
          },
          { role: 'tool', toolCallId: 'call_a', name: 'books.lookup', content: '{"due":120.5}' },
        ],
      }),
    );
    expect(response).toEqual({
      text: null,
      toolCalls: [
        { id: 'call_FthC9qRpsL5kBpwwyw6c7j4k', name: 'books.post_payment', arguments: { invoice: 7, amount: 120.5 } },
      ],
      usage: { inputTokens: 52, outputTokens: 21 },
    });
    expect(api.received[before]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Pay invoice 7.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'books__lookup', arguments: '{"invoice":7}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '{"due":120.5}' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'books__post_payment', description: 'Posts a payment', parameters: { type: 'object' } },
        },
      ],
    });
  });

  it('waits as long as retry-after says after a 429, then succeeds', async () => {
    api.reply(
      {
        status: 429,
        headers: { 'retry-after': '1' },
        json: {
          error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', code: 'rate_limit_exceeded' },
        },
      },
      { status: 200, json: openaiCompletion({ content: 'ok' }, { prompt_tokens: 3, completion_tokens: 1 }) },
    );
    const before = api.received.length;
    const response = await provider({ maxRetries: 2 }).chat(request());
    expect(response.text).toBe('ok');
    const [first, second] = api.received.slice(before);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
  });

  it('gives up after maxRetries of 5xx with one E_MODEL line naming the provider and the status', async () => {
    const down = { error: { message: 'The server had an error while processing your request.', type: 'server_error' } };
    api.reply(
      { status: 503, headers: { 'retry-after-ms': '10' }, json: down },
      { status: 503, headers: { 'retry-after-ms': '10' }, json: down },
    );
    const before = api.received.length;
    const error = await failure(provider({ maxRetries: 1 }).chat(request()));
    expect(api.received.length - before).toBe(2);
    expect(error.code).toBe('E_MODEL');
    expect(error.message).toBe(
      'model provider "openai" (openai:gpt-4o-mini): HTTP 503: The server had an error while processing your request.',
    );
  });

  it('times out a call that gets no answer within timeoutMs', async () => {
    api.reply('hang');
    const error = await failure(provider({ timeoutMs: 200 }).chat(request()));
    expect(error.code).toBe('E_MODEL');
    expect(error.message).toMatch(/^model provider "openai" .*: timed out/);
  });

  it('stops waiting with E_CANCELLED when the run is cancelled', async () => {
    api.reply('hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(provider().chat(request({ signal: controller.signal })));
    expect(error.code).toBe('E_CANCELLED');
  });

  it('calls a reply that is not JSON, has no choices, or has arguments that are not JSON malformed', async () => {
    api.reply({ status: 200, raw: '<html>502 Bad Gateway</html>' }, { status: 200, json: { id: 'x', choices: [] } });
    expect((await failure(provider().chat(request()))).message).toMatch(/^model provider "openai" .*: malformed reply/);
    expect((await failure(provider().chat(request()))).message).toMatch(/malformed reply: no choices$/);
    api.reply({
      status: 200,
      json: openaiCompletion(
        {
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'books__lookup', arguments: '{"invoice":' } }],
        },
        { prompt_tokens: 1, completion_tokens: 1 },
      ),
    });
    const badArgs = await failure(
      provider().chat(request({ tools: [{ name: 'books.lookup', description: '', inputSchema: {} }] })),
    );
    expect(badArgs.code).toBe('E_MODEL');
    expect(badArgs.message).toMatch(/malformed reply: the arguments of tool call "books.lookup" are not valid JSON$/);
  });

  it('speaks to an OpenAI-compatible server that needs no key and reports no usage', async () => {
    api.reply({
      status: 200,
      json: { id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' } }] },
    });
    const response = await provider({ apiKey: '' }).chat(request({ model: 'llama3.2' }));
    expect(response).toEqual({ text: 'hi', toolCalls: [], usage: { inputTokens: 0, outputTokens: 0 } });
  });

  it('keeps the key out of the error even when the server echoes it', async () => {
    api.reply({
      status: 401,
      json: { error: { message: `Incorrect API key provided: ${CANARY}.`, code: 'invalid_api_key' } },
    });
    const error = await failure(provider().chat(request()));
    expect(error.message).toContain('HTTP 401');
    expect(error.message).not.toContain(CANARY);
  });

  it('keeps even part of a refused key out: the message of a 401 or 403 is not kept', async () => {
    // OpenAI quotes the start and the end of a wrong key.
    const masked = `${CANARY.slice(0, 8)}****${CANARY.slice(-4)}`;
    api.reply({
      status: 401,
      json: { error: { message: `Incorrect API key provided: ${masked}.`, code: 'invalid_api_key' } },
    });
    const error = await failure(provider().chat(request()));
    expect(error.message).toBe(
      'model provider "openai" (openai:gpt-4o-mini): HTTP 401: the API key was refused (check it, and that it may use this model)',
    );
  });
});
