import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/main.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { anthropicStream, useFakeApi } from '../models/fake-api.js';
import { reviewerOnAnthropic } from '../models/providers-roster.js';
import { useTempDirs } from './helpers.js';

// `warden providers test` against a local fake of the Messages API, keys from the environment.
const KEY_VAR = 'WARDEN_TEST_PROBE_KEY';
const KEY = 'sk-ant-probe-canary-6c2e90';
const temp = useTempDirs();
const anthropic = useFakeApi();
afterAll(() => temp.cleanup());

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err };
}

describe('warden providers test', () => {
  it('sends one short request per provider in use, says how it went, and records it with its cost', async () => {
    const dir = temp.make('warden-probe-');
    const roster = reviewerOnAnthropic(dir, anthropic.url, KEY_VAR);
    const data = join(dir, 'data');
    process.env[KEY_VAR] = KEY;
    try {
      anthropic.reply({
        sse: anthropicStream([{ type: 'text', deltas: ['OK'] }], { input_tokens: 14, output_tokens: 2 }),
      });
      const ok = await cli(['providers', 'test', '--roster', roster, '--provider', 'anthropic', '--data-dir', data]);
      expect(ok.code).toBe(0);
      expect(ok.out).toEqual([
        expect.stringMatching(/^anthropic \(anthropic:claude-haiku-4-5\): ok in \d+ ms, 16 tokens, \$0\.000024$/),
      ]);
      expect(anthropic.received.at(-1)!.body).toMatchObject({
        model: 'claude-haiku-4-5',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Reply with the word OK.' }] }],
      });

      // A key the API refuses: exit 1, the server's reason, and the key nowhere in the output.
      anthropic.reply({
        status: 401,
        json: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` } },
      });
      const refused = await cli([
        'providers',
        'test',
        '--roster',
        roster,
        '--provider',
        'anthropic',
        '--data-dir',
        data,
        '--json',
      ]);
      expect(refused.code).toBe(1);
      const report = JSON.parse(refused.out[0]!) as { results: { ok: boolean; error: { message: string } }[] };
      expect(report.results[0]!.ok).toBe(false);
      expect(report.results[0]!.error.message).toMatch(/HTTP 401: the API key was refused/);
      expect(refused.out.join('')).not.toContain(KEY);

      const ledger = Ledger.open(data, { mode: 'existing' });
      try {
        const tested = [...ledger.reader.each({ type: 'provider.tested' })].map((e) => e.payload);
        expect(tested).toMatchObject([
          {
            provider: 'anthropic',
            model: 'claude-haiku-4-5',
            ok: true,
            inputTokens: 14,
            outputTokens: 2,
            costUsd: 0.000024,
          },
          { provider: 'anthropic', ok: false, error: { code: 'E_MODEL' } },
        ]);
        expect(JSON.stringify(tested)).not.toContain(KEY);
      } finally {
        ledger.close();
      }

      const unknown = await cli(['providers', 'test', '--roster', roster, '--provider', 'nope', '--data-dir', data]);
      expect(unknown.code).toBe(2);
      expect(unknown.err.join('')).toContain(
        'no agent uses provider "nope" (providers in use: anthropic, openai, local)',
      );
    } finally {
      delete process.env[KEY_VAR];
    }
  });
});
