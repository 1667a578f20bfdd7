import type { JsonValue } from '../../shared/json.js';
import { RemovedContentSchema, type RemovedContent } from '../../shared/trace.js';

/**
 * A model call's content in the shapes of OpenTelemetry's GenAI semantic conventions
 * (`gen_ai.input.messages`, `gen_ai.output.messages`, `gen_ai.system_instructions`,
 * `gen_ai.tool.definitions`): messages of typed parts. Content that retention removed stays a
 * RemovedContent (`{ removed: { sha256, at, by, reason } }`) where its body would be: one message
 * of a list, the whole list of tools, the reply.
 */

/** One part of a message, as the conventions type them (`text`, `tool_call`, `tool_call_response`, `reasoning`). */
type Part = Record<string, JsonValue>;
/** A message in the conventions' shape, or content removed by retention in its place. */
type Message = { role: string; parts: Part[]; finish_reason?: string } | RemovedContent;

/** What a model call's request and reply become, each as the JSON an attribute holds; null where the call kept none. */
export interface GenAiContent {
  systemInstructions: string | null;
  inputMessages: string | null;
  toolDefinitions: string | null;
  outputMessages: string | null;
  /** Why the model stopped, as the conventions name it, when the reply is there to say. */
  finishReason: 'stop' | 'tool_call' | null;
  /** Whether retention removed any of it. */
  removed: boolean;
}

/** The GenAI content of a model span's `request` ({ messages, tools }) and `reply` ({ text, toolCalls, reasoning? }). */
export function genAiContent(request: JsonValue | undefined, reply: JsonValue | undefined): GenAiContent {
  let removed = false;
  const system: Part[] = [];
  const input: Message[] = [];
  let tools: JsonValue | null = null;
  if (isRecord(request)) {
    for (const message of Array.isArray(request.messages) ? request.messages : []) {
      const gone = asRemoved(message);
      if (gone) {
        removed = true;
        input.push(gone);
      } else if (isRecord(message) && message.role === 'system') system.push(textPart(message.content));
      else if (isRecord(message)) input.push(inputMessage(message));
    }
    const offered = request.tools;
    const gone = asRemoved(offered);
    if (gone) {
      removed = true;
      tools = gone;
    } else if (Array.isArray(offered) && offered.length > 0) tools = offered.map(toolDefinition);
  }
  let output: Message[] | null = null;
  let finishReason: GenAiContent['finishReason'] = null;
  const replyGone = asRemoved(reply);
  if (replyGone) {
    removed = true;
    output = [replyGone];
  } else if (isRecord(reply)) {
    const calls = Array.isArray(reply.toolCalls) ? reply.toolCalls : [];
    finishReason = calls.length > 0 ? 'tool_call' : 'stop';
    const parts = [
      ...(typeof reply.reasoning === 'string' ? [{ type: 'reasoning', content: reply.reasoning }] : []),
      ...(typeof reply.text === 'string' && reply.text !== '' ? [textPart(reply.text)] : []),
      ...calls.map(toolCallPart),
    ];
    output = [{ role: 'assistant', parts, finish_reason: finishReason }];
  }
  return {
    systemInstructions: system.length > 0 ? JSON.stringify(system) : null,
    inputMessages: input.length > 0 ? JSON.stringify(input) : null,
    toolDefinitions: tools === null ? null : JSON.stringify(tools),
    outputMessages: output === null ? null : JSON.stringify(output),
    finishReason,
    removed,
  };
}

/** A user, assistant or tool message of Warden's ChatMessage shape, as the conventions' message. */
function inputMessage(message: Record<string, JsonValue>): Message {
  const role = String(message.role);
  if (role === 'tool')
    return {
      role,
      parts: [{ type: 'tool_call_response', id: str(message.toolCallId), response: str(message.content) }],
    };
  const calls = Array.isArray(message.toolCalls) ? message.toolCalls : [];
  const text = str(message.content);
  return { role, parts: [...(text !== '' || calls.length === 0 ? [textPart(text)] : []), ...calls.map(toolCallPart)] };
}

function textPart(content: JsonValue | undefined): Part {
  return { type: 'text', content: str(content) };
}

function toolCallPart(call: JsonValue): Part {
  const c = isRecord(call) ? call : {};
  return { type: 'tool_call', id: str(c.id), name: str(c.name), arguments: c.arguments ?? {} };
}

/** A tool offered to the model (name, description, inputSchema) as the conventions' function definition. */
function toolDefinition(tool: JsonValue): JsonValue {
  const t = isRecord(tool) ? tool : {};
  return { type: 'function', name: str(t.name), description: str(t.description), parameters: t.inputSchema ?? {} };
}

/** The value as content removed by retention, or undefined when it is not. */
export function asRemoved(value: JsonValue | undefined): RemovedContent | undefined {
  const parsed = RemovedContentSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Whether a JSON value is an object (not an array, not null). */
export function isRecord(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}
