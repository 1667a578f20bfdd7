import { describe, expect, it } from 'vitest';
import { callModel, type ModelCallEnv } from '../../../src/main/runtime/steps.js';
import type { RunContext, RunEvent } from '../../../src/main/runtime/context.js';
import { WardenError } from '../../../src/shared/errors.js';
import { AgentManifestSchema } from '../../../src/shared/roster.js';
import { ContentStage } from '../../../src/main/ledger/content.js';
import { Redactor } from '../../../src/main/ledger/redact.js';

function run(noted: RunEvent[], abort = new AbortController()): RunContext {
  return {
    runId: 'run-1',
    agent: AgentManifestSchema.parse({ id: 'quoting', role: 'quotes', model: 'remote:big' }),
    input: {},
    hop: 0,
    chain: ['quoting'],
    prompt: { text: 'quote', version: 1 },
    abort,
    tainted: false,
    record: async (e) => void noted.push(e),
    recordAll: async (es) => void noted.push(...es),
    note: (e) => void noted.push(e),
    refused: () => undefined,
    content: (value) => new ContentStage(new Redactor()).stage(value),
  };
}

function env(chat: () => Promise<never>): ModelCallEnv {
  return {
    model: () => ({ name: 'remote', chat }),
    defaultModel: 'scripted:demo',
    prices: {},
    spend: { today: () => ({ tokens: 0, usd: 0 }), add: () => undefined } as never,
    onBudgetSpent: async () => undefined,
  };
}

describe('a model call that fails', () => {
  it('is recorded as model.failed with the provider, the model and the reason, and the run sees the error', async () => {
    const noted: RunEvent[] = [];
    const failing = env(() =>
      Promise.reject(new WardenError('E_MODEL', 'remote unreachable: connect ECONNREFUSED 127.0.0.1:9')),
    );
    const asked = [{ role: 'user' as const, content: 'quote 3 crates' }];
    await expect(callModel(failing, run(noted), asked, [])).rejects.toThrow(/remote unreachable/);
    const message = new ContentStage(new Redactor()).stage(asked[0]!);
    expect(noted).toEqual([
      {
        type: 'model.failed',
        payload: {
          provider: 'remote',
          model: 'big',
          error: { code: 'E_MODEL', message: 'remote unreachable: connect ECONNREFUSED 127.0.0.1:9' },
          latencyMs: expect.any(Number),
          // The request that failed is kept, by reference, message by message.
          request: { messages: [message] },
        },
      },
    ]);
  });

  it('is not recorded as a failure when the run was stopped', async () => {
    const noted: RunEvent[] = [];
    const abort = new AbortController();
    abort.abort();
    await expect(
      callModel(
        env(() => Promise.reject(new Error('aborted'))),
        run(noted, abort),
        [],
        [],
      ),
    ).rejects.toThrow();
    expect(noted).toEqual([]);
  });
});
