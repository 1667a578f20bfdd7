import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { WardenError } from '../../shared/errors.js';
import { canonicalJson, type JsonValue } from '../../shared/json.js';
import {
  ScriptFileSchema,
  TEMPLATE_PATTERN,
  WHOLE_TEMPLATE_PATTERN,
  type ChatMessage,
  type ChatResponse,
  type ScriptRule,
  type ToolCall,
} from '../../shared/models.js';
import { checkSchema, formatProblem, readDocument, type RosterProblem } from '../documents/files.js';
import { throwIfCancelled, type ChatRequest, type ModelProvider } from './provider.js';

/** The text of the reply when no rule matches: a plain answer, so a run without a script still ends. */
export const NO_MATCH_TEXT = '(scripted model: no rule matched)';

/** A scripted rule as written, before defaults: what the constructor takes. */
export type ScriptRuleInput = z.input<typeof ScriptFileSchema>['rules'][number];

/** A rule ready to match: its regex compiled once, not per call. */
interface CompiledRule {
  rule: ScriptRule;
  lastMessage: RegExp | null;
  /** How errors name it: `rule "settle-report"`, or by its place when it has no name. */
  label: string;
}

/** What templates and conditions read from one request. */
interface Facts {
  task: JsonValue;
  last: ChatMessage | undefined;
  lastJson: () => JsonValue | undefined;
  turn: number;
}

/**
 * The offline model: answers from rules in a roster's models/*.yaml, the same way every time,
 * so demos, tests and eval suites run without a network or a key. Rules are tried in order
 * (files by name, then rules in each file); the first whose conditions all hold answers.
 */
export class ScriptedProvider implements ModelProvider {
  readonly name = 'scripted';
  private readonly rules: CompiledRule[];

  /** Takes rules as a models/*.yaml file holds them; a bad rule is an E_MODEL_SCRIPT error naming its path. */
  constructor(rules: readonly ScriptRuleInput[]) {
    // Parsed again even when they come from files: tests build rules by hand, and this is cheap.
    const problems: RosterProblem[] = [];
    const checked = checkSchema('scripted rules', { rules }, ScriptFileSchema, problems);
    if (!checked) throw scriptError(problems.map(formatProblem));
    this.rules = checked.rules.map((rule, index) => ({
      rule,
      lastMessage: rule.when?.lastMessage === undefined ? null : new RegExp(rule.when.lastMessage),
      label: rule.name === undefined ? `rule #${index + 1}` : `rule "${rule.name}"`,
    }));
  }

  /** Reads `<dir>/models/*.yaml` in name order; no models folder means no rules. Problems throw E_MODEL_SCRIPT, one line each. */
  static fromRosterDir(dir: string): ScriptedProvider {
    const loaded = loadScriptRules(dir);
    if (!loaded.ok) throw scriptError(loaded.problems.map((p) => formatProblem({ ...p, file: join(dir, p.file) })));
    return new ScriptedProvider(loaded.rules);
  }

  /** Answers with the first matching rule's reply, or {@link NO_MATCH_TEXT}; ids and usage depend only on the request. */
  async chat(request: ChatRequest): Promise<ChatResponse> {
    throwIfCancelled(request.signal, `the call to scripted:${request.model}`);
    const facts = factsOf(request);
    const found = this.rules.find((r) => matches(r, request, facts));
    let text: string | null = NO_MATCH_TEXT;
    let toolCalls: ToolCall[] = [];
    if (found) {
      const { reply } = found.rule;
      const at = { ...facts, rule: found.label };
      text = reply.text === undefined ? null : asText(render(reply.text, at));
      toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
        id: `call_${facts.turn}_${index}`,
        name: call.name,
        arguments: renderRecord(call.arguments, at),
      }));
    }
    return { text, toolCalls, usage: usageOf(request.messages, text, toolCalls) };
  }
}

/**
 * Reads and checks every models/*.yaml of a roster folder, collecting all problems (file, field
 * path, what was expected) rather than stopping at the first, as loadRoster does.
 */
