import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleApi } from '../../../src/main/host/api/index.js';
import { ProviderKeyStore } from '../../../src/main/host/provider-keys.js';
import { openWarden } from '../../../src/main/host/warden.js';
import type { ApiResult } from '../../../src/shared/api.js';
import { testKeychain } from '../../helpers/keychain.js';
import { filesUnder, tempDir } from '../../helpers/temp.js';

const CANARY = 'sk-canary-7f3a9c1e5d';
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const echo = fileURLToPath(new URL('../../fixtures/mcp/echo-server.ts', import.meta.url));

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'roster', 'agents'), { recursive: true });
  writeFileSync(join(dir, 'roster', 'warden.yaml'), 'organisation: { name: Acme }\n');
  writeFileSync(
    join(dir, 'roster', 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        echo: { command: process.execPath, args: ['--import', tsx, echo], env: { API_KEY: '${WARDEN_TEST_CANARY}' } },
      },
    }),
  );
  writeFileSync(
    join(dir, 'roster', 'agents', 'caller.yaml'),
    'id: caller\nrole: calls echo\ntools:\n  - { name: echo.env_length, access: read }\n  - { name: echo.leak_env, access: read }\n',
  );
  writeFileSync(
    join(dir, 'roster', 'agents', 'caller.js'),
    "export default async (task, warden) => task.leak ? warden.tool('echo.leak_env', { name: 'API_KEY' }) : warden.tool('echo.env_length', { name: 'API_KEY' });\n",
  );
});
afterAll(() => cleanup());

describe('secrets from the environment', () => {
  it('reach the MCP server and nothing on disk: ledger, WAL, logs, exports', async () => {
    process.env.WARDEN_TEST_CANARY = CANARY;
    try {
      const warden = await openWarden({ rosterDir: join(dir, 'roster'), dataDir: join(dir, 'data') });
      const result = await warden.runtime.run('caller', {});
      expect(result.status).toBe('ok');
      // The server saw the key: its length came back (the value itself never crosses).
      expect(result.output).toBe(CANARY.length);
      // A careless server that prints the key and returns it: the log and the ledger get neither.
      const leaked = await warden.runtime.run('caller', { leak: true });
      expect(leaked.output).toBe(`API_KEY is ${CANARY}`);
      const result2 = warden.ledger.reader.page({ runId: leaked.runId, type: 'tool.result' }).events[0]!;
      expect(JSON.stringify(result2.payload)).toContain('API_KEY is [redacted:WARDEN_TEST_CANARY]');
      warden.ledger.export(join(dir, 'data', 'export.jsonl'), 'jsonl');
      warden.ledger.export(join(dir, 'data', 'export.csv'), 'csv');
      await warden.close();
    } finally {
      delete process.env.WARDEN_TEST_CANARY;
    }
    const files = filesUnder(join(dir, 'data'));
    expect(files.some((f) => f.endsWith('ledger.db'))).toBe(true);
    for (const file of files) expect(readFileSync(file).includes(CANARY), file).toBe(false);
    // The server's debug line did reach its log, with the key taken out.
    expect(readFileSync(join(dir, 'data', 'logs', 'mcp-echo.log'), 'utf8')).toContain(
      'debug: API_KEY=[redacted:WARDEN_TEST_CANARY]',
    );
  });
});

describe('server secrets entered in the desktop app', () => {
  it('start a server that lacked them, stay out of the ledger, and are refused in serve mode', async () => {
    const data = join(dir, 'desktop');
    const keychain = testKeychain();
    const warden = await openWarden({
      rosterDir: join(dir, 'roster'),
      dataDir: data,
      keyStore: new ProviderKeyStore(data, keychain),
    });
    const api = consoleApi(warden);
    try {
      const before = await warden.runtime.run('caller', {});
      expect(before.status).toBe('error');
      expect(before.error?.message).toMatch(/environment variable WARDEN_TEST_CANARY is not set/);
      const listed = (await api.call('providers.list', {}, 'console:desktop')) as ApiResult<'providers.list'>;
      expect(listed.secrets).toEqual([
        { variable: 'WARDEN_TEST_CANARY', servers: ['echo'], key: 'missing', stored: null },
      ]);
      await expect(api.call('secrets.set', { variable: 'OTHER', key: 'x' }, 'console:desktop')).rejects.toThrow(
        'mcp.json passes no ${OTHER} to any server',
      );

      const stored = (await api.call(
        'secrets.set',
        { variable: 'WARDEN_TEST_CANARY', key: CANARY },
        'console:desktop',
      )) as ApiResult<'secrets.set'>;
      expect(stored).toMatchObject({ key: 'stored', stored: { protection: 'keychain' } });
      // The server starts on the next call, with the stored value.
      const after = await warden.runtime.run('caller', {});
      expect([after.status, after.output]).toEqual(['ok', CANARY.length]);
      const leaked = await warden.runtime.run('caller', { leak: true });
      const result = warden.ledger.reader.page({ runId: leaked.runId, type: 'tool.result' }).events[0]!;
      expect(JSON.stringify(result.payload)).toContain('API_KEY is [redacted:WARDEN_TEST_CANARY]');
      expect([...warden.ledger.reader.each({ type: 'secret.stored' })].map((e) => e.payload)).toEqual([
        { variable: 'WARDEN_TEST_CANARY', servers: ['echo'], protection: 'keychain', by: 'console:desktop' },
      ]);
    } finally {
      api.close();
      await warden.close();
    }
    for (const file of filesUnder(data)) expect(readFileSync(file).includes(CANARY), file).toBe(false);

    // Serve mode reads the environment alone: without the variable the roster does not open,
    // as with a missing model key; with it, a secret still cannot be stored from the console.
    await expect(openWarden({ rosterDir: join(dir, 'roster'), dataDir: join(dir, 'serve') })).rejects.toThrow(
      'mcp.json: mcpServers.echo.env.API_KEY: environment variable WARDEN_TEST_CANARY is not set',
    );
    process.env.WARDEN_TEST_CANARY = 'from-the-environment';
    const serve = await openWarden({ rosterDir: join(dir, 'roster'), dataDir: join(dir, 'serve') }).finally(
      () => delete process.env.WARDEN_TEST_CANARY,
    );
    const serveApi = consoleApi(serve);
    try {
      await expect(
        serveApi.call('secrets.set', { variable: 'WARDEN_TEST_CANARY', key: CANARY }, 'console'),
      ).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
    } finally {
      serveApi.close();
      await serve.close();
    }
  });
});
