import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WardenError } from '../../../src/shared/errors.js';
import { ModelRequestSchema, type ChatMessage } from '../../../src/shared/models.js';
import { parseModelRef, providerLookup, type ChatRequest } from '../../../src/main/models/provider.js';
import {
  NO_MATCH_TEXT,
  ScriptedProvider,
  loadScriptRules,
  type ScriptRuleInput,
} from '../../../src/main/models/scripted.js';
import { tempDir } from '../../helpers/temp.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/models');

const made: Array<() => void> = [];
afterEach(() => made.splice(0).forEach((cleanup) => cleanup()));

/** A roster folder holding only the given models/*.yaml files. */
function roster(files: Record<string, string>): string {
  const { dir, cleanup } = tempDir('warden-models-');
  made.push(cleanup);
  mkdirSync(join(dir, 'models'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'models', name), text);
  return dir;
}

function request(over: Partial<ChatRequest> = {}): ChatRequest {
  return {
    agentId: 'reconciliation',
    model: 'demo',
    messages: [{ role: 'user', content: 'go' }],
    tools: [],
    task: {},
    ...over,
  };
}

/** The reply text a one-rule provider gives: 'hit' when the condition held, the no-match text when not. */
async function answer(when: ScriptRuleInput['when'], over: Partial<ChatRequest> = {}): Promise<string | null> {
  const provider = new ScriptedProvider([{ when, reply: { text: 'hit' } }]);
  return (await provider.chat(request(over))).text;
}

/** The error a call throws (or rejects with), so a test can check its code and message. */
async function caught(fn: () => unknown): Promise<WardenError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WardenError);
    return error as WardenError;
  }
  throw new Error('expected an error');
}

describe('ScriptedProvider from a roster folder', () => {
  it('plays a fixture script: a templated tool call, then a report from the tool result', async () => {
    const dir = roster({});
    copyFileSync(join(FIXTURES, 'payments.yaml'), join(dir, 'models', 'payments.yaml'));
    const provider = ScriptedProvider.fromRosterDir(dir);
    const task = { kind: 'payment', invoice: 'INV-7', amount: 1250.5, vendor: { name: 'Acme' } };

    const first = await provider.chat(request({ task }));
    expect(first.text).toBe('Paying INV-7');
    expect(first.toolCalls).toEqual([
      {
        id: 'call_0_0',
        name: 'books.post_payment',
        arguments: { invoice: 'INV-7', amount: 1250.5, vendor: 'Acme' },
      },
    ]);

    const messages: ChatMessage[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Paying INV-7', toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: 'call_0_0', name: 'books.post_payment', content: '{"paymentId":"PAY-1"}' },
    ];
    const second = await provider.chat(request({ task, messages }));
    expect(second).toMatchObject({ text: 'Paid INV-7: payment PAY-1', toolCalls: [] });
  });

  it('tries files in name order: the first match wins across files', async () => {
    const dir = roster({
      'b.yaml': 'rules:\n  - reply: { text: from b }\n',
      'a.yaml': 'rules:\n  - when: { agent: nobody }\n    reply: { text: skipped }\n  - reply: { text: from a }\n',
      'notes.txt': 'not a script',
    });
    const provider = ScriptedProvider.fromRosterDir(dir);
    expect((await provider.chat(request())).text).toBe('from a');
    expect((await provider.chat(request({ agentId: 'nobody' }))).text).toBe('skipped');
  });

  it('within a file the first matching rule wins over later ones', async () => {
    const provider = new ScriptedProvider([
      { name: 'never', when: { model: 'other' }, reply: { text: 'never' } },
      { name: 'first', reply: { text: 'first' } },
      { name: 'second', reply: { text: 'second' } },
    ]);
    expect((await provider.chat(request())).text).toBe('first');
  });

  it('a roster without a models folder has no rules: every call gets the no-match reply', async () => {
    const { dir, cleanup } = tempDir();
    made.push(cleanup);
    const response = await ScriptedProvider.fromRosterDir(dir).chat(request());
    expect(response.text).toBe(NO_MATCH_TEXT);
  });

  it('a roster folder that does not exist is an E_MODEL_SCRIPT error naming it', async () => {
    const missing = join(roster({}), 'nope');
    const error = await caught(() => ScriptedProvider.fromRosterDir(missing));
    expect(error.code).toBe('E_MODEL_SCRIPT');
    expect(error.message).toBe(`${missing}: is not a folder`);
  });
});

