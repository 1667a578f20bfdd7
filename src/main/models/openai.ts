import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { ChatMessage, ChatResponse, ToolCall } from '../../shared/models.js';
import type { HttpProviderSettings } from './anthropic.js';
import { throwIfCancelled, type ChatRequest, type ModelProvider } from './provider.js';
import {
  callFailure,
  isRecord,
  malformed,
  objectSchema,
  parseArguments,
  tokenCount,
  ToolNames,
  type CallLabel,
} from './wire.js';

const SDK_ERRORS = { timeout: APIConnectionTimeoutError, connection: APIConnectionError, abort: APIUserAbortError };

/**
 * OpenAI's Chat Completions API through the official SDK, with function tools; with a baseUrl
 * the same client speaks to OpenAI-compatible servers (Ollama, LM Studio, vLLM). The SDK
 * retries 429 and 5xx with backoff (honouring retry-after), each attempt bounded by the timeout.
 */
export class OpenAIProvider implements ModelProvider {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly apiKey: string;

  constructor(settings: HttpProviderSettings) {
    this.name = settings.name;
    this.apiKey = settings.apiKey;
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
    const label: CallLabel = { provider: this.name, model: request.model };
    throwIfCancelled(request.signal, `the call to ${this.name}:${request.model}`);
    const names = new ToolNames(request.tools);
    let reply: unknown;
    try {
      reply = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages.map((m) => toMessage(m, names)),
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
        },
        request.signal ? { signal: request.signal } : {},
      );
    } catch (error) {
      throw callFailure(label, error, this.apiKey ? [this.apiKey] : [], request.signal, SDK_ERRORS);
    }
    return fromReply(label, reply, names);
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
  return {
    text: content === '' && toolCalls.length > 0 ? null : content,
    toolCalls,
    usage: {
      inputTokens: tokenCount(label, usage.prompt_tokens, 'usage.prompt_tokens'),
      outputTokens: tokenCount(label, usage.completion_tokens, 'usage.completion_tokens'),
    },
  };
}
