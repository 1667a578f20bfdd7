import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyWrapper } from '../../../src/main/audit/keys.js';
import { consoleApi, type ConsoleApi } from '../../../src/main/host/api/index.js';
import { ProviderKeyStore } from '../../../src/main/host/provider-keys.js';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import type { ApiResult } from '../../../src/shared/api.js';
import { testKeychain } from '../../helpers/keychain.js';
import { filesUnder, tempDir } from '../../helpers/temp.js';
import { anthropicMessage, openaiCompletion, startFakeApi, type FakeApi } from '../models/fake-api.js';
import { providersRoster } from '../models/providers-roster.js';

const CANARY = 'sk-ant-canary-desktop-0c4d9e';
const ENV_KEY = 'sk-ant-from-environment-88e1';
const ANTHROPIC_VAR = 'WARDEN_TEST_DESKTOP_ANTHROPIC_KEY';
const OPENAI_VAR = 'WARDEN_TEST_DESKTOP_OPENAI_KEY';

let anthropic: FakeApi;
let local: FakeApi;
let dir: string;
let cleanup: () => void;
const roster = () => join(dir, 'roster');
const data = () => join(dir, 'data');

beforeAll(async () => {
  [anthropic, local] = await Promise.all([startFakeApi(), startFakeApi()]);
  ({ dir, cleanup } = tempDir());
  providersRoster(dir, [
    `anthropic: { baseUrl: "${anthropic.url}", apiKeyEnv: ${ANTHROPIC_VAR}, maxRetries: 0, stream: false }`,
    `openai: { baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: ${OPENAI_VAR}, maxRetries: 0 }`,
    `local: { baseUrl: "${local.url}/v1", maxRetries: 0, stream: false }`,
  ]);
  mkdirSync(join(roster(), 'evals'));
  writeFileSync(
    join(roster(), 'evals', 'reviewer.jsonl'),
    `${JSON.stringify({ id: 'nda', input: { contract: 'NDA' }, expected: 'Acceptable.', grader: 'exact' })}\n`,
  );
});
afterAll(async () => {
  await Promise.all([anthropic.close(), local.close()]);
  cleanup();
});

/** Opens the roster as the desktop app does: with a key store sealed by `keychain`. */
async function openDesktop(keychain: KeyWrapper): Promise<{ warden: Warden; api: ConsoleApi }> {
  const warden = await openWarden({
    rosterDir: roster(),
    dataDir: data(),
    keyStore: new ProviderKeyStore(data(), keychain),
  });
  return { warden, api: consoleApi(warden) };
}

async function providers(api: ConsoleApi): Promise<ApiResult<'providers.list'>> {
  return (await api.call('providers.list', {}, 'console:desktop')) as ApiResult<'providers.list'>;
}

function reviewerReply(text: string): void {
  anthropic.reply({
    status: 200,
    json: anthropicMessage([{ type: 'text', text }], { input_tokens: 10, output_tokens: 2 }),
  });
}

