import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarden } from '../../../src/main/host/warden.js';
import { filesUnder, tempDir } from '../../helpers/temp.js';
import { anthropicStream, openaiCompletion, openaiStream, startFakeApi, type FakeApi } from './fake-api.js';
import { providersRoster } from './providers-roster.js';

const ANTHROPIC_CANARY = 'sk-ant-canary-e2e-51d0b8';
const OPENAI_CANARY = 'sk-proj-canary-e2e-a6c27f';

let anthropic: FakeApi;
let openai: FakeApi;
let local: FakeApi;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  [anthropic, openai, local] = await Promise.all([startFakeApi(), startFakeApi(), startFakeApi()]);
  ({ dir, cleanup } = tempDir());
  const roster = providersRoster(dir, [
    `anthropic: { baseUrl: "${anthropic.url}", apiKeyEnv: WARDEN_TEST_ANTHROPIC_KEY, maxRetries: 0 }`,
    `openai: { baseUrl: "${openai.url}/v1", apiKeyEnv: WARDEN_TEST_OPENAI_KEY, maxRetries: 0 }`,
    `local: { baseUrl: "${local.url}/v1", maxRetries: 0, stream: false }`,
  ]);
  appendFileSync(join(roster, 'agents', 'drafter.yaml'), 'budget: { usdPerDay: 0.0005 }\n');
});
afterAll(async () => {
  await Promise.all([anthropic.close(), openai.close(), local.close()]);
  cleanup();
});

