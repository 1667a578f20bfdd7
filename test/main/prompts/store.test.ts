import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import { sha256Hex } from '../../../src/main/ledger/hash.js';
import type { EventPayload } from '../../../src/shared/events.js';
import { cli, useTempDirs } from '../cli/helpers.js';
import { rosterWithSuites } from '../evals/roster.js';

const temp = useTempDirs();
const opened: Warden[] = [];
afterEach(async () => {
  for (const w of opened.splice(0)) await w.close();
  temp.cleanup();
});

async function open(roster: string, data: string): Promise<Warden> {
  const w = await openWarden({ rosterDir: roster, dataDir: data, pollMs: 20 });
  opened.push(w);
  return w;
}

const quote = { kind: 'quote', customer: 'Tailspin Toys', items: [{ sku: 'PAP-A4-500', quantity: 2 }] };

describe('the prompt store', () => {
  it('takes each manifest prompt as version 1, and runs record the version they used', async () => {
    const dir = temp.make();
    const w = await open(rosterWithSuites(dir, {}), join(dir, 'data'));
    const v1 = w.runtime.prompts.current('quoting')!;
    expect(v1).toMatchObject({ version: 1, by: 'roster:agents/quoting.yaml' });
    expect(v1.text).toBe(w.roster.agents.find((a) => a.id === 'quoting')!.prompt);
    expect(v1.sha256).toBe(sha256Hex(v1.text));
    const run = await w.runtime.run('quoting', quote);
    const started = w.ledger.reader.page({ runId: run.runId, type: 'run.started' }).events[0]!;
    expect((started.payload as EventPayload<'run.started'>).promptVersion).toBe(1);
  });

  it('keeps every change with who and why; a rollback is a new version; the manifest changing is one too', async () => {
    const dir = temp.make();
    const roster = rosterWithSuites(dir, {});
    const data = join(dir, 'data');
    let w = await open(roster, data);
    const store = w.runtime.prompts;
    const v2 = await store.set('quoting', 'Quote in euros.', 'cao@acme', 'the EU subsidiary');
    expect(v2).toMatchObject({
      version: 2,
      by: 'cao@acme',
      reason: 'the EU subsidiary',
      sha256: sha256Hex('Quote in euros.'),
    });
    // The next run starts with the new version, and records which.
    const run = await w.runtime.run('quoting', quote);
    expect(
      (w.ledger.reader.page({ runId: run.runId, type: 'run.started' }).events[0]!.payload as { promptVersion: number })
        .promptVersion,
    ).toBe(2);
    const v3 = await store.rollback('quoting', 1, 'cao@acme', 'euros confused customers');
    expect(v3).toMatchObject({ version: 3, reason: 'rollback to v1: euros confused customers' });
    expect(v3.text).toBe(store.history('quoting')[0]!.text);
    await expect(store.rollback('quoting', 9, 'cao', 'x')).rejects.toThrow(/no prompt version 9/);
    await expect(store.set('quoting', 'x', 'cao', ' ')).rejects.toThrow(/needs a reason/);
    // Reopening with the same manifest adds nothing; editing the manifest's prompt adds a version.
    await w.close();
    opened.splice(0);
    w = await open(roster, data);
    expect(w.runtime.prompts.current('quoting')!.version).toBe(3);
    await w.close();
    opened.splice(0);
    const file = join(roster, 'agents', 'quoting.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/^prompt: .*$/m, 'prompt: You price requests and never discount.'),
    );
    w = await open(roster, data);
    expect(w.runtime.prompts.current('quoting')).toMatchObject({
      version: 4,
      text: 'You price requests and never discount.',
      by: 'roster:agents/quoting.yaml',
      reason: 'agents/quoting.yaml changed its prompt',
    });
  });

  it('is driven from the command line: list, show, set, rollback', async () => {
    const dir = temp.make();
    const data = join(dir, 'data');
    await (await open(rosterWithSuites(dir, {}), data)).close();
    opened.splice(0);
    const set = await cli(
      'prompts',
      'set',
      'intake',
      '--text',
      'Read every attachment.',
      '--reason',
      'missed PDFs',
      '--by',
      'ops',
      '--data-dir',
      data,
    );
    expect(set.code).toBe(0);
    expect(set.out[0]!.split('\n')[0]).toMatch(/^intake {2}v2 {2}\S+ {2}[0-9a-f]{12} {2}by ops: missed PDFs$/);
    expect((await cli('prompts', 'show', 'intake', '--data-dir', data)).stdout).toContain('Read every attachment.');
    expect((await cli('prompts', 'show', 'intake', '--version', '1', '--data-dir', data)).stdout).toContain(
      'You read inbound messages',
    );
    expect((await cli('prompts', 'rollback', 'intake', '--to', '1', '--reason', 'back', '--data-dir', data)).code).toBe(
      0,
    );
    const list = await cli('prompts', 'list', '--agent', 'intake', '--data-dir', data);
    expect(list.out.map((l) => l.split('  ')[1])).toEqual(['v1', 'v2', 'v3']);
    expect(await cli('prompts', 'set', 'intake', '--text', 'x', '--data-dir', data)).toMatchObject({
      code: 2,
      stderr: 'warden prompts set: --reason is required: say why, for the record',
    });
    expect((await cli('prompts', 'set', 'ghost', '--text', 'x', '--reason', 'y', '--data-dir', data)).stderr).toMatch(
      /ghost has no prompt in this ledger/,
    );
  });
});
