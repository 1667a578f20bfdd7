import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointProblem } from '../../../src/main/audit/checkpoints.js';
import { signingKey } from '../../../src/main/audit/keys.js';
import type { ReportSummary } from '../../../src/main/audit/report/index.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { DEMO_BUILD_MS, demoCopy } from '../../helpers/demo.js';
import { cli, expectOneCleanLine, ROOT, useTempDirs } from './helpers.js';

const DEMO_ROSTER = join(ROOT, 'resources', 'demo');
const temp = useTempDirs();
let data: string;
let out: string;
beforeAll(async () => {
  data = await demoCopy(temp.make('warden-report-cli-'));
  out = temp.make('warden-report-out-');
}, DEMO_BUILD_MS);
afterAll(() => temp.cleanup());

const report = (name: string, ...flags: string[]) => {
  const file = join(out, name);
  return cli('ledger', 'export', '--data-dir', data, '--out', file, ...flags).then((r) => ({ ...r, file }));
};

describe('warden ledger export --format html|pdf on the demo', () => {
  it('writes an HTML report anchored to a checkpoint it signs, with what the demo did', async () => {
    const r = await report('demo.html', '--format', 'html', '--roster', DEMO_ROSTER, '--json');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as ReportSummary;
    const ledger = Ledger.open(data, { mode: 'existing' });
    try {
      const signed = ledger.latestCheckpoint()!;
      expect(checkpointProblem(signed, signingKey(data).fingerprint)).toBeNull();
      expect(summary.checkpoint).toEqual({
        size: ledger.reader.head()!.seq,
        rootHash: signed.rootHash,
        keyFingerprint: signed.keyFingerprint,
      });
      expect(summary.events).toBe(ledger.reader.head()!.seq);
      const html = readFileSync(r.file, 'utf8');
      for (const value of [signed.rootHash, signed.signature, signed.keyFingerprint, signed.origin])
        expect(html).toContain(value);
      expect(html).toContain('<h1>Acme Supplies</h1>');
      // The approval that waits, the large payment a human executes, the injection, the loop, both caps, the suite below minimum.
      expect(html).toMatch(/books\.post_payment · \$4,200\.00[\s\S]*?<td class="bad">pending<\/td>/);
      expect(html).toContain('<td class="num">$18,000.00</td>');
      expect(html).toContain('<td>injection</td>');
      expect(html).toMatch(/coordinator › [a-z-]+ ›/);
      expect(html).toContain('<td>cpu</td>');
      expect(html).toContain('<td>memory</td>');
      expect(html).toMatch(/<td class="bad">below minimum<span class="sub">min 95\.0%<\/span><\/td>/);
      expect(html).toMatch(/<td class="bad">suspended<\/td>/);
      expect(html).not.toContain('<script');
    } finally {
      ledger.close();
    }
  });

  it('writes a PDF of many pages, and says so on one line', async () => {
    const r = await report('demo.pdf', '--format', 'pdf', '--roster', DEMO_ROSTER);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Wrote the PDF report to .*demo\.pdf, \d+ pages: \d+ events, its appendix lists them; checkpoint of \d+ events, root [0-9a-f]{64}, key [0-9a-f]{64}\.$/,
    );
    const pdf = readFileSync(r.file);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = Number(/, (\d+) pages:/.exec(r.stdout)![1]);
    expect(pages).toBeGreaterThan(10);
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(pages);
    const text = execFileSync('pdftotext', [r.file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Acme Supplies');
    expect(text).toContain('below minimum');
    expect(text).toContain(`Page ${pages} of ${pages}`);
  }, 60_000);

  it("--unit keeps to the unit's agents", async () => {
    const r = await report('finance.html', '--format', 'html', '--unit', 'finance', '--json');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as ReportSummary;
    const ledger = Ledger.open(data, { mode: 'existing' });
    try {
      expect(ledger.facts.agentsOfUnit('finance')).toEqual(['reconciliation']);
      expect(summary.events).toBe(ledger.reader.count({ agentId: 'reconciliation' }));
    } finally {
      ledger.close();
    }
    const html = readFileSync(r.file, 'utf8');
    expect(html).toContain('<dt>Filters</dt><dd>business unit finance</dd>');
    expect(html).toContain('<dt>Agents in scope</dt><dd>reconciliation</dd>');
    expect(html).not.toContain('<td class="mono">quoting');
    // No --roster: the organisation comes from the ledger's latest roster.opened event.
    expect(html).toContain('<h1>Acme Supplies</h1>');
    expect(html).not.toContain('unknown organisation');
  });
});

describe('warden ledger export: bad flags for reports', () => {
  it.each([
    [['--format', 'html'], 'warden ledger export: --out is required'],
    [
      ['--format', 'docx', '--out', 'x'],
      'warden ledger export: --format: expected jsonl, csv, otlp, html or pdf, got "docx"',
    ],
    [['--format', 'jsonl', '--out', 'x', '--unit', 'finance'], '--unit applies to html and pdf reports, not to jsonl'],
    [['--format', 'csv', '--out', 'x', '--roster', 'r'], '--roster applies to html and pdf reports, not to csv'],
    [
      ['--format', 'html', '--out', 'x', '--run', 'run-1'],
      '--run applies to jsonl, csv and otlp; a html report covers',
    ],
    [['--format', 'pdf', '--out', 'x', '--type', 'run.log'], '--type applies to jsonl and csv; a pdf report covers'],
  ])('%j is refused on one line', async (flags, message) => {
    const r = await cli('ledger', 'export', '--data-dir', data, ...flags);
    expect(r.code).toBe(2);
    expect(expectOneCleanLine(r.err)).toContain(message);
  });

  it('refuses an unknown unit, a roster that does not load and a period that ends before it starts', async () => {
    const file = join(out, 'refused.html');
    const unit = await cli('ledger', 'export', '--data-dir', data, '--format', 'html', '--out', file, '--unit', 'nope');
    expect(unit.code).toBe(2);
    expect(expectOneCleanLine(unit.err)).toContain('--unit: no agent of business unit "nope" has run here');
    const roster = await cli('ledger', 'export', '--data-dir', data, '--format', 'pdf', '--out', file, '--roster', out);
    expect(roster.code).toBe(2);
    expect(expectOneCleanLine(roster.err)).toContain('warden ledger export: --roster: ');
    const period = await cli(
      'ledger',
      'export',
      '--data-dir',
      data,
      '--format',
      'html',
      '--out',
      file,
      '--from',
      '2026-11-02',
      '--to',
      '2026-11-01',
    );
    expect(period.code).toBe(2);
    expect(expectOneCleanLine(period.err)).toContain('--from (2026-11-02T00:00:00.000Z) must come before --to');
    expect(existsSync(file)).toBe(false);
  });
});
