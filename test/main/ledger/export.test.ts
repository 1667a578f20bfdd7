import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, verifyExportFile } from '../../../src/main/ledger/index.js';
import { ExportHeaderSchema } from '../../../src/shared/export.js';
import { logEvent, tempDir } from '../../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let ledger: Ledger;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  ledger = Ledger.open(dir);
  for (let i = 0; i < 20; i++) {
    await ledger.append(
      logEvent(`message ${i + 1}, with "quotes"\nand a newline`, `run-${i % 4}`, i % 2 ? 'quoting' : 'intake'),
    );
  }
});
afterAll(() => {
  ledger.close();
  cleanup();
});

function exportTo(name: string, filters = {}, format: 'jsonl' | 'csv' = 'jsonl'): string {
  const file = join(dir, name);
  ledger.export(file, format, filters);
  return file;
}

function editLine(file: string, index: number, edit: (line: string) => string | null): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  const edited = edit(lines[index]!);
  if (edited === null) lines.splice(index, 1);
  else lines[index] = edited;
  writeFileSync(file, lines.join('\n'));
}

describe('JSONL export', () => {
  it('starts with a header naming the format, the chain head, the count and the filters', () => {
    const file = exportTo('all.jsonl');
    const header = ExportHeaderSchema.parse(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!));
    expect(header).toMatchObject({
      formatVersion: 3,
      count: 20,
      filters: {},
      chainHead: { seq: 20 },
      content: { count: 0 },
    });
    expect(header.chainHead!.hash).toBe(ledger.reader.head()!.hash);
  });

  it('verifies on its own, with every link checked', () => {
    const report = verifyExportFile(exportTo('whole.jsonl'));
    expect(report).toMatchObject({ ok: true, checked: 20, linksChecked: 19, gaps: 0 });
  });

  it('verifies a filtered export: each event proves itself, gaps are counted', () => {
    const report = verifyExportFile(exportTo('intake.jsonl', { agentId: 'intake' }));
    // intake holds seqs 1, 3, …, 19: nine jumps, no consecutive pair.
    expect(report).toMatchObject({ ok: true, checked: 10, linksChecked: 0, gaps: 9 });
    const run = verifyExportFile(exportTo('range.jsonl', { runId: 'run-1' }));
    expect(run.ok).toBe(true);
    expect(run.checked).toBe(5);
  });

  it('names the seq of an edited event', () => {
    const file = exportTo('edited.jsonl');
    editLine(file, 8, (line) => line.replace('message 8', 'message 9'));
    expect(verifyExportFile(file).firstBreak).toMatchObject({ seq: 8, reason: 'hash-mismatch' });
  });

  it('finds an event removed from a whole-ledger export', () => {
    const file = exportTo('removed.jsonl');
    editLine(file, 5, () => null);
    expect(verifyExportFile(file).firstBreak).toMatchObject({ seq: 5, reason: 'missing-seq' });
  });

  it('finds an event removed from a filtered export through the header count', () => {
    const file = exportTo('filtered-removed.jsonl', { agentId: 'quoting' });
    editLine(file, 3, () => null);
    const report = verifyExportFile(file);
    expect(report.ok).toBe(false);
    expect(report.firstBreak?.message).toMatch(/header promises 10 events but the file holds 9/);
  });

  it('finds a whole-ledger export cut short', () => {
    const file = exportTo('cut.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const header = JSON.parse(lines[0]!);
    header.count = 15;
    writeFileSync(file, [JSON.stringify(header), ...lines.slice(1, 16)].join('\n'));
    expect(verifyExportFile(file).firstBreak?.message).toMatch(/cut off/);
  });

  it('finds a garbled event line', () => {
    const file = exportTo('garbled.jsonl');
    editLine(file, 3, (line) => line.slice(0, 40));
    expect(verifyExportFile(file).firstBreak).toMatchObject({ seq: 3, reason: 'malformed' });
  });

  it('refuses a file that is not an export', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'dear auditor\n');
    expect(() => verifyExportFile(file)).toThrow(/not a Warden ledger export/);
  });

  it('leaves no partial file behind when the export fails', () => {
    expect(() => ledger.export(join(dir, 'missing-folder', 'x.jsonl'), 'jsonl')).toThrow();
    expect(readdirSync(dir).some((f) => f.includes('.partial-'))).toBe(false);
  });
});

describe('CSV export', () => {
  it('writes one RFC 4180 row per event with the hashes', () => {
    const file = exportTo('all.csv', { runId: 'run-0' }, 'csv');
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('seq,ts,run_id,agent_id,type,v,payload,prev_hash,hash\r\n')).toBe(true);
    // The payload holds quotes, commas and a newline: it must come back intact.
    const payloadField = /"(\{(?:[^"]|"")*\})"/.exec(text)![1]!.replace(/""/g, '"');
    expect(JSON.parse(payloadField)).toEqual({ level: 'info', message: 'message 1, with "quotes"\nand a newline' });
    expect(existsSync(file)).toBe(true);
    const rows = text.trim().split('\r\n');
    expect(rows).toHaveLength(1 + 5);
  });
});
