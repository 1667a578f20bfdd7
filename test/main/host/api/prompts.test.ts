import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleApi, type ConsoleApi } from '../../../../src/main/host/api/index.js';
import { openWarden, type Warden } from '../../../../src/main/host/warden.js';
import type { PromptVersionView } from '../../../../src/shared/api.js';
import { useTempDirs } from '../../cli/helpers.js';
import { rosterWithSuites } from '../../evals/roster.js';

const temp = useTempDirs();
let warden: Warden | undefined;
let api: ConsoleApi | undefined;
afterEach(async () => {
  api?.close();
  await warden?.close();
  api = undefined;
  warden = undefined;
  temp.cleanup();
});

async function open(): Promise<ConsoleApi> {
  const dir = temp.make('warden-prompts-api-');
  warden = await openWarden({ rosterDir: rosterWithSuites(dir, {}), dataDir: join(dir, 'data'), pollMs: 20 });
  api = consoleApi(warden);
  return api;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const history = async (agentId: string) =>
  (await api!.call('prompts.history', { agentId }, 'console')) as PromptVersionView[];

describe('the prompts in the console API', () => {
  it('lists the version the manifest gave, oldest first, with its hash and who recorded it', async () => {
    await open();
    const versions = await history('reconciliation');
    expect(versions).toHaveLength(1);
    const [first] = versions;
    const manifest = warden!.roster.agents.find((a) => a.id === 'reconciliation')!;
    expect(first).toMatchObject({
      agentId: 'reconciliation',
      version: 1,
      text: manifest.prompt || manifest.role,
      by: 'roster:agents/reconciliation.yaml',
    });
    expect(first!.sha256).toBe(sha256(first!.text));
    expect(first!.seq).toBeGreaterThan(0);
    expect(Date.parse(first!.ts)).not.toBeNaN();
  });

  it('sets a new version by the caller, with its reason, and runs use it from then on', async () => {
    await open();
    const set = (await api!.call(
      'prompts.set',
      { agentId: 'reconciliation', text: 'Reconcile the books. Never pay twice.', reason: 'duplicate payments' },
      'console',
    )) as PromptVersionView;
    expect(set).toMatchObject({ version: 2, by: 'console', reason: 'duplicate payments' });
    expect(set.sha256).toBe(sha256('Reconcile the books. Never pay twice.'));
    expect((await history('reconciliation')).map((v) => v.version)).toEqual([1, 2]);
    expect(warden!.runtime.prompts.current('reconciliation')?.text).toBe('Reconcile the books. Never pay twice.');
    const [event] = [...warden!.ledger.reader.each({ agentId: 'reconciliation', type: 'prompt.changed' })].slice(-1);
    expect(event!.payload).toMatchObject({ version: 2, by: 'console', reason: 'duplicate payments' });
  });

  it('rolls back to an earlier version as a new version, keeping the history', async () => {
    await open();
    const [v1] = await history('quoting');
    await api!.call('prompts.set', { agentId: 'quoting', text: 'Quote high.', reason: 'try it' }, 'console');
    const back = (await api!.call(
      'prompts.rollback',
      { agentId: 'quoting', to: 1, reason: 'quotes lost deals' },
      'alice',
    )) as PromptVersionView;
    expect(back).toMatchObject({ version: 3, text: v1!.text, sha256: v1!.sha256, by: 'alice' });
    expect(back.reason).toContain('rollback to v1');
    expect(back.reason).toContain('quotes lost deals');
    const versions = await history('quoting');
    expect(versions.map((v) => [v.version, v.text])).toEqual([
      [1, v1!.text],
      [2, 'Quote high.'],
      [3, v1!.text],
    ]);
  });

  it('refuses bad input with a coded error and records nothing', async () => {
    await open();
    const before = warden!.ledger.reader.count({ type: 'prompt.changed' });
    const refused = async (method: string, params: unknown) => {
      const error = await api!.call(method, params, 'console').then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(error, `${method} ${JSON.stringify(params)}`).not.toBeNull();
      return error!;
    };
    expect(await refused('prompts.set', { agentId: 'quoting', text: 'x', reason: '   ' })).toMatchObject({
      code: 'E_USAGE',
      message: expect.stringMatching(/reason/),
    });
    expect(await refused('prompts.set', { agentId: 'quoting', text: 'x' })).toMatchObject({ code: 'E_USAGE' });
    expect(await refused('prompts.set', { agentId: 'quoting', text: ' \n ', reason: 'r' })).toMatchObject({
      code: 'E_USAGE',
      message: expect.stringMatching(/empty/),
    });
    expect(
      await refused('prompts.set', { agentId: 'quoting', text: 'x'.repeat(20_001), reason: 'long' }),
    ).toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/text/) });
    expect(await refused('prompts.rollback', { agentId: 'quoting', to: 9, reason: 'r' })).toMatchObject({
      code: 'E_USAGE',
      message: expect.stringMatching(/no prompt version 9/),
    });
    expect(await refused('prompts.rollback', { agentId: 'quoting', to: 0, reason: 'r' })).toMatchObject({
      code: 'E_USAGE',
    });
    expect(await refused('prompts.rollback', { agentId: 'quoting', to: 1, reason: '' })).toMatchObject({
      code: 'E_USAGE',
    });
    for (const [method, params] of [
      ['prompts.history', { agentId: 'nobody' }],
      ['prompts.set', { agentId: 'nobody', text: 'x', reason: 'r' }],
      ['prompts.rollback', { agentId: 'nobody', to: 1, reason: 'r' }],
    ] as const)
      expect(await refused(method, params)).toMatchObject({ code: 'E_AGENT_UNKNOWN' });
    expect(warden!.ledger.reader.count({ type: 'prompt.changed' })).toBe(before);
  });
});