describe('rule conditions', () => {
  it('agent matches the exact agent id', async () => {
    expect(await answer({ agent: 'reconciliation' })).toBe('hit');
    expect(await answer({ agent: 'reconciliation' }, { agentId: 'reconciliation-2' })).toBe(NO_MATCH_TEXT);
  });

  it('model matches the exact model name', async () => {
    expect(await answer({ model: 'demo' })).toBe('hit');
    expect(await answer({ model: 'demo' }, { model: 'demo-2' })).toBe(NO_MATCH_TEXT);
  });

  it('task matches a subset of the task input, deeply', async () => {
    const task = { kind: 'payment', invoice: { id: 'INV-1', lines: [1, 2] }, amount: 10 };
    expect(await answer({ task: { kind: 'payment' } }, { task })).toBe('hit');
    expect(await answer({ task: { invoice: { id: 'INV-1' } } }, { task })).toBe('hit');
    expect(await answer({ task: { invoice: { lines: [1, 2] } } }, { task })).toBe('hit');
    expect(await answer({ task: { amount: 10 } }, { task })).toBe('hit');
    expect(await answer({ task: { invoice: { id: 'INV-2' } } }, { task })).toBe(NO_MATCH_TEXT);
    // Arrays are leaves: equal as JSON, not a subset of their items.
    expect(await answer({ task: { invoice: { lines: [1] } } }, { task })).toBe(NO_MATCH_TEXT);
    expect(await answer({ task: { amount: '10' } }, { task })).toBe(NO_MATCH_TEXT);
    expect(await answer({ task: { missing: null } }, { task })).toBe(NO_MATCH_TEXT);
    expect(await answer({ task: { kind: 'payment' } }, { task: 'payment' })).toBe(NO_MATCH_TEXT);
  });

  it('lastMessage is a regex searched in the last message, whatever its role', async () => {
    const tool: ChatMessage = { role: 'tool', toolCallId: 'c', name: 'books.read', content: 'status: PAID in full' };
    expect(await answer({ lastMessage: 'PAID|VOID' }, { messages: [{ role: 'user', content: 'x' }, tool] })).toBe(
      'hit',
    );
    expect(await answer({ lastMessage: '^status: \\w+' }, { messages: [tool] })).toBe('hit');
    expect(await answer({ lastMessage: '^PAID' }, { messages: [tool] })).toBe(NO_MATCH_TEXT);
    // Only the last message counts, not earlier ones.
    const earlier: ChatMessage[] = [tool, { role: 'user', content: 'thanks' }];
    expect(await answer({ lastMessage: 'PAID' }, { messages: earlier })).toBe(NO_MATCH_TEXT);
  });

  it('lastTool matches when the last message is that tool’s result', async () => {
    const result = (name: string): ChatMessage => ({ role: 'tool', toolCallId: 'c', name, content: '{}' });
    expect(await answer({ lastTool: 'books.post_payment' }, { messages: [result('books.post_payment')] })).toBe('hit');
    expect(await answer({ lastTool: 'books.post_payment' }, { messages: [result('books.read')] })).toBe(NO_MATCH_TEXT);
    const after: ChatMessage[] = [result('books.post_payment'), { role: 'user', content: 'books.post_payment' }];
    expect(await answer({ lastTool: 'books.post_payment' }, { messages: after })).toBe(NO_MATCH_TEXT);
  });

  it('turn counts the assistant messages so far', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'u' },
      { role: 'assistant', content: 'a' },
      { role: 'user', content: 'u' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'u' },
    ];
    expect(await answer({ turn: 0 })).toBe('hit');
    expect(await answer({ turn: 2 }, { messages })).toBe('hit');
    expect(await answer({ turn: 1 }, { messages })).toBe(NO_MATCH_TEXT);
  });

  it('every given condition must hold', async () => {
    expect(await answer({ agent: 'reconciliation', model: 'demo', turn: 0 })).toBe('hit');
    expect(await answer({ agent: 'reconciliation', model: 'demo', turn: 1 })).toBe(NO_MATCH_TEXT);
  });
});