interface ModelCalled {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

describe('agents on real providers, end to end', () => {
  it('run on anthropic, openai and a local endpoint, recording tokens and cost, and never the keys', async () => {
    process.env.WARDEN_TEST_ANTHROPIC_KEY = ANTHROPIC_CANARY;
    process.env.WARDEN_TEST_OPENAI_KEY = OPENAI_CANARY;
    const seen: Buffer[] = [];
    try {
      const warden = await openWarden({ rosterDir: join(dir, 'roster'), dataDir: join(dir, 'data') });
      try {
        // The vendors' APIs stream (the default); the local server is set to answer whole.
        anthropic.reply({
          sse: anthropicStream([{ type: 'text', deltas: ['Accept', 'able.'] }], {
            input_tokens: 1000,
            output_tokens: 200,
          }),
        });
        openai.reply({
          sse: openaiStream([{ content: 'Dear Bob,' }, { content: ' yes.' }], {
            prompt_tokens: 2000,
            completion_tokens: 500,
          }),
        });
        local.reply({
          status: 200,
          json: openaiCompletion(
            { content: 'Notes, in a line.' },
            { prompt_tokens: 300, completion_tokens: 100 },
            'llama3',
          ),
        });
        const results = await Promise.all([
          warden.runtime.run('reviewer', { contract: 'NDA' }),
          warden.runtime.run('drafter', { email: 'Can we meet?' }),
          warden.runtime.run('summarizer', { notes: 'a, b, c' }),
        ]);
        expect(results.map((r) => [r.agentId, r.status, r.output])).toEqual([
          ['reviewer', 'ok', 'Acceptable.'],
          ['drafter', 'ok', 'Dear Bob, yes.'],
          ['summarizer', 'ok', 'Notes, in a line.'],
        ]);
        const called = results.map((r) => {
          const events = [...warden.ledger.reader.each({ runId: r.runId, type: 'model.called' })];
          expect(events).toHaveLength(1);
          return events[0]!.payload as unknown as ModelCalled;
        });
        expect(called).toMatchObject([
          { provider: 'anthropic', model: 'claude-haiku-4-5', inputTokens: 1000, outputTokens: 200 },
          { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 2000, outputTokens: 500 },
          { provider: 'local', model: 'llama3', inputTokens: 300, outputTokens: 100 },
        ]);
        // Default prices for the vendors' models ($1/$5 and $0.15/$0.60 per MTok), warden.yaml's for local ($1/$2).
        expect(called[0]!.costUsd).toBeCloseTo(0.002, 10);
        expect(called[1]!.costUsd).toBeCloseTo(0.0006, 10);
        expect(called[2]!.costUsd).toBeCloseTo(0.0005, 10);
        // The keys went to the right servers, and the local endpoint got none of them.
        expect(JSON.stringify(anthropic.received[0]!.headers)).toContain(ANTHROPIC_CANARY);
        expect(openai.received[0]!.headers.authorization).toBe(`Bearer ${OPENAI_CANARY}`);
        expect(JSON.stringify(local.received[0]!.headers)).not.toMatch(/canary/);

        // A provider that echoes the key in its error: the run fails with E_MODEL, the key stays out.
        anthropic.reply({
          status: 401,
          json: {
            type: 'error',
            error: { type: 'authentication_error', message: `invalid x-api-key ${ANTHROPIC_CANARY}` },
          },
        });
        const failed = await warden.runtime.run('reviewer', { contract: 'MSA' });
        expect(failed.status).toBe('error');
        expect(failed.error?.code).toBe('E_MODEL');
        expect(failed.error?.message).toContain('model provider "anthropic"');
        expect(failed.error?.message).not.toContain(ANTHROPIC_CANARY);

        // A new prompt version reaches the provider, and so does a rollback; each run records its version.
        await warden.runtime.prompts.set('reviewer', 'Be strict about indemnities.', 'test', 'tighter review');
        anthropic.reply({
          sse: anthropicStream([{ type: 'text', deltas: ['No.'] }], { input_tokens: 10, output_tokens: 1 }),
        });
        const strict = await warden.runtime.run('reviewer', { contract: 'MSA' });
        await warden.runtime.prompts.rollback('reviewer', 1, 'test', 'too strict');
        anthropic.reply({
          sse: anthropicStream([{ type: 'text', deltas: ['Yes.'] }], { input_tokens: 10, output_tokens: 1 }),
        });
        const rolledBack = await warden.runtime.run('reviewer', { contract: 'MSA' });
        const systems = anthropic.received.slice(-2).map((r) => (r.body as { system: string }).system);
        expect(systems).toEqual(['Be strict about indemnities.', 'Say whether the contract is acceptable.']);
        const versions = [strict, rolledBack].map(
          (r) =>
            (
              warden.ledger.reader.page({ runId: r.runId, type: 'run.started' }).events[0]!.payload as {
                promptVersion: number;
              }
            ).promptVersion,
        );
        expect(versions).toEqual([2, 3]);

        // drafter's budget is $0.0005 a day: its first call ($0.0006) spent it, so the next is refused
        // before it reaches OpenAI, the agent is paused and an alert raised.
        const callsBefore = openai.received.length;
        const refused = await warden.runtime.run('drafter', { email: 'And Friday?' });
        expect([refused.status, refused.error?.code]).toEqual(['error', 'E_POLICY_DENIED']);
        expect(openai.received.length).toBe(callsBefore);
        expect(warden.runtime.hold('drafter')).toBe('paused');
        const alert = [...warden.ledger.reader.each({ agentId: 'drafter', type: 'alert.raised' })].at(-1);
        expect(alert?.payload).toMatchObject({ kind: 'budget', message: 'drafter has used its $0.0005 for today' });

        // The ledger's file and its write-ahead log while the ledger is open.
        for (const name of ['ledger.db', 'ledger.db-wal']) {
          const path = join(dir, 'data', name);
          if (existsSync(path)) seen.push(readFileSync(path));
        }
      } finally {
        await warden.close();
      }
    } finally {
      delete process.env.WARDEN_TEST_ANTHROPIC_KEY;
      delete process.env.WARDEN_TEST_OPENAI_KEY;
    }
    expect(seen.length).toBeGreaterThan(0);
    for (const file of filesUnder(join(dir, 'data'))) seen.push(readFileSync(file));
    for (const bytes of seen) {
      expect(bytes.includes(ANTHROPIC_CANARY)).toBe(false);
      expect(bytes.includes(OPENAI_CANARY)).toBe(false);
    }
  });
});
