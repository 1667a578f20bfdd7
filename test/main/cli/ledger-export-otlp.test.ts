import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/main/ledger/index.js';
import { DEMO_BUILD_MS, demoCopy } from '../../helpers/demo.js';
import { attributesOf, checkAgainstOtlpSchema, spansOf } from '../../helpers/otlp.js';
import { cli, expectOneCleanLine, useTempDirs } from './helpers.js';

const temp = useTempDirs();
let data: string;
let outDir: string;
/** The demo's runs that no handoff started, and one that a handoff did. */
let roots: number;
let childRun: string;
let head: number;

beforeAll(async () => {
  data = await demoCopy(temp.make('warden-otlp-cli-'));
  outDir = temp.make('warden-otlp-cli-out-');
  const ledger = Ledger.open(data, { mode: 'existing' });
  try {
    const starts = [...ledger.reader.each({ type: 'run.started' })];
    roots = starts.filter((e) => e.payload.parentRunId === undefined).length;
    childRun = starts.find((e) => e.payload.parentRunId !== undefined)!.runId!;
    head = ledger.reader.head()!.seq;
  } finally {
    ledger.close();
  }
}, DEMO_BUILD_MS);
afterAll(() => temp.cleanup());

const exportTo = (name: string, ...flags: string[]) => {
  const out = join(outDir, name);
  return cli('ledger', 'export', '--data-dir', data, '--out', out, ...flags).then((r) => ({ ...r, file: out }));
};

describe('warden ledger export --format otlp', () => {
  it('writes the whole ledger as OTLP/JSON, one root run a line, and says how many', async () => {
    const r = await exportTo('traces.jsonl', '--format', 'otlp');
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(r.file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(roots);
    const spans = lines.map(checkAgainstOtlpSchema).flatMap(spansOf);
    expect(r.stdout).toBe(
      `Exported ${roots} traces (${spans.length} spans) to ${r.file} (otlp); chain head seq ${head}.`,
    );
  });

  it('--run writes that run alone, and --json prints the summary', async () => {
    const r = await exportTo('one.jsonl', '--format', 'otlp', '--run', childRun, '--json');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { traces: number; spans: number; format: string };
    expect(summary).toMatchObject({ file: r.file, format: 'otlp', traces: 1, chainHead: { seq: head } });
    const [line] = readFileSync(r.file, 'utf8').trimEnd().split('\n');
    const spans = spansOf(checkAgainstOtlpSchema(line!));
    expect(spans).toHaveLength(summary.spans);
    expect(attributesOf(spans[0]!)).toMatchObject({
      'warden.run.id': childRun,
      'gen_ai.operation.name': 'invoke_agent',
    });
  });

  it.each([
    [['--format', 'otel'], 'warden ledger export: --format: expected jsonl, csv, otlp, html or pdf, got "otel"'],
    [
      ['--format', 'otlp', '--type', 'run.log'],
      'warden ledger export: --type applies to jsonl and csv; an otlp export holds whole traces (--run, or --agent, --from, --to)',
    ],
    [
      ['--format', 'otlp', '--unit', 'finance'],
      'warden ledger export: --unit applies to html and pdf reports, not to otlp',
    ],
    [
      ['--format', 'otlp', '--run', 'run-x', '--agent', 'quoting', '--from', '2026-01-01'],
      "warden ledger export: --run exports that run's trace alone; leave out --agent, --from",
    ],
    [
      ['--format', 'otlp', '--run', 'run-nope'],
      'warden ledger export: --run: no run run-nope in this ledger (warden runs list shows the latest)',
    ],
  ])('%j is refused on one line, exit 2, writing nothing', async (flags, message) => {
    const r = await exportTo('refused.jsonl', ...flags);
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toBe(message);
    expect(readdirSync(outDir)).not.toContain('refused.jsonl');
    expect(readdirSync(outDir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
