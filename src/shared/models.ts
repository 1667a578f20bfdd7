import { z } from 'zod';
import { JsonValueSchema, type JsonValue } from './json.js';

/**
 * What an agent program exchanges with a model through `warden.model(request)`, and the file
 * format of the scripted model (a roster's models/*.yaml). The request comes out of an
 * isolate, so the host parses it with {@link ModelRequestSchema} before any provider sees it.
 */

/** A tool call a model asked for; `name` is the roster's `server.tool`, e.g. "books.post_payment". */
export const ToolCallSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.record(z.string(), JsonValueSchema),
});
/** A tool call a model asked for. */
export type ToolCall = z.infer<typeof ToolCallSchema>;

/** One message of a conversation; a tool message answers the assistant's tool call `toolCallId`. */
export const ChatMessageSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('system'), content: z.string() }),
  z.strictObject({ role: z.literal('user'), content: z.string() }),
  // Content may be '' when the assistant only called tools.
  z.strictObject({ role: z.literal('assistant'), content: z.string(), toolCalls: z.array(ToolCallSchema).optional() }),
  z.strictObject({
    role: z.literal('tool'),
    toolCallId: z.string().min(1),
    name: z.string().min(1),
    content: z.string(),
  }),
]);
/** One message of a conversation. */
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** A tool offered to the model, with the JSON Schema of its input (as its MCP server describes it). */
export const ToolDefinitionSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  inputSchema: JsonValueSchema,
});
/** A tool offered to the model. */
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;

/** What an agent program may pass to `warden.model(...)`; the model itself is the manifest's choice, not the program's. */
export const ModelRequestSchema = z.strictObject({
  messages: z.array(ChatMessageSchema).min(1, 'expected at least one message'),
  tools: z.array(ToolDefinitionSchema).optional(),
});
/** What an agent program may pass to `warden.model(...)`. */
export type ModelRequest = z.infer<typeof ModelRequestSchema>;

/** Tokens one model call consumed, as the provider counts them. */
export const TokenUsageSchema = z.strictObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
/** Tokens one model call consumed. */
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

/** A model's answer: final text (null when it only called tools), the tool calls it asked for, and its usage. */
export const ChatResponseSchema = z.strictObject({
  text: z.string().nullable(),
  toolCalls: z.array(ToolCallSchema),
  usage: TokenUsageSchema,
  /** Reasoning or thinking the provider returned with the answer (Anthropic's thinking blocks), kept in the ledger. */
  reasoning: z.string().optional(),
});
/** A model's answer. */
export type ChatResponse = z.infer<typeof ChatResponseSchema>;

/** Finds every `{{ ref }}` in a string of a scripted reply; use with `replace`/`matchAll` only (it is global). */
export const TEMPLATE_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** A string that is exactly one template, and so keeps the type of the value it names. */
export const WHOLE_TEMPLATE_PATTERN = /^\{\{\s*([^{}]*?)\s*\}\}$/;
/** The refs a template may hold: `last`, `task`/`lastJson` each with an optional dotted path. */
export const TEMPLATE_REF_PATTERN = /^(?:last|(?:task|lastJson)(?:\.[^.\s{}]+)*)$/;

const TEMPLATE_HINT = 'expected templates {{task.<path>}}, {{last}} or {{lastJson.<path>}}';

/** Reports every string under `value` holding a template with an unknown ref, at its path. */
function checkTemplates(value: unknown, path: PropertyKey[], ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(TEMPLATE_PATTERN)) {
      if (!TEMPLATE_REF_PATTERN.test(match[1]!)) {
        ctx.addIssue({ code: 'custom', path, message: TEMPLATE_HINT, input: value });
        return;
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkTemplates(item, [...path, i], ctx));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkTemplates(item, [...path, key], ctx);
  }
}

/** A JavaScript regular expression, compiled once here so a bad one is a file error, not a run error. */
const RegexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    // V8 says "Invalid regular expression: /(/: Unterminated group"; the pattern is shown anyway.
    const why = (error as Error).message.split(': ').pop();
    ctx.addIssue({ code: 'custom', message: `expected a JavaScript regular expression (${why})`, input: source });
  }
});

const TURN_HINT = 'expected a whole number >= 0 (assistant messages so far)';