describe('reply templates', () => {
  const task = { invoice: 'INV-9', amount: 42, paid: false, vendor: { name: 'Acme', ids: ['V1', 'V2'] } };

  async function reply(text: string | undefined, args: Record<string, string>, messages?: ChatMessage[]) {
    const provider = new ScriptedProvider([
      { reply: { ...(text === undefined ? {} : { text }), toolCalls: [{ name: 'books.x', arguments: args }] } },
    ]);
    return provider.chat(request({ task, ...(messages ? { messages } : {}) }));
  }

  it('a string that is exactly one template keeps the value’s type', async () => {
    const r = await reply(undefined, {
      amount: '{{task.amount}}',
      spaced: '{{ task.amount }}',
      paid: '{{task.paid}}',
      vendor: '{{task.vendor}}',
    });
    expect(r.toolCalls[0]!.arguments).toEqual({ amount: 42, spaced: 42, paid: false, vendor: task.vendor });
    expect(r.text).toBeNull();
  });

  it('templates inside longer strings are stringified, and text is always a string', async () => {
    const r = await reply('{{task.amount}}', {
      note: 'pay {{task.amount}} to {{task.vendor.name}}',
      ids: 'ids={{task.vendor.ids}}',
    });
    expect(r.text).toBe('42');
    expect(r.toolCalls[0]!.arguments).toEqual({ note: 'pay 42 to Acme', ids: 'ids=["V1","V2"]' });
  });

  it('follows nested paths and array indexes', async () => {
    const r = await reply('{{task.vendor.ids.1}}', { name: '{{task.vendor.name}}' });
    expect(r.text).toBe('V2');
    expect(r.toolCalls[0]!.arguments).toEqual({ name: 'Acme' });
  });

  it('a path the task does not hold fails the call, naming the rule and the template', async () => {
    for (const ref of ['task.nope.deeper', 'task.vendor.ids.9', 'task.constructor']) {
      const error = await caught(() => reply(`pay {{${ref}}}`, {}));
      expect(error.code).toBe('E_MODEL_SCRIPT');
      expect(error.message).toBe(`scripted model, rule #1: {{${ref}}} is not in the task input`);
    }
    const named = new ScriptedProvider([
      { name: 'pay', reply: { toolCalls: [{ name: 'b.p', arguments: { id: '{{task.id}}' } }] } },
    ]);
    expect((await caught(() => named.chat(request({ task })))).message).toBe(
      'scripted model, rule "pay": {{task.id}} is not in the task input',
    );
  });

  it('{{last}} is the last message’s content and {{lastJson.path}} a path into it as JSON', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'go' },
      { role: 'tool', toolCallId: 'c', name: 'books.read', content: '{"balance":{"usd":99.5},"ok":true}' },
    ];
    const r = await reply('{{last}}', { usd: '{{lastJson.balance.usd}}', ok: '{{lastJson.ok}}' }, messages);
    expect(r.text).toBe('{"balance":{"usd":99.5},"ok":true}');
    expect(r.toolCalls[0]!.arguments).toEqual({ usd: 99.5, ok: true });
    // A field the tool's result does not have: the call fails, showing what the result was.
    const gone = await caught(() => reply('{{last}}', { gone: '{{lastJson.x}}' }, messages));
    expect(gone.message).toBe(
      'scripted model, rule #1: {{lastJson.x}} is not in the result of books.read: {"balance":{"usd":99.5},"ok":true}',
    );
  });

  it('{{lastJson...}} fails the call when the last message is not JSON', async () => {
    const error = await caught(() => reply('[{{lastJson.a}}]', {}, [{ role: 'user', content: 'plain words' }]));
    expect(error.message).toBe(
      'scripted model, rule #1: {{lastJson.a}} cannot be read: the last message (user) is not JSON (plain words)',
    );
  });
});

