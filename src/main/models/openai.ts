import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatMessage, ChatResponse, ToolCall } from '../../shared/models.js';
import { throwIfCancelled, type ChatRequest, type ModelProvider } from './provider.js';
import {
  isRecord,
  malformed,
  NOT_A_STREAM,
  objectSchema,
  parseArguments,
  tokenCount,
  ToolNames,
  callShape,
  overTheWire,
  type CallLabel,
  type HttpProviderSettings,
} from './wire.js';

const SDK_ERRORS = {
  timeout: APIConnectionTimeoutError,
  connection: APIConnectionError,
  abort: APIUserAbortError,
  api: APIError,
};

/**
 * OpenAI's Chat Completions API through the official SDK, with function tools; with a baseUrl
 * the same client speaks to OpenAI-compatible servers (Ollama, LM Studio, vLLM). The SDK
 * retries 429 and 5xx with backoff (honouring retry-after), each attempt bounded by the timeout.
 */
export class OpenAIProvider implements ModelProvider {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly settings: HttpProviderSettings;

  constructor(settings: HttpProviderSettings) {
    this.name = settings.name;
    this.settings = settings;
    this.client = new OpenAI({
      // A local server needs no key, but the SDK refuses to start without one.
      apiKey: settings.apiKey || 'none',
      baseURL: settings.baseUrl,
      timeout: settings.timeoutMs,
      maxRetries: settings.maxRetries,
      logLevel: 'off',
    });
  }

  /** Sends one turn to Chat Completions and maps the answer back; failures are E_MODEL, cancellation E_CANCELLED. */
  async chat(request: ChatRequest): Promise<ChatResponse> {
    const shape = callShape(this.settings, request, SDK_ERRORS);
    const { label } = shape;
    throwIfCancelled(request.signal, `the call to ${this.name}:${request.model}`);
    const names = new ToolNames(request.tools);
    const params = {
      model: request.model,
      messages: request.messages.map((m) => toMessage(m, names)),
      ...(this.settings.maxOutputTokens !== undefined ? { max_completion_tokens: this.settings.maxOutputTokens } : {}),
      ...(request.tools.length > 0
        ? {
            tools: request.tools.map((tool) => ({
              type: 'function' as const,
              function: {
                name: names.encode(tool.name),
                description: tool.description,
                parameters: objectSchema(tool.inputSchema),
              },
            })),
          }
        : {}),
    };
    if (this.settings.stream === false) {
      const reply = await overTheWire(shape, (signal) => this.client.chat.completions.create(params, { signal }));
      return fromReply(label, reply, names);
    }
    const completion = new StreamedCompletion(label, request.onText);
    await overTheWire(
      shape,
      (signal) =>
        this.client.chat.completions.create(
          { ...params, stream: true, stream_options: { include_usage: true } },
          { signal },
        ),
      (chunk) => completion.add(chunk),
    );
    return fromReply(label, completion.finish(), names);
  }
}

/**
 * A Chat Completions reply put together from its chunks: the first choice's content deltas,
 * its tool calls grown by index (id and name first, arguments in pieces), and the usage of the
 * last chunk (which compatible servers may leave out), in the shape the API returns without
 * streaming, so one mapping checks both.
 */
class StreamedCompletion {
  private content: string | null = null;
  private reasoning: string | null = null;
  private readonly calls: { id?: unknown; name: string; arguments: string }[] = [];
  private usage: unknown = undefined;
  private chunks = 0;
  private finished = false;

  constructor(
    private readonly label: CallLabel,
    private readonly onText?: (delta: string) => void,
  ) {}

