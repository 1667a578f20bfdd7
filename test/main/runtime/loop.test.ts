import { describe, expect, it } from 'vitest';
import { WardenError } from '../../../src/shared/errors.js';
import type { JsonValue } from '../../../src/shared/json.js';
import type { ChatMessage, ChatResponse } from '../../../src/shared/models.js';
import { AgentManifestSchema } from '../../../src/shared/roster.js';
import type { RunContext } from '../../../src/main/runtime/context.js';
import { standardLoop, type LoopTools } from '../../../src/main/runtime/loop.js';
import type { Steps } from '../../../src/main/runtime/steps.js';
import { ContentStage } from '../../../src/main/ledger/content.js';
import { Redactor } from '../../../src/main/ledger/redact.js';

// The standard loop with in-memory parts: a model that answers from a list, tools that answer
// from a function, no ledger and no processes. Runs in milliseconds.

const agent = AgentManifestSchema.parse({
  id: 'intake',
  role: 'Reads inbound documents',
  tools: [{ name: 'inbox.read', access: 'read' }],
  limits: { maxSteps: 3 },
});
const run: RunContext = {
  runId: 'run-1',
  agent,
  input: { doc: 7 },
  hop: 0,
  chain: ['intake'],
  prompt: { text: 'Read it.', version: 1 },
  abort: new AbortController(),
  tainted: false,
  record: async () => undefined,
  recordAll: async () => undefined,
  note: () => undefined,
  refused: () => undefined,
  content: (value) => new ContentStage(new Redactor()).stage(value),
};
const tools: LoopTools = {
  connection: () =>
    ({
      listTools: async () => [{ name: 'read', description: 'Reads one document', inputSchema: { type: 'object' } }],
    }) as never,
  refusalOf: () => null,
};
const usage = { inputTokens: 1, outputTokens: 1 };

function scripted(replies: ChatResponse[], tool: (name: string, args: Record<string, JsonValue>) => JsonValue) {
  const seen: ChatMessage[][] = [];
  const steps: Steps = {
    model: async (_run, messages) => {
      seen.push(structuredClone(messages));
      return replies.shift() ?? { text: 'out of replies', toolCalls: [], usage };
    },
    tool: async (_run, name, args) => tool(name, args),
    handoff: async () => null,
  };
  return { steps, seen };
}

describe('the standard loop', () => {
  it('offers the granted tools, runs the calls the model asks for, and ends on its answer', async () => {
    const { steps, seen } = scripted(
      [
        { text: null, toolCalls: [{ id: 't1', name: 'inbox.read', arguments: { id: 7 } }], usage },
        { text: 'INV-7 for $450', toolCalls: [], usage },
      ],
      (name, args) => ({ name, args }),
    );
    expect(await standardLoop(steps, tools, run)).toBe('INV-7 for $450');
    expect(seen[0]!.map((m) => m.role)).toEqual(['system', 'user']);
    expect(seen[1]!.at(-1)).toMatchObject({
      role: 'tool',
      toolCallId: 't1',
      content: JSON.stringify({ name: 'inbox.read', args: { id: 7 } }),
    });
  });

  it('tells the model of a refused call instead of ending the run', async () => {
    const { steps, seen } = scripted(
      [
        { text: null, toolCalls: [{ id: 't1', name: 'inbox.read', arguments: {} }], usage },
        { text: 'gave up', toolCalls: [], usage },
      ],
      () => {
        throw new WardenError('E_POLICY_DENIED', 'not today');
      },
    );
    expect(await standardLoop(steps, tools, run)).toBe('gave up');
    expect(JSON.parse(String(seen[1]!.at(-1)!.content))).toEqual({
      error: { code: 'E_POLICY_DENIED', message: 'not today' },
    });
  });

  it('stops at the manifest maxSteps when the model never answers', async () => {
    const call = { text: null, toolCalls: [{ id: 't', name: 'inbox.read', arguments: {} }], usage };
    const { steps } = scripted([call, call, call, call], () => 'again');
    await expect(standardLoop(steps, tools, run)).rejects.toMatchObject({ code: 'E_MAX_STEPS' });
  });
});