describe('API keys in the desktop app', () => {
  it('opens without its keys, refuses their agents until a key is entered, then runs them, across restarts', async () => {
    // The CLI and serve mode take keys from the environment only, and refuse the roster without them.
    await expect(openWarden({ rosterDir: roster(), dataDir: join(dir, 'cli') })).rejects.toThrow(
      new RegExp(`environment variable ${ANTHROPIC_VAR} is not set`),
    );

    const keychain = testKeychain();
    let { warden, api } = await openDesktop(keychain);
    const walSeen: Buffer[] = [];
    try {
      const listed = await providers(api);
      expect(listed.store).toEqual({ available: true, protection: 'keychain' });
      expect(listed.providers.map((p) => [p.name, p.key, p.agentIds])).toEqual([
        ['anthropic', 'missing', ['reviewer']],
        ['openai', 'missing', ['drafter']],
        ['local', 'not-needed', ['summarizer']],
      ]);
      // An agent without its key is refused before anything is recorded; one that needs none runs.
      await expect(warden.runtime.start('reviewer', { contract: 'NDA' })).rejects.toThrow(
        /reviewer cannot run: model provider "anthropic": its API key is not set \(environment variable WARDEN_TEST_DESKTOP_ANTHROPIC_KEY/,
      );
      expect(warden.ledger.reader.count({ agentId: 'reviewer', type: 'run.started' })).toBe(0);
      // Its eval suite is refused too, rather than failing every case and suspending the agent for it.
      await expect(api.call('evals.run', { agentId: 'reviewer' }, 'console:desktop')).rejects.toThrow(
        /^the eval suite cannot run: reviewer cannot run: model provider "anthropic"/,
      );
      expect(await api.call('evals.run', {}, 'console:desktop')).toEqual({ started: [] });
      expect(warden.ledger.reader.count({ type: 'eval.run' })).toBe(0);
      expect(warden.runtime.hold('reviewer')).toBeNull();
      // Nor can it be tested, and nothing is sent.
      const sentBefore = anthropic.received.length;
      await expect(api.call('providers.test', { provider: 'anthropic' }, 'console:desktop')).rejects.toThrow(
        /^model provider "anthropic": its API key is not set/,
      );
      expect(anthropic.received.length).toBe(sentBefore);
      local.reply({
        status: 200,
        json: openaiCompletion({ content: 'Short.' }, { prompt_tokens: 5, completion_tokens: 1 }, 'llama3'),
      });
      expect((await warden.runtime.run('summarizer', { notes: 'x' })).status).toBe('ok');

      const stored = (await api.call(
        'providers.setKey',
        { provider: 'anthropic', key: CANARY },
        'console:desktop',
      )) as ApiResult<'providers.setKey'>;
      expect(stored).toMatchObject({ key: 'stored', variable: ANTHROPIC_VAR, stored: { protection: 'keychain' } });
      const [event] = [...warden.ledger.reader.each({ type: 'provider.key.stored' })];
      expect(event?.payload).toEqual({
        provider: 'anthropic',
        variable: ANTHROPIC_VAR,
        protection: 'keychain',
        by: 'console:desktop',
      });

      reviewerReply('Acceptable.');
      const run = await warden.runtime.run('reviewer', { contract: 'NDA', note: `key ${CANARY}` });
      expect([run.status, run.output]).toEqual(['ok', 'Acceptable.']);
      expect(JSON.stringify(anthropic.received.at(-1)!.headers)).toContain(CANARY);
      for (const name of ['ledger.db', 'ledger.db-wal']) {
        const path = join(data(), name);
        if (existsSync(path)) walSeen.push(readFileSync(path));
      }
    } finally {
      api.close();
      await warden.close();
    }

    // After a restart the stored key is found again, and the environment's key wins over it.
    ({ warden, api } = await openDesktop(keychain));
    try {
      reviewerReply('Still acceptable.');
      expect((await warden.runtime.run('reviewer', { contract: 'MSA' })).status).toBe('ok');
      expect(JSON.stringify(anthropic.received.at(-1)!.headers)).toContain(CANARY);
      process.env[ANTHROPIC_VAR] = ENV_KEY;
      expect((await providers(api)).providers[0]).toMatchObject({
        key: 'environment',
        stored: { protection: 'keychain' },
      });
      reviewerReply('From the environment.');
      expect((await warden.runtime.run('reviewer', { contract: 'SOW' })).status).toBe('ok');
      expect(JSON.stringify(anthropic.received.at(-1)!.headers)).toContain(ENV_KEY);
      delete process.env[ANTHROPIC_VAR];

      // Removing the stored key takes the agent off again, and says so in the ledger.
      const removed = (await api.call('providers.removeKey', { provider: 'anthropic' }, 'console:desktop')) as {
        key: string;
      };
      expect(removed.key).toBe('missing');
      expect(warden.ledger.reader.count({ type: 'provider.key.removed' })).toBe(1);
      await expect(warden.runtime.start('reviewer', {})).rejects.toThrow(/its API key is not set/);
    } finally {
      delete process.env[ANTHROPIC_VAR];
      api.close();
      await warden.close();
    }

    // The key is nowhere on disk: not in the ledger (the run's input held it), its WAL, logs or the key store.
    expect(walSeen.length).toBeGreaterThan(0);
    const everything = [...walSeen, ...filesUnder(data()).map((f) => readFileSync(f))];
    for (const bytes of everything) expect(bytes.includes(CANARY)).toBe(false);
  });

  it('needs the person to agree before a key is kept as plain text, where there is no keychain', async () => {
    const plain = join(dir, 'plain');
    const warden = await openWarden({
      rosterDir: roster(),
      dataDir: plain,
      keyStore: new ProviderKeyStore(plain, undefined),
    });
    const api = consoleApi(warden);
    try {
      expect((await providers(api)).store).toEqual({ available: true, protection: 'plain-text' });
      await expect(
        api.call('providers.setKey', { provider: 'openai', key: 'sk-plain' }, 'console:desktop'),
      ).rejects.toMatchObject({ code: 'E_KEY_UNPROTECTED' });
      expect(warden.ledger.reader.count({ type: 'provider.key.stored' })).toBe(0);
      const view = (await api.call(
        'providers.setKey',
        { provider: 'openai', key: 'sk-plain', allowPlainText: true },
        'console:desktop',
      )) as ApiResult<'providers.setKey'>;
      expect(view).toMatchObject({ key: 'stored', stored: { protection: 'plain-text' } });
      await expect(api.call('providers.setKey', { provider: 'local', key: 'k' }, 'console:desktop')).rejects.toThrow(
        'provider "local" takes no API key',
      );
      await expect(api.call('providers.setKey', { provider: 'nope', key: 'k' }, 'console:desktop')).rejects.toThrow(
        'provider "nope" is not in warden.yaml providers',
      );
    } finally {
      api.close();
      await warden.close();
    }
  });

  it('tells a serve-mode console that keys come from the environment', async () => {
    process.env[ANTHROPIC_VAR] = ENV_KEY;
    process.env[OPENAI_VAR] = 'sk-openai-env';
    try {
      const warden = await openWarden({ rosterDir: roster(), dataDir: join(dir, 'serve') });
      const api = consoleApi(warden);
      try {
        const listed = await providers(api);
        expect(listed.store).toEqual({ available: false, protection: null });
        expect(listed.providers.map((p) => p.key)).toEqual(['environment', 'environment', 'not-needed']);
        await expect(
          api.call('providers.setKey', { provider: 'anthropic', key: 'sk-x' }, 'console'),
        ).rejects.toMatchObject({
          code: 'E_UNSUPPORTED',
          message: `keys are entered in the desktop app; here they come from the environment: set ${ANTHROPIC_VAR} and restart`,
        });
      } finally {
        api.close();
        await warden.close();
      }
    } finally {
      delete process.env[ANTHROPIC_VAR];
      delete process.env[OPENAI_VAR];
    }
  });
});
