import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { ChatRequest } from '../../../src/main/models/provider.js';
import { WardenError } from '../../../src/shared/errors.js';

/** A request the fake received: where, with which headers and body, and when (ms since start). */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  at: number;
}

/** What the fake answers one request with; `hang` never answers (a timeout or a cancellation). */
export type Reply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; raw: string; headers?: Record<string, string> }
  | 'hang';

/** A local stand-in for a provider's HTTP API: answers requests in order from a list of replies. */
export interface FakeApi {
  url: string;
  received: Received[];
  /** Adds replies to the queue; when it is empty the fake answers 500. */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

/** Starts a fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeApi(): Promise<FakeApi> {
  const queue: Reply[] = [];
  const received: Received[] = [];
  const started = performance.now();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : null,
        at: performance.now() - started,
      });
      const next = queue.shift() ?? { status: 500, json: { error: { message: 'fake: no reply queued' } } };
      if (next === 'hang') return;
      const body = 'json' in next ? JSON.stringify(next.json) : next.raw;
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Messages API reply as Anthropic sends it. */
export function anthropicMessage(
  content: unknown[],
  usage: { input_tokens: number; output_tokens: number },
  model = 'claude-haiku-4-5',
): unknown {
  return {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: content.some((b) => (b as { type: string }).type === 'tool_use') ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
  };
}

/** A Chat Completions reply as OpenAI sends it. */
export function openaiCompletion(
  message: { content: string | null; tool_calls?: unknown[] },
  usage: { prompt_tokens: number; completion_tokens: number },
  model = 'gpt-4o-mini',
): unknown {
  return {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    object: 'chat.completion',
    created: 1741569952,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', refusal: null, annotations: [], ...message },
        logprobs: null,
        finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
      },
    ],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    service_tier: 'default',
    system_fingerprint: 'fp_06737a9306',
  };
}

/** The request both providers' tests send: a system prompt and one user turn, to `model`. */
export function chatRequest(model: string, overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    agentId: 'payments',
    model,
    messages: [
      { role: 'system', content: 'You pay invoices.' },
      { role: 'user', content: 'Pay invoice 7.' },
    ],
    tools: [],
    task: {},
    ...overrides,
  };
}

/** The WardenError a call rejects with (failing the test if it resolves or throws anything else). */
export async function failure(promise: Promise<unknown>): Promise<WardenError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WardenError);
  return error as WardenError;
}