  add(chunk: unknown): void {
    if (!isRecord(chunk)) throw malformed(this.label, 'a streamed chunk is not an object');
    this.chunks++;
    if (isRecord(chunk.usage)) this.usage = chunk.usage;
    if (!Array.isArray(chunk.choices)) throw malformed(this.label, 'a streamed chunk has no choices');
    const choice = chunk.choices.find((c) => isRecord(c) && (c.index ?? 0) === 0);
    if (isRecord(choice) && typeof choice.finish_reason === 'string') this.finished = true;
    const delta = isRecord(choice) && isRecord(choice.delta) ? choice.delta : null;
    if (!delta) return;
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.content = (this.content ?? '') + delta.content;
      this.onText?.(delta.content);
    }
    const reasoning = reasoningOf(delta);
    if (reasoning) this.reasoning = (this.reasoning ?? '') + reasoning;
    if (delta.tool_calls === undefined || delta.tool_calls === null) return;
    if (!Array.isArray(delta.tool_calls)) throw malformed(this.label, 'tool_calls is not a list');
    for (const piece of delta.tool_calls) {
      if (!isRecord(piece) || typeof piece.index !== 'number')
        throw malformed(this.label, 'a streamed tool call has no index');
      const call = (this.calls[piece.index] ??= { name: '', arguments: '' });
      if (typeof piece.id === 'string' && piece.id) call.id = piece.id;
      const fn = isRecord(piece.function) ? piece.function : {};
      // The name comes whole (some compatible servers repeat it in later pieces): never joined.
      if (typeof fn.name === 'string' && fn.name) call.name = fn.name;
      if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
    }
  }

  /** The reply, once the stream ended; one cut off before its finish_reason is a malformed reply. */
  finish(): unknown {
    if (this.chunks === 0) throw malformed(this.label, NOT_A_STREAM);
    if (!this.finished) throw malformed(this.label, 'the stream ended before the reply finished (no finish_reason)');
    const toolCalls = this.calls.map((call) => ({
      id: call.id,
      function: { name: call.name, arguments: call.arguments },
    }));
    return {
      choices: [
        {
          message: {
            content: this.content,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            ...(this.reasoning ? { reasoning_content: this.reasoning } : {}),
          },
        },
      ],
      usage: this.usage,
    };
  }
}

function toMessage(message: ChatMessage, names: ToolNames): OpenAI.ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      return {
        role: 'assistant',
        // The API wants null, not '', beside tool calls.
        content: message.content === '' && calls.length > 0 ? null : message.content,
        ...(calls.length > 0
          ? {
              tool_calls: calls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: names.encode(call.name), arguments: JSON.stringify(call.arguments) },
              })),
            }
          : {}),
      };
    }
  }
}

/** The first choice's text and function calls (arguments parsed from JSON), and the usage. */
function fromReply(label: CallLabel, reply: unknown, names: ToolNames): ChatResponse {
  if (!isRecord(reply) || !Array.isArray(reply.choices) || reply.choices.length === 0) {
    throw malformed(label, 'no choices');
  }
  const choice = reply.choices[0];
  const message = isRecord(choice) ? choice.message : undefined;
  if (!isRecord(message)) throw malformed(label, 'the first choice has no message');
  if (message.content !== undefined && message.content !== null && typeof message.content !== 'string') {
    throw malformed(label, 'the message content is not text');
  }
  const rawCalls = message.tool_calls ?? [];
  if (!Array.isArray(rawCalls)) throw malformed(label, 'tool_calls is not a list');
  const toolCalls: ToolCall[] = rawCalls.map((call, index) => {
    const fn = isRecord(call) ? call.function : undefined;
    if (!isRecord(fn) || typeof fn.name !== 'string' || !fn.name) {
      throw malformed(label, `tool call ${index} has no function name`);
    }
    const args = fn.arguments ?? '';
    if (typeof args !== 'string')
      throw malformed(label, `the arguments of tool call "${fn.name}" are not a JSON string`);
    const name = names.decode(fn.name);
    // Some compatible servers leave ids out; the conversation still needs one to pair the result.
    const id = isRecord(call) && typeof call.id === 'string' && call.id ? call.id : `call_${index}`;
    return { id, name, arguments: parseArguments(label, name, args) };
  });
  const content = typeof message.content === 'string' ? message.content : null;
  const usage = isRecord(reply.usage) ? reply.usage : {};
  const reasoning = reasoningOf(message);
  return {
    text: content === '' && toolCalls.length > 0 ? null : content,
    toolCalls,
    ...(reasoning ? { reasoning } : {}),
    usage: {
      inputTokens: tokenCount(label, usage.prompt_tokens, 'usage.prompt_tokens'),
      outputTokens: tokenCount(label, usage.completion_tokens, 'usage.completion_tokens'),
    },
  };
}

/** The reasoning some compatible servers return beside the content (`reasoning_content`, or `reasoning`), if any. */
function reasoningOf(message: Record<string, unknown>): string | null {
  const value = message.reasoning_content ?? message.reasoning;
  return typeof value === 'string' && value !== '' ? value : null;
}
