import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import type { ChatMessage, ChatResponse, ToolCall } from '../../shared/models.js';
import { throwIfCancelled, type ChatRequest, type ModelProvider } from './provider.js';
import {
  isRecord,
  malformed,
  NOT_A_STREAM,
  objectSchema,
  callShape,
  overTheWire,
  parseArguments,
  tokenCount,
  ToolNames,
  type CallLabel,
  type HttpProviderSettings,
} from './wire.js';

/** The Messages API requires a cap on the answer's length; agents' turns are short. */
const MAX_OUTPUT_TOKENS = 4096;

const SDK_ERRORS = {
  timeout: APIConnectionTimeoutError,
  connection: APIConnectionError,
  abort: APIUserAbortError,
  api: APIError,
};

/**
 * Claude through the official SDK's Messages API, with tool use. The SDK retries 429 and 5xx
 * with backoff (honouring retry-after), each attempt bounded by the timeout.
 */
export class AnthropicProvider implements ModelProvider {
  readonly name: string;
  private readonly client: Anthropic;
  private readonly settings: HttpProviderSettings;

  constructor(settings: HttpProviderSettings) {
    this.name = settings.name;
    this.settings = settings;
    this.client = new Anthropic({
      apiKey: settings.apiKey,
      baseURL: settings.baseUrl,
      timeout: settings.timeoutMs,
      maxRetries: settings.maxRetries,
      // Failures reach the run as WardenErrors; the SDK's own console output would only repeat them.
      logLevel: 'off',
    });
  }

  /** Sends one turn to the Messages API and maps the answer back; failures are E_MODEL, cancellation E_CANCELLED. */
  async chat(request: ChatRequest): Promise<ChatResponse> {
    const shape = callShape(this.settings, request, SDK_ERRORS);
    const { label } = shape;
    throwIfCancelled(request.signal, `the call to ${this.name}:${request.model}`);
    const names = new ToolNames(request.tools);
    const system = request.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n\n');
    const params = {
      model: request.model,
      max_tokens: this.settings.maxOutputTokens ?? MAX_OUTPUT_TOKENS,
      ...(system ? { system } : {}),
      messages: toMessages(request.messages, names),
      ...(request.tools.length > 0
        ? {
            tools: request.tools.map((tool) => ({
              name: names.encode(tool.name),
              description: tool.description,
              input_schema: objectSchema(tool.inputSchema) as Anthropic.Tool.InputSchema,
            })),
          }
        : {}),
    };
    if (this.settings.stream === false) {
      const reply = await overTheWire(shape, (signal) => this.client.messages.create(params, { signal }));
      return fromReply(label, reply, names);
    }
    const message = new StreamedMessage(label, names, request.onText);
    await overTheWire(
      shape,
      (signal) => this.client.messages.create({ ...params, stream: true }, { signal }),
      (event) => message.add(event),
    );
    return fromReply(label, message.finish(), names);
  }
}

/** A content block as its events build it: text so far, or a tool's id, name, input JSON so far and, once stopped, input. */
interface StreamedBlock {
  type: string;
  text?: string;
  id?: unknown;
  name?: unknown;
  json?: string;
  input?: unknown;
}

/**
 * A Messages API reply put together from its stream of events (message_start, content blocks
 * started, grown by text and partial-JSON deltas, and stopped, message_delta, message_stop), in
 * the shape the API returns without streaming, so one mapping checks both.
 */
class StreamedMessage {
  private readonly blocks: StreamedBlock[] = [];
  private usage: Record<string, unknown> = {};
  private events = 0;
  private stopped = false;

  constructor(
    private readonly label: CallLabel,
    private readonly names: ToolNames,
    private readonly onText?: (delta: string) => void,
  ) {}