export function loadScriptRules(
  dir: string,
): { ok: true; rules: ScriptRule[] } | { ok: false; problems: RosterProblem[] } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { ok: false, problems: [{ file: '.', path: '', message: 'is not a folder' }] };
  }
  const modelsDir = join(dir, 'models');
  // A roster that uses only real providers has no scripts; that is not a mistake.
  if (!existsSync(modelsDir)) return { ok: true, rules: [] };
  if (!statSync(modelsDir).isDirectory()) {
    return { ok: false, problems: [{ file: 'models', path: '', message: 'is not a folder' }] };
  }
  const rules: ScriptRule[] = [];
  const problems: RosterProblem[] = [];
  for (const name of readdirSync(modelsDir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = `models/${name}`;
    const data = readDocument(join(modelsDir, name), file, 'yaml', problems);
    if (data === undefined) continue;
    const checked = checkSchema(file, data, ScriptFileSchema, problems);
    if (checked) rules.push(...checked.rules);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}

function scriptError(lines: string[]): WardenError {
  return new WardenError('E_MODEL_SCRIPT', lines.join('\n'));
}

function factsOf(request: ChatRequest): Facts {
  const last = request.messages.at(-1);
  let parsed: { value: JsonValue | undefined } | null = null;
  return {
    task: request.task,
    last,
    lastJson: () => {
      if (!parsed) {
        try {
          parsed = { value: JSON.parse(last?.content ?? '') as JsonValue };
        } catch {
          parsed = { value: undefined };
        }
      }
      return parsed.value;
    },
    turn: request.messages.filter((m) => m.role === 'assistant').length,
  };
}

function matches({ rule, lastMessage }: CompiledRule, request: ChatRequest, facts: Facts): boolean {
  const when = rule.when;
  if (!when) return true;
  if (when.agent !== undefined && when.agent !== request.agentId) return false;
  if (when.model !== undefined && when.model !== request.model) return false;
  if (when.turn !== undefined && when.turn !== facts.turn) return false;
  if (when.task !== undefined && !isSubset(when.task, facts.task)) return false;
  if (lastMessage && !(facts.last && lastMessage.test(facts.last.content))) return false;
  if (when.lastTool !== undefined && !(facts.last?.role === 'tool' && facts.last.name === when.lastTool)) return false;
  return true;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Objects match by the keys `want` gives, deeply; arrays and scalars must be equal as JSON. */
function isSubset(want: JsonValue, have: JsonValue | undefined): boolean {
  if (isObject(want)) {
    return (
      isObject(have) &&
      Object.entries(want).every(([key, value]) => Object.hasOwn(have, key) && isSubset(value, have[key]))
    );
  }
  return have !== undefined && canonicalJson(want) === canonicalJson(have);
}

/** The value at a dotted path; own keys only, so `{{task.constructor}}` finds nothing. */
function at(value: JsonValue | undefined, path: string[]): JsonValue | undefined {
  let here = value;
  for (const key of path) {
    if (Array.isArray(here) && /^\d+$/.test(key)) here = here[Number(key)];
    else if (isObject(here) && Object.hasOwn(here, key)) here = here[key];
    else return undefined;
  }
  return here;
}

/** Facts, and the rule whose reply is being written (errors name it). */
type RenderFacts = Facts & { rule: string };

/**
 * A template ref's value. A value that is not there fails the call, naming the rule and the
 * ref: written as '' it would pass for an answer (an empty invoice id, a payment to nobody).
 */
function resolve(ref: string, facts: RenderFacts): JsonValue {
  const [root, ...path] = ref.split('.');
  const value = root === 'last' ? facts.last?.content : at(root === 'task' ? facts.task : facts.lastJson(), path);
  if (value !== undefined) return value;
  throw new WardenError('E_MODEL_SCRIPT', `scripted model, ${facts.rule}: {{${ref}}} ${missingWhy(root!, facts)}`);
}

/** Why a ref found nothing, in the words of what it reads. */
function missingWhy(root: string, facts: Facts): string {
  if (root === 'task') return 'is not in the task input';
  if (root === 'last') return 'has no message to read';
  const last = facts.last;
  const what = last?.role === 'tool' && last.name ? `the result of ${last.name}` : `the last message (${last?.role})`;
  if (facts.lastJson() === undefined) return `cannot be read: ${what} is not JSON (${cut(last?.content ?? '')})`;
  return `is not in ${what}: ${cut(last?.content ?? '')}`;
}

/** The start of a long text, for an error line. */
function cut(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

function asText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A string that is exactly one template keeps the value's type (an amount stays a number); otherwise text. */
function render(template: string, facts: RenderFacts): JsonValue {
  const whole = WHOLE_TEMPLATE_PATTERN.exec(template);
  if (whole) return resolve(whole[1]!, facts);
  return template.replace(TEMPLATE_PATTERN, (_, ref: string) => asText(resolve(ref, facts)));
}

function renderValue(value: JsonValue, facts: RenderFacts): JsonValue {
  if (typeof value === 'string') return render(value, facts);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, facts));
  if (isObject(value)) return renderRecord(value, facts);
  return value;
}

function renderRecord(record: { [key: string]: JsonValue }, facts: RenderFacts): { [key: string]: JsonValue } {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, renderValue(value, facts)]));
}

/** A stand-in token count, ~4 characters a token, so budgets and the ledger see stable numbers. */
function usageOf(messages: ChatMessage[], text: string | null, toolCalls: ToolCall[]): ChatResponse['usage'] {
  const inputChars = messages.reduce((sum, m) => sum + m.content.length, 0);
  const outputChars = (text?.length ?? 0) + (toolCalls.length > 0 ? JSON.stringify(toolCalls).length : 0);
  return { inputTokens: Math.ceil(inputChars / 4), outputTokens: Math.ceil(outputChars / 4) };
}
