import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/main.js';
import { keysFromEnv, type KeySource } from '../../../src/main/models/factory.js';
import { priceOf, pricesWithDefaults } from '../../../src/main/models/prices.js';
import { loadRoster } from '../../../src/main/roster/load.js';
import { WardenConfigSchema } from '../../../src/shared/roster.js';
import { tempDir } from '../../helpers/temp.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/providers-roster', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A temp copy of the providers fixture with `yaml` appended to its warden.yaml. */
function roster(yaml: string): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const copy = join(dir, 'roster');
  cpSync(FIXTURE, copy, { recursive: true });
  appendFileSync(join(copy, 'warden.yaml'), yaml);
  return copy;
}

/** loadRoster's options with keys from `env` instead of the process's environment. */
function keys(env: Record<string, string>): { keys: KeySource } {
  return { keys: keysFromEnv(env) };
}

const PROVIDERS = `providers:
  anthropic: { apiKeyEnv: WARDEN_TEST_ANTHROPIC_KEY }
  openai: { apiKeyEnv: WARDEN_TEST_OPENAI_KEY }
  local: { baseUrl: "http://127.0.0.1:11434/v1" }
`;

describe('roster check of model providers', () => {
  it('accepts a roster whose providers are configured and whose keys are set', () => {
    const result = loadRoster(roster(PROVIDERS), keys({ WARDEN_TEST_ANTHROPIC_KEY: 'a', WARDEN_TEST_OPENAI_KEY: 'o' }));
    expect(result.ok).toBe(true);
  });

  it('names warden.yaml providers.<name>.apiKeyEnv and the agent when a key is not in the environment', async () => {
    const dir = roster(PROVIDERS);
    expect(loadRoster(dir, keys({ WARDEN_TEST_OPENAI_KEY: 'o' }))).toEqual({
      ok: false,
      problems: [
        {
          file: 'warden.yaml',
          path: 'providers.anthropic.apiKeyEnv',
          message:
            'environment variable WARDEN_TEST_ANTHROPIC_KEY is not set (its API key, needed by agent reviewer (anthropic:claude-haiku-4-5))',
        },
      ],
    });
    // The CLI reads the real environment, where neither test key is set.
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['roster', 'check', dir], { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err).toEqual([
      expect.stringMatching(
        /warden\.yaml: providers\.anthropic\.apiKeyEnv: environment variable WARDEN_TEST_ANTHROPIC_KEY is not set \(its API key, needed by agent reviewer/,
      ),
      expect.stringMatching(
        /warden\.yaml: providers\.openai\.apiKeyEnv: environment variable WARDEN_TEST_OPENAI_KEY is not set \(its API key, needed by agent drafter/,
      ),
    ]);
  });

  it('falls back to the vendor key variable for anthropic and openai kinds', () => {
    const result = loadRoster(
      roster('providers:\n  anthropic: {}\n  openai: {}\n  local: { baseUrl: "http://127.0.0.1:1/v1" }\n'),
      keys({}),
    );
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message.split(' (its')[0]}`)).toEqual([
      'providers.anthropic.apiKeyEnv: environment variable ANTHROPIC_API_KEY (the default for its kind) is not set',
      'providers.openai.apiKeyEnv: environment variable OPENAI_API_KEY (the default for its kind) is not set',
    ]);
  });

  it('calls a model ref naming an unconfigured provider a problem of the agent, and an OpenAI-compatible one without baseUrl too', () => {
    const result = loadRoster(roster('providers:\n  anthropic: { apiKeyEnv: K }\n  local: {}\n'), keys({ K: 'k' }));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      {
        file: 'agents/drafter.yaml',
        path: 'model',
        message:
          'provider "openai" (agent drafter) is not in warden.yaml providers (configured: anthropic, local; "scripted" needs none)',
      },
      {
        file: 'warden.yaml',
        path: 'providers.local.baseUrl',
        message:
          'expected the URL of the OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (needed by agent summarizer (local:llama3))',
      },
    ]);
  });
});

describe('default prices', () => {
  it('price well-known models of configured anthropic and openai providers, under warden.yaml prices', () => {
    const config = WardenConfigSchema.parse({
      providers: { claude: { kind: 'anthropic' }, openai: {}, local: { baseUrl: 'http://127.0.0.1:1/v1' } },
      prices: { 'openai:gpt-4o': { inputPerMTokUsd: 2, outputPerMTokUsd: 9 } },
    });
    const prices = pricesWithDefaults(config);
    expect(prices['claude:claude-haiku-4-5']).toEqual({ inputPerMTokUsd: 1, outputPerMTokUsd: 5 });
    expect(prices['openai:gpt-4o-mini']).toEqual({ inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 });
    // warden.yaml wins over the table.
    expect(prices['openai:gpt-4o']).toEqual({ inputPerMTokUsd: 2, outputPerMTokUsd: 9 });
    // A local model costs what warden.yaml says, and nothing without it.
    expect(Object.keys(prices).some((k) => k.startsWith('local:'))).toBe(false);
    expect(prices['anthropic:claude-haiku-4-5']).toBeUndefined();
  });
});

describe('prices of dated snapshots and budgets without a price', () => {
  it('price a dated snapshot as the alias it belongs to, and nothing else by guess', () => {
    const prices = pricesWithDefaults(
      WardenConfigSchema.parse({ providers: { anthropic: {}, openai: {} }, prices: {} }),
    );
    expect(priceOf(prices, 'anthropic:claude-haiku-4-5-20251001')).toEqual({ inputPerMTokUsd: 1, outputPerMTokUsd: 5 });
    expect(priceOf(prices, 'openai:gpt-4.1-mini-2025-04-14')).toEqual({ inputPerMTokUsd: 0.4, outputPerMTokUsd: 1.6 });
    expect(priceOf(prices, 'anthropic:claude-haiku-4-5-preview')).toBeUndefined();
    expect(priceOf(prices, 'openai:gpt-4.1-mini-2025')).toBeUndefined();
  });

  it('refuse a USD budget that could never stop its agent because its model has no price', () => {
    const dir = roster(PROVIDERS);
    appendFileSync(join(dir, 'agents', 'summarizer.yaml'), 'budget: { usdPerDay: 2 }\n');
    appendFileSync(join(dir, 'agents', 'reviewer.yaml'), 'budget: { usdPerDay: 2 }\n');
    const result = loadRoster(dir, keys({ WARDEN_TEST_ANTHROPIC_KEY: 'a', WARDEN_TEST_OPENAI_KEY: 'o' }));
    // reviewer's anthropic:claude-haiku-4-5 has a default price; summarizer's local:llama3 is priced by the fixture.
    expect(result.ok).toBe(true);
    appendFileSync(join(dir, 'agents', 'drafter.yaml'), 'model: openai:gpt-9-turbo\nbudget: { usdPerDay: 1 }\n');
    writeFileSync(
      join(dir, 'agents', 'drafter.yaml'),
      readFileSync(join(dir, 'agents', 'drafter.yaml'), 'utf8').replace(/^model: openai:gpt-4o-mini\n/m, ''),
    );
    const refused = loadRoster(dir, keys({ WARDEN_TEST_ANTHROPIC_KEY: 'a', WARDEN_TEST_OPENAI_KEY: 'o' }));
    expect(refused.ok ? [] : refused.problems).toEqual([
      {
        file: 'agents/drafter.yaml',
        path: 'budget.usdPerDay',
        message:
          'openai:gpt-9-turbo has no price, so its calls would cost $0 and this budget could never stop the agent; add prices."openai:gpt-9-turbo" to warden.yaml (0 for a free model)',
      },
    ]);
  });
});