  add(event: unknown): void {
    if (!isRecord(event)) throw malformed(this.label, 'a stream event is not an object');
    this.events++;
    switch (event.type) {
      case 'message_start': {
        const message = isRecord(event.message) ? event.message : {};
        if (isRecord(message.usage)) this.usage = { ...message.usage };
        break;
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (!isRecord(block) || typeof event.index !== 'number')
          throw malformed(this.label, 'a content block has no start');
        const text =
          typeof block.text === 'string' ? block.text : typeof block.thinking === 'string' ? block.thinking : '';
        this.blocks[event.index] =
          block.type === 'tool_use'
            ? { type: 'tool_use', id: block.id, name: block.name, json: '' }
            : { type: String(block.type), text };
        if (block.type === 'text' && text) this.onText?.(text);
        break;
      }
      case 'content_block_delta': {
        const block = this.block(event.index);
        const delta = isRecord(event.delta) ? event.delta : {};
        if (delta.type === 'text_delta' && typeof delta.text === 'string') {
          block.text = (block.text ?? '') + delta.text;
          if (delta.text) this.onText?.(delta.text);
        } else if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') {
          block.text = (block.text ?? '') + delta.thinking;
        } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          block.json = (block.json ?? '') + delta.partial_json;
        }
        break;
      }
      case 'content_block_stop': {
        // A tool's input is whole once its block stops: parsed now, so a bad one fails at once.
        const block = this.block(event.index);
        if (block.type === 'tool_use') block.input = parseArguments(this.label, this.toolName(block), block.json ?? '');
        break;
      }
      case 'message_delta':
        // Its counts are cumulative totals that replace message_start's; one left null still stands.
        if (isRecord(event.usage)) {
          for (const [key, value] of Object.entries(event.usage)) if (value != null) this.usage[key] = value;
        }
        break;
      case 'message_stop':
        this.stopped = true;
        break;
      // ping and events added later carry nothing to keep.
    }
  }

  /** The reply, once the stream ended with message_stop; a stream cut short is a malformed reply. */
  finish(): unknown {
    if (this.events === 0) throw malformed(this.label, NOT_A_STREAM);
    if (!this.stopped) throw malformed(this.label, 'the stream ended before message_stop');
    const content = this.blocks.map((block) => {
      if (block.type === 'thinking') return { type: 'thinking', thinking: block.text };
      if (block.type !== 'tool_use') return { type: block.type, text: block.text };
      if (block.input === undefined) throw malformed(this.label, `tool call "${this.toolName(block)}" never ended`);
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    });
    return { content, usage: this.usage };
  }

  private block(index: unknown): StreamedBlock {
    const block = typeof index === 'number' ? this.blocks[index] : undefined;
    if (!block) throw malformed(this.label, 'an event for a content block that never started');
    return block;
  }

  /** The Warden name of a tool_use block's tool, as errors name it. */
  private toolName(block: { name?: unknown }): string {
    return this.names.decode(typeof block.name === 'string' ? block.name : '');
  }
}

/**
 * Warden's conversation as Messages API turns: system messages go to `system`, a tool result
 * is a `tool_result` block of a user turn, and consecutive user-side messages share one turn
 * (the API expects every result of an assistant's tool calls in the next user turn).
 */
function toMessages(messages: readonly ChatMessage[], names: ToolNames): Anthropic.MessageParam[] {
  const out: Anthropic.MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: Anthropic.ContentBlockParam[]): void => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        break;
      case 'user':
        push('user', [{ type: 'text', text: message.content }]);
        break;
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }]);
        break;
      case 'assistant':
        push('assistant', [
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...(message.toolCalls ?? []).map((call) => ({
            type: 'tool_use' as const,
            id: call.id,
            name: names.encode(call.name),
            input: call.arguments,
          })),
        ]);
        break;
    }
  }
  return out;
}

/** Text blocks joined, tool_use blocks as tool calls, usage counted with cache tokens as input. */
function fromReply(label: CallLabel, reply: unknown, names: ToolNames): ChatResponse {
  if (!isRecord(reply) || !Array.isArray(reply.content)) throw malformed(label, 'no content blocks');
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const thinking: string[] = [];
  for (const block of reply.content) {
    if (!isRecord(block)) throw malformed(label, 'a content block is not an object');
    if (block.type === 'text') {
      if (typeof block.text !== 'string') throw malformed(label, 'a text block has no text');
      texts.push(block.text);
    } else if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || !block.id || typeof block.name !== 'string' || !isRecord(block.input)) {
        throw malformed(label, 'a tool_use block lacks its id, name or object input');
      }
      toolCalls.push({ id: block.id, name: names.decode(block.name), arguments: block.input });
    } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      thinking.push(block.thinking);
    } else if (block.type === 'redacted_thinking') {
      thinking.push('[thinking the provider encrypted]');
    }
    // Other blocks (server tools) carry nothing an agent acts on.
  }
  const usage = isRecord(reply.usage) ? reply.usage : {};
  const inputTokens =
    tokenCount(label, usage.input_tokens, 'usage.input_tokens') +
    tokenCount(label, usage.cache_creation_input_tokens, 'usage.cache_creation_input_tokens') +
    tokenCount(label, usage.cache_read_input_tokens, 'usage.cache_read_input_tokens');
  return {
    text: texts.length > 0 ? texts.join('') : null,
    toolCalls,
    usage: { inputTokens, outputTokens: tokenCount(label, usage.output_tokens, 'usage.output_tokens') },
    ...(thinking.length > 0 ? { reasoning: thinking.join('\n\n') } : {}),
  };
}