/** When a scripted rule applies: every condition given must hold; none given matches every call. */
export const ScriptConditionSchema = z.strictObject({
  /** Exact agent id. */
  agent: z.string().min(1).optional(),
  /** Exact model name, the part of `scripted:<model>` after the colon. */
  model: z.string().min(1).optional(),
  /** Subset of the run's task input: objects match by their given keys, deeply; anything else by JSON equality. */
  task: JsonValueSchema.optional(),
  /** Searched for (not anchored) in the content of the last message, whatever its role. */
  lastMessage: RegexSource.optional(),
  /** The last message is the result of this tool. */
  lastTool: z.string().min(1).optional(),
  /** Assistant messages so far in the conversation: 0 on the first call. */
  turn: z.number(TURN_HINT).int(TURN_HINT).nonnegative(TURN_HINT).optional(),
});
/** When a scripted rule applies. */
export type ScriptCondition = z.infer<typeof ScriptConditionSchema>;

/** A tool call in a scripted reply; strings in its arguments may hold templates. */
export const ScriptToolCallSchema = z.strictObject({
  name: z.string().min(1),
  arguments: z.record(z.string(), JsonValueSchema).default({}),
});

/** What a scripted rule answers: text, tool calls, or both. */
export const ScriptReplySchema = z
  .strictObject({
    text: z.string().optional(),
    toolCalls: z
      .array(ScriptToolCallSchema)
      .min(1, 'expected at least one tool call (or leave toolCalls out)')
      .optional(),
  })
  .superRefine((reply, ctx) => {
    if (reply.text === undefined && reply.toolCalls === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected text or toolCalls (or both)', input: reply });
    }
    checkTemplates(reply.text, ['text'], ctx);
    reply.toolCalls?.forEach((call, i) => checkTemplates(call.arguments, ['toolCalls', i, 'arguments'], ctx));
  });

/** One rule of the scripted model. */
export const ScriptRuleSchema = z
  .strictObject({
    /** Names the rule in errors and tests. */
    name: z.string().min(1).optional(),
    when: ScriptConditionSchema.optional(),
    reply: ScriptReplySchema,
  })
  .superRefine((rule, ctx) => {
    if (rule.when?.task === undefined) return;
    const pinned = rule.when.task;
    checkTaskRefs(rule.reply.text, pinned, ['reply', 'text'], ctx);
    rule.reply.toolCalls?.forEach((call, i) =>
      checkTaskRefs(call.arguments, pinned, ['reply', 'toolCalls', i, 'arguments'], ctx),
    );
  });

/**
 * Reports `{{task.a.b}}` refs that the rule's own `when.task` rules out: where `when.task` fixes
 * a value (a string, a number, a list), no path can go on into it. What `when.task` leaves open
 * (keys it does not name) may be there or not; that is known only when the rule answers.
 */
function checkTaskRefs(value: unknown, pinned: JsonValue, path: PropertyKey[], ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(TEMPLATE_PATTERN)) {
      const [root, ...keys] = match[1]!.split('.');
      if (root !== 'task') continue;
      const why = ruledOut(pinned, keys);
      if (why) {
        ctx.addIssue({ code: 'custom', path, message: `{{${match[1]}}} cannot have a value: ${why}`, input: value });
        return;
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkTaskRefs(item, pinned, [...path, i], ctx));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkTaskRefs(item, pinned, [...path, key], ctx);
  }
}

/** Why `when.task` leaves nothing at this path, or null when the task may hold it. */
function ruledOut(pinned: JsonValue, keys: string[]): string | null {
  let here: JsonValue = pinned;
  const walked = ['task'];
  for (const key of keys) {
    const name = walked.join('.');
    if (Array.isArray(here)) {
      // A list in when.task must equal the task's: its items are all known.
      if (!/^\d+$/.test(key) || Number(key) >= here.length)
        return `when.task makes ${name} a list of ${here.length}, with no item "${key}"`;
      here = here[Number(key)]!;
    } else if (here !== null && typeof here === 'object') {
      // An object matches by the keys it gives: one it does not name may be in the task.
      if (!Object.hasOwn(here, key)) return null;
      here = here[key]!;
    } else {
      return `when.task makes ${name} ${JSON.stringify(here)}, which has no field "${key}"`;
    }
    walked.push(key);
  }
  return null;
}
/** One rule of the scripted model. */
export type ScriptRule = z.infer<typeof ScriptRuleSchema>;

/** models/<name>.yaml in a roster: rules of the scripted model, tried in order. */
export const ScriptFileSchema = z.strictObject({ rules: z.array(ScriptRuleSchema) });
/** A parsed models/<name>.yaml. */
export type ScriptFile = z.infer<typeof ScriptFileSchema>;
