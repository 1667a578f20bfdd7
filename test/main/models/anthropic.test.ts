import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../../src/main/models/anthropic.js';
import type { ChatRequest } from '../../../src/main/models/provider.js';
import { anthropicMessage, chatRequest, failure, startFakeApi, useFakeApi } from './fake-api.js';

const CANARY = 'sk-ant-canary-4b1e9d0c7a';

const api = useFakeApi();

function provider(overrides: { timeoutMs?: number; maxRetries?: number; baseUrl?: string } = {}): AnthropicProvider {
  return new AnthropicProvider({
    name: 'anthropic',
    baseUrl: overrides.baseUrl ?? api.url,
    apiKey: CANARY,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxRetries: overrides.maxRetries ?? 0,
    // Replies here are whole JSON bodies; the streamed path has its own tests (*-stream.test.ts).
    stream: false,
  });
}

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return chatRequest('claude-haiku-4-5', overrides);
}

describe('AnthropicProvider against a local Messages API', () => {
  it('sends the system prompt apart and the key in a header, and maps text and usage back', async () => {
    api.reply({
      status: 200,
      json: anthropicMessage([{ type: 'text', text: 'Invoice 7 is paid.' }], { input_tokens: 21, output_tokens: 6 }),
    });
    const before = api.received.length;
    const response = await provider().chat(request());
    expect(response).toEqual({
      text: 'Invoice 7 is paid.',
      toolCalls: [],
      usage: { inputTokens: 21, outputTokens: 6 },
    });
    const sent = api.received[before]!;
    expect(sent.path).toBe('/v1/messages');
    // Which header carries the key is the SDK's business; that it is sent is ours.
    expect([sent.headers['x-api-key'], sent.headers.authorization]).toContainEqual(expect.stringContaining(CANARY));
    expect(sent.body).toMatchObject({
      model: 'claude-haiku-4-5',
      system: 'You pay invoices.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Pay invoice 7.' }] }],
    });
    expect(sent.body).not.toHaveProperty('tools');
  });

  it('offers tools under API-safe names and returns tool calls under Warden names with their input', async () => {
    api.reply({
      status: 200,
      json: anthropicMessage(
        [
          { type: 'text', text: 'Paying now.' },
          {
            type: 'tool_use',
            id: 'toolu_01A09q90qw90lq917835lq9',
            name: 'books__post_payment',
            input: { invoice: 7, amount: 120.5 },
          },
        ],
        { input_tokens: 40, output_tokens: 18 },
      ),
    });
    const before = api.received.length;
    const response = await provider().chat(
      request({
        tools: [
          {
            name: 'books.post_payment',
            description: 'Posts a payment',
            inputSchema: { type: 'object', properties: { invoice: { type: 'number' } } },
          },
        ],
        messages: [
          { role: 'system', content: 'You pay invoices.' },
          { role: 'user', content: 'Pay invoices 7 and 8.' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [
              { id: 'toolu_a', name: 'books.lookup', arguments: { invoice: 7 } },
              { id: 'toolu_b', name: 'books.lookup', arguments: { invoice: 8 } },
            ],
          },
          { role: 'tool', toolCallId: 'toolu_a', name: 'books.lookup', content: '{"due":120.5}' },
          { role: 'tool', toolCallId: 'toolu_b', name: 'books.lookup', content: '{"due":0}' },
        ],
      }),
    );
    expect(response).toEqual({
      text: 'Paying now.',
      toolCalls: [
        { id: 'toolu_01A09q90qw90lq917835lq9', name: 'books.post_payment', arguments: { invoice: 7, amount: 120.5 } },
      ],
      usage: { inputTokens: 40, outputTokens: 18 },
    });
    const body = api.received[before]!.body as { tools: unknown[]; messages: unknown[] };
    expect(body.tools).toEqual([
      {
        name: 'books__post_payment',
        description: 'Posts a payment',
        input_schema: { type: 'object', properties: { invoice: { type: 'number' } } },
      },
    ]);
    // Both results answer one assistant turn, so they share the next user turn.
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Pay invoices 7 and 8.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_a', name: 'books__lookup', input: { invoice: 7 } },
          { type: 'tool_use', id: 'toolu_b', name: 'books__lookup', input: { invoice: 8 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_a', content: '{"due":120.5}' },
          { type: 'tool_result', tool_use_id: 'toolu_b', content: '{"due":0}' },
        ],
      },
    ]);
  });

  it('waits as long as retry-after says after a 429, then succeeds', async () => {
    api.reply(
      {
        status: 429,
        headers: { 'retry-after': '1' },
        json: {
          type: 'error',
          error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit' },
        },
      },
      { status: 200, json: anthropicMessage([{ type: 'text', text: 'ok' }], { input_tokens: 3, output_tokens: 1 }) },
    );
    const before = api.received.length;
    const response = await provider({ maxRetries: 2 }).chat(request());
    expect(response.text).toBe('ok');
    const [first, second] = api.received.slice(before);
    expect(second).toBeDefined();
    // retry-after: 1 means a second; the SDK's own backoff would start at half that.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
  });

  it('gives up after maxRetries of 5xx with one E_MODEL line naming the provider and the status', async () => {
    const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    api.reply(
      { status: 529, headers: { 'retry-after-ms': '10' }, json: overloaded },
      { status: 529, headers: { 'retry-after-ms': '10' }, json: overloaded },
    );
    const error = await failure(provider({ maxRetries: 1 }).chat(request()));
    expect(error.code).toBe('E_MODEL');
    expect(error.message).toBe('model provider "anthropic" (anthropic:claude-haiku-4-5): HTTP 529: Overloaded');
  });

  it('times out a call that gets no answer within timeoutMs', async () => {
    api.reply('hang');
    const error = await failure(provider({ timeoutMs: 200 }).chat(request()));
    expect(error.code).toBe('E_MODEL');
    expect(error.message).toMatch(/^model provider "anthropic" .*: timed out/);
  });

  it('stops waiting with E_CANCELLED when the run is cancelled', async () => {
    api.reply('hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(provider().chat(request({ signal: controller.signal })));
    expect(error.code).toBe('E_CANCELLED');
  });

  it('calls a reply that is not JSON, or lacks its content, malformed', async () => {
    api.reply({ status: 200, raw: '{"id": "msg_1", "content": [' });
    const notJson = await failure(provider().chat(request()));
    expect(notJson.code).toBe('E_MODEL');
    expect(notJson.message).toMatch(/^model provider "anthropic" \(anthropic:claude-haiku-4-5\): malformed reply/);
    api.reply({ status: 200, json: { id: 'msg_1', type: 'message', usage: { input_tokens: 1, output_tokens: 1 } } });
    const noContent = await failure(provider().chat(request()));
    expect(noContent.message).toMatch(/malformed reply: no content blocks$/);
  });

  it('says an endpoint nobody listens on is unreachable', async () => {
    const gone = await startFakeApi();
    await gone.close();
    const error = await failure(provider({ baseUrl: gone.url }).chat(request()));
    expect(error.code).toBe('E_MODEL');
    expect(error.message).toMatch(/unreachable/);
  });

  it('keeps the key out of the error even when the server echoes it', async () => {
    api.reply({
      status: 401,
      json: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${CANARY}` } },
    });
    const error = await failure(provider().chat(request()));
    expect(error.message).toContain('HTTP 401');
    expect(error.message).not.toContain(CANARY);
    expect(error.message).not.toContain('\n');
  });
});