describe('replies', () => {
  it('no matching rule is a plain answer, not an error', async () => {
    const provider = new ScriptedProvider([{ when: { agent: 'other' }, reply: { text: 'x' } }]);
    const response = await provider.chat(request());
    expect(response).toEqual({ text: NO_MATCH_TEXT, toolCalls: [], usage: { inputTokens: 1, outputTokens: 9 } });
  });

  it('tool call ids are call_<turn>_<index>, the same every time', async () => {
    const provider = new ScriptedProvider([
      { reply: { toolCalls: [{ name: 'a.one' }, { name: 'a.two', arguments: { n: 1 } }] } },
    ]);
    const messages: ChatMessage[] = [
      { role: 'user', content: 'u' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'u' },
    ];
    const first = await provider.chat(request({ messages }));
    const again = await provider.chat(request({ messages }));
    expect(first.toolCalls).toEqual([
      { id: 'call_1_0', name: 'a.one', arguments: {} },
      { id: 'call_1_1', name: 'a.two', arguments: { n: 1 } },
    ]);
    expect(again).toEqual(first);
  });

  it('usage is ceil(characters / 4): every message content in, reply text and tool-call JSON out', async () => {
    const provider = new ScriptedProvider([
      { reply: { text: 'hello', toolCalls: [{ name: 'a.b', arguments: { x: 1 } }] } },
    ]);
    const messages: ChatMessage[] = [
      { role: 'system', content: 'abcd' }, // 4
      { role: 'user', content: 'efghi' }, // 5
      { role: 'assistant', content: '', toolCalls: [{ id: 'i', name: 'n', arguments: {} }] }, // 0
      { role: 'tool', toolCallId: 'i', name: 'n', content: 'jk' }, // 2
    ];
    const response = await provider.chat(request({ messages }));
    const calls = JSON.stringify([{ id: 'call_1_0', name: 'a.b', arguments: { x: 1 } }]);
    expect(response.usage).toEqual({
      inputTokens: Math.ceil(11 / 4),
      outputTokens: Math.ceil((5 + calls.length) / 4),
    });
    expect(response.usage).toEqual({ inputTokens: 3, outputTokens: 15 }); // 11 chars in; 5 + 53 out
  });

  it('an aborted signal rejects with E_CANCELLED', async () => {
    const provider = new ScriptedProvider([{ reply: { text: 'x' } }]);
    const controller = new AbortController();
    controller.abort();
    const error = await caught(() => provider.chat(request({ signal: controller.signal })));
    expect(error.code).toBe('E_CANCELLED');
    expect(error.message).toBe('the call to scripted:demo was cancelled');
    // The same call without an aborted signal answers.
    expect((await provider.chat(request({ signal: new AbortController().signal }))).text).toBe('x');
  });
});

describe('bad script files', () => {
  /** The E_MODEL_SCRIPT message for a roster holding one models/bad.yaml. */
  async function problem(text: string): Promise<string> {
    const dir = roster({ 'bad.yaml': text });
    const error = await caught(() => ScriptedProvider.fromRosterDir(dir));
    expect(error.code).toBe('E_MODEL_SCRIPT');
    return error.message.replace(`${dir}/`, '');
  }

  it('a reply with neither text nor toolCalls', async () => {
    expect(await problem('rules:\n  - when: { agent: a }\n    reply: {}\n')).toBe(
      'models/bad.yaml: rules[0].reply: expected text or toolCalls (or both), got {}',
    );
  });

  it('an invalid regex', async () => {
    expect(await problem('rules:\n  - when: { lastMessage: "pay(" }\n    reply: { text: x }\n')).toBe(
      'models/bad.yaml: rules[0].when.lastMessage: expected a JavaScript regular expression (Unterminated group), got "pay("',
    );
  });

  it('a turn that is not a whole number', async () => {
    expect(await problem('rules:\n  - reply: { text: x }\n  - when: { turn: first }\n    reply: { text: x }\n')).toBe(
      'models/bad.yaml: rules[1].when.turn: expected a whole number >= 0 (assistant messages so far), got "first"',
    );
  });

  it('invalid YAML, with line and column', async () => {
    expect(await problem('rules:\n  - reply: { text: x\n')).toMatch(
      /^models\/bad\.yaml: line 3, column 1: is not valid YAML: [^\n]+$/,
    );
  });

  it('a template for a task field that the rule’s own when.task rules out', async () => {
    expect(
      await problem(
        'rules:\n  - name: settle\n    when: { task: { kind: settle, ids: [a] } }\n    reply:\n      text: "{{task.kind.id}}"\n',
      ),
    ).toBe(
      'models/bad.yaml: rules[0].reply.text: {{task.kind.id}} cannot have a value: when.task makes task.kind "settle", which has no field "id", got "{{task.kind.id}}"',
    );
    expect(
      await problem(
        'rules:\n  - when: { task: { ids: [a] } }\n    reply:\n      toolCalls:\n        - name: a.b\n          arguments: { id: "{{task.ids.1}}" }\n',
      ),
    ).toBe(
      'models/bad.yaml: rules[0].reply.toolCalls[0].arguments.id: {{task.ids.1}} cannot have a value: when.task makes task.ids a list of 1, with no item "1", got "{{task.ids.1}}"',
    );
    // What when.task leaves open may be in the task: known only when the rule answers.
    const open = roster({
      'ok.yaml': 'rules:\n  - when: { task: { kind: settle } }\n    reply: { text: "{{task.invoiceId}}" }\n',
    });
    expect(() => ScriptedProvider.fromRosterDir(open)).not.toThrow();
  });

  it('an unknown template and an unknown field', async () => {
    expect(
      await problem(
        'rules:\n  - reply:\n      toolCalls:\n        - name: a.b\n          arguments: { n: "{{tsk.n}}" }\n',
      ),
    ).toBe(
      'models/bad.yaml: rules[0].reply.toolCalls[0].arguments.n: expected templates {{task.<path>}}, {{last}} or {{lastJson.<path>}}, got "{{tsk.n}}"',
    );
    expect(await problem('rules:\n  - whn: { agent: a }\n    reply: { text: x }\n')).toBe(
      'models/bad.yaml: rules[0]: unknown field "whn"',
    );
  });

  it('collects the problems of every file, one line each', async () => {
    const dir = roster({ 'a.yaml': 'rules:\n  - reply: {}\n', 'b.yaml': 'rules: 3\n', 'c.yaml': 'rules: []\n' });
    const loaded = loadScriptRules(dir);
    expect(loaded).toEqual({
      ok: false,
      problems: [
        { file: 'models/a.yaml', path: 'rules[0].reply', message: 'expected text or toolCalls (or both), got {}' },
        { file: 'models/b.yaml', path: 'rules', message: 'expected array, received number' },
      ],
    });
  });

  it('rules built by hand are checked too', async () => {
    const error = await caught(() => new ScriptedProvider([{ when: { lastMessage: '[' }, reply: { text: 'x' } }]));
    expect(error.code).toBe('E_MODEL_SCRIPT');
    expect(error.message).toMatch(
      /^scripted rules: rules\[0\]\.when\.lastMessage: expected a JavaScript regular expression/,
    );
  });
});

