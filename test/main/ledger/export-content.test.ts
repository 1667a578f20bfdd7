import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, verifyExportFile } from '../../../src/main/ledger/index.js';
import type { NewEvent } from '../../../src/shared/events.js';
import { tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let ledger: Ledger;
let now: Date;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  now = new Date('2026-11-01T09:00:00.000Z');
  ledger = Ledger.open(dir, { clock: () => now });
});
afterEach(() => {
  ledger.close();
  cleanup();
});

const BIG = { rows: Array.from({ length: 400 }, (_, i) => ({ invoice: `INV-${i}`, amountUsd: i * 3 })) };

/** A run that asks a model, then reads a large result: three messages and a reply, and the result by reference. */
async function run(runId: string, question: string): Promise<void> {
  const stamp = (e: NewEvent): NewEvent => ({ ...e, runId, agentId: 'payables' });
  await ledger.append(
    stamp({
      type: 'model.called',
      payload: {
        provider: 'scripted',
        model: 'demo',
        inputTokens: 1,
        outputTokens: 1,
        costUsd: 0,
        latencyMs: 1,
        request: {
          messages: [
            ledger.content({ role: 'system', content: 'You reconcile.' }),
            ledger.content({ role: 'user', content: question }),
          ],
        },
        reply: ledger.content({ text: null, toolCalls: [{ id: 't1', name: 'books.list', arguments: {} }] }),
      },
    }),
  );
  await ledger.append(
    stamp({
      type: 'tool.result',
      payload: { callId: `call-${runId}`, ok: true, latencyMs: 3, resultRef: ledger.content(BIG) },
    }),
  );
}

function exported(filters = {}): { file: string; lines: string[] } {
  const file = join(dir, `export-${Math.random().toString(36).slice(2)}.jsonl`);
  ledger.export(file, 'jsonl', filters);
  return { file, lines: readFileSync(file, 'utf8').trim().split('\n') };
}

const contentLines = (lines: string[]) =>
  lines.filter((l) => l.startsWith('{"kind":"content"')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a JSONL export with content', () => {
  it('carries each piece of content its events name once, after the events, and verifies each against its hash', async () => {
    await run('run-1', 'match March');
    await run('run-2', 'match April');
    const { file, lines } = exported();
    const content = contentLines(lines);
    // system prompt, two questions, one reply (the same twice), one result (the same twice)
    expect(content).toHaveLength(5);
    expect(JSON.parse(lines[0]!)).toMatchObject({ formatVersion: 3, content: { algorithm: 'sha256', count: 5 } });
    expect(content.map((c) => c.body)).toContainEqual(BIG);
    expect(lines.slice(1, 5).every((l) => l.startsWith('{"seq"'))).toBe(true);
    expect(verifyExportFile(file)).toMatchObject({ ok: true, content: { bodies: 5, removed: 0 } });

    // An export of one run carries that run's content only.
    const one = contentLines(exported({ runId: 'run-2' }).lines);
    expect(one.map((c) => c.body)).not.toContainEqual({ role: 'user', content: 'match March' });
    expect(one).toHaveLength(4);
  });

  it('names a changed body, and an event whose content the file lacks', async () => {
    await run('run-1', 'match March');
    const { file, lines } = exported();
    const at = lines.findIndex((l) => l.includes('match March') && l.startsWith('{"kind":"content"'));
    const changed = [...lines];
    changed[at] = changed[at]!.replace('match March', 'pay everyone');
    writeFileSync(file, `${changed.join('\n')}\n`);
    const report = verifyExportFile(file);
    expect(report.ok).toBe(false);
    expect(report.firstBreak!.message).toMatch(/does not match its hash: it was changed/);

    const dropped = lines.filter((_, i) => i !== at);
    writeFileSync(file, `${dropped.join('\n')}\n`);
    const missing = verifyExportFile(file);
    expect(missing.ok).toBe(false);
    expect(missing.firstBreak).toMatchObject({ seq: 1 });
    expect(missing.firstBreak!.message).toMatch(/seq 1 names content [0-9a-f]{16}… that the export does not hold/);
  });

  it('says where retention removed a body, by whom and why, and still verifies', async () => {
    await run('run-1', 'match March');
    now = new Date('2026-11-15T00:00:00.000Z');
    const prune = await ledger.prune({ before: now, by: 'cli:auditor', reason: 'kept 14 days' });
    const { file, lines } = exported();
    const content = contentLines(lines);
    expect(content).toHaveLength(4);
    for (const c of content)
      expect(c).toMatchObject({ removed: { seq: prune.seq, at: prune.ts, by: 'cli:auditor', reason: 'kept 14 days' } });
    expect(verifyExportFile(file)).toMatchObject({ ok: true, content: { bodies: 0, removed: 4 } });
  });
});
