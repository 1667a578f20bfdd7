import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
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

/** One server-sent event: its name (Anthropic names each; OpenAI none) and its data (JSON, or text as is). */
export interface SseEvent {
  event?: string;
  data: unknown;
}

/**
 * What the fake answers one request with; `hang` never answers (a timeout or a cancellation).
 * `sse` streams events; `stallAfter` sends that many and then nothing more, keeping the
 * connection open; `cutAfter` sends that many and closes the connection. Events go `paceMs`
 * apart (default 2); 0 sends a whole stream at once.
 */
export type Reply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; raw: string; headers?: Record<string, string> }
  | { sse: SseEvent[]; stallAfter?: number; cutAfter?: number; paceMs?: number }
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
      if ('sse' in next) return streamEvents(res, next);
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

/** Writes a streamed reply, event by event, a few milliseconds apart as a real server would. */
function streamEvents(
  res: ServerResponse,
  reply: { sse: SseEvent[]; stallAfter?: number; cutAfter?: number; paceMs?: number },
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // A real server sends the headers at once; Node would hold them until the first event.
  res.flushHeaders();
  const limit = Math.min(reply.stallAfter ?? Infinity, reply.cutAfter ?? Infinity, reply.sse.length);
  let sent = 0;
  const next = (): void => {
    if (sent === limit) {
      if (reply.cutAfter !== undefined) res.destroy();
      else if (reply.stallAfter === undefined) res.end();
      return;
    }
    const { event, data } = reply.sse[sent++]!;
    res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    const pace = reply.paceMs ?? 2;
    if (pace > 0) setTimeout(next, pace);
    else next();
  };
  next();
}

/**
 * A Messages API stream as Anthropic sends it: each block started, grown by `deltas`, stopped.
 * message_delta carries the output tokens and whatever else `deltaUsage` says (the API may send
 * the other counts again as totals, or as null).
 */
export function anthropicStream(
  blocks: ({ type: 'text'; deltas: string[] } | { type: 'tool_use'; id: string; name: string; deltas: string[] })[],
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens?: number;
    cache_read_input_tokens?: number;
  },
  deltaUsage: Record<string, number | null> = {},
): SseEvent[] {
  const events: SseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          id: 'msg_01StreamedXyZ',
          type: 'message',
          role: 'assistant',
          model: 'claude-haiku-4-5',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: usage.input_tokens,
            cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
            cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
            output_tokens: 1,
          },
        },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  blocks.forEach((block, index) => {
    const start =
      block.type === 'text'
        ? { type: 'text', text: '' }
        : { type: 'tool_use', id: block.id, name: block.name, input: {} };
    events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: start } });
    for (const piece of block.deltas) {
      const delta =
        block.type === 'text' ? { type: 'text_delta', text: piece } : { type: 'input_json_delta', partial_json: piece };
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta } });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  const stop = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: stop, stop_sequence: null },
        usage: { ...deltaUsage, output_tokens: usage.output_tokens },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

/** A Chat Completions stream as OpenAI sends it: content and tool-call deltas, a finish, the usage, [DONE]. */
export function openaiStream(
  pieces: ({ content: string } | { tool: number; id?: string; name?: string; arguments?: string })[],
  usage: { prompt_tokens: number; completion_tokens: number } | null,
  model = 'gpt-4o-mini',
): SseEvent[] {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): SseEvent => ({
    data: { id: 'chatcmpl-Stream42', object: 'chat.completion.chunk', created: 1741569952, model, choices, ...extra },
  });
  const events: SseEvent[] = [chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])];
  for (const piece of pieces) {
    const delta =
      'content' in piece
        ? { content: piece.content }
        : {
            tool_calls: [
              {
                index: piece.tool,
                ...(piece.id ? { id: piece.id, type: 'function' } : {}),
                function: { ...(piece.name ? { name: piece.name } : {}), arguments: piece.arguments ?? '' },
              },
            ],
          };
    events.push(chunk([{ index: 0, delta, finish_reason: null }]));
  }
  const finish = pieces.some((p) => 'tool' in p) ? 'tool_calls' : 'stop';
  events.push(chunk([{ index: 0, delta: {}, finish_reason: finish }]));
  if (usage)
    events.push(chunk([], { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }));
  events.push({ data: '[DONE]' });
  return events;
}

/** A fake started before a file's tests and closed after them, used as the fake itself. */
export function useFakeApi(): FakeApi {
  let fake: FakeApi | undefined;
  beforeAll(async () => {
    fake = await startFakeApi();
  });
  afterAll(() => fake?.close());
  const live = (): FakeApi => {
    if (!fake) throw new Error('the fake API starts in beforeAll');
    return fake;
  };
  return {
    get url() {
      return live().url;
    },
    get received() {
      return live().received;
    },
    reply: (...replies) => live().reply(...replies),
    close: () => live().close(),
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