describe('model refs and providers', () => {
  it('parseModelRef splits at the first colon', () => {
    expect(parseModelRef('scripted:demo')).toEqual({ provider: 'scripted', model: 'demo' });
    expect(parseModelRef('openai:ft:gpt-4o:acme')).toEqual({ provider: 'openai', model: 'ft:gpt-4o:acme' });
  });

  it('a bad ref is an E_MODEL error saying what was expected', async () => {
    for (const ref of ['demo', 'scripted:', 'Scripted:demo', ':demo']) {
      const error = await caught(() => parseModelRef(ref));
      expect(error.code).toBe('E_MODEL');
      expect(error.message).toBe(`model "${ref}": expected provider:model, e.g. scripted:demo`);
    }
  });

  it('providerLookup finds a provider by name and names the configured ones otherwise', async () => {
    const scripted = new ScriptedProvider([]);
    const lookup = providerLookup([scripted]);
    expect(lookup('scripted')).toBe(scripted);
    const error = await caught(() => lookup('anthropic'));
    expect(error.code).toBe('E_MODEL');
    expect(error.message).toBe('model provider "anthropic" is not configured (configured: "scripted")');
  });
});

describe('ModelRequestSchema', () => {
  it('accepts a conversation with tool calls and results, and refuses what an isolate must not send', () => {
    const ok = ModelRequestSchema.safeParse({
      messages: [
        { role: 'user', content: 'pay' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'books.pay', arguments: { n: 1 } }] },
        { role: 'tool', toolCallId: 'c1', name: 'books.pay', content: 'done' },
      ],
      tools: [{ name: 'books.pay', description: 'Pays', inputSchema: { type: 'object' } }],
    });
    expect(ok.success).toBe(true);
    expect(ModelRequestSchema.safeParse({ messages: [] }).success).toBe(false);
    expect(ModelRequestSchema.safeParse({ messages: [{ role: 'tool', content: 'x' }] }).success).toBe(false);
    expect(ModelRequestSchema.safeParse({ messages: [{ role: 'user', content: 'x' }], model: 'x:y' }).success).toBe(
      false,
    );
  });
});
