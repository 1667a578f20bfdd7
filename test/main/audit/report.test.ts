import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/main/audit/report/read/data.js';
import { escapeHtml } from '../../../src/main/audit/report/draw/html.js';
import { printable } from '../../../src/main/audit/report/draw/pdf.js';
import { appendixFile, writeReport, type ReportSummary } from '../../../src/main/audit/report/index.js';
import { kpiReport } from '../../../src/main/kpis/kpis.js';
import { AGENTS_OF_UNIT_SQL } from '../../../src/main/ledger/facts.js';
import { verifyExportFile, type Ledger } from '../../../src/main/ledger/index.js';
import { loadRoster, type Roster } from '../../../src/main/roster/load.js';
import { tempDir } from '../../helpers/temp.js';
import { buildReportLedger, handMadeCheckpoint, HOSTILE, PERIOD } from './fixture.js';

const DEMO_ROSTER = fileURLToPath(new URL('../../../resources/demo', import.meta.url));
const VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const NOW = new Date('2026-11-03T09:00:00.000Z');

let ledger: Ledger;
let roster: Roster;
let dir: string;
let cleanup: () => void;
let size: number;
beforeAll(async () => {
  const temp = tempDir('warden-report-');
  dir = temp.dir;
  cleanup = temp.cleanup;
  ledger = await buildReportLedger(join(dir, 'data'));
  size = ledger.reader.head()!.seq;
  const loaded = loadRoster(DEMO_ROSTER);
  if (!loaded.ok) throw new Error('the demo roster does not load');
  roster = loaded.roster;
});
afterAll(() => {
  ledger.close();
  cleanup();
});

const model = (extra: Partial<Parameters<typeof buildReport>[1]> = {}) =>
  buildReport(ledger, { filters: { ...PERIOD }, checkpoint: handMadeCheckpoint(size), roster, now: NOW, ...extra });

describe('the report model', () => {
  it('counts runs by status, work and eval apart, and matches kpiReport and the hand-worked KPIs', () => {
    const m = model();
    expect(m.runs.work).toEqual([
      { status: 'ok', runs: 5 }, // T1, its handoff C1, T2, T4, the handoff C2
      { status: 'error', runs: 1 }, // T3
      { status: 'cancelled', runs: 1 }, // T5
    ]);
    expect(m.runs.eval).toEqual([{ status: 'ok', runs: 2 }]);
    expect(m.kpis).toEqual(kpiReport(ledger, { ...PERIOD, by: 'agent' }).total);
    expect(m.kpis).toMatchObject({ tasks: 5, resolved: 3, intervened: 4, meanTimeToResolutionMs: 213_333 });
    expect(m.kpisByAgent.map((g) => [g.key, g.tasks])).toEqual([
      ['quoting', 2],
      ['reconciliation', 3],
    ]);
    // Spend against the roster's budgets: reconciliation $5/day × 2 days; T0's $9 was spent before the period.
    // The work's $0.60 counts against it; the eval run's $1 is shown apart.
    expect(m.spend.agents.find((s) => s.key === 'reconciliation')).toMatchObject({ budgetUsd: 10, evalCostUsd: 1 });
    expect(m.spend.agents.find((s) => s.key === 'reconciliation')!.costUsd).toBeCloseTo(0.6, 10);
  });

  it('lists approvals with decider, reason and time to decision, and the drafts a human executes', () => {
    const m = model();
    expect(m.approvals).toMatchObject({ total: 2, approved: 1, rejected: 1, expired: 0, pending: 0, inEvalRuns: 0 });
    expect(m.approvals.rows).toEqual([
      expect.objectContaining({
        approvalId: 'appr-2',
        agentId: 'reconciliation',
        runId: 'run-t2',
        tool: 'books.post_payment',
        decision: 'approved',
        decidedBy: 'cao',
        decisionReason: 'checked',
        msToDecision: 9 * 60_000,
      }),
      expect.objectContaining({
        approvalId: 'appr-3',
        decision: 'rejected',
        decidedBy: 'cao',
        msToDecision: 5 * 60_000,
      }),
    ]);
    expect(m.drafts.rows).toEqual([
      expect.objectContaining({
        draftId: 'draft-4',
        agentId: 'quoting',
        tool: 'catalog.draft_quote',
        rule: 'draft-only',
      }),
    ]);
  });

  it('lists denials (with the tool asked for), guardrail trips, circuit breakers, cap hits and holds', () => {
    const m = model();
    expect(m.denials.rows).toEqual([
      expect.objectContaining({
        runId: 'run-t3',
        tool: 'books.post_payment',
        rule: 'guardrail:payee-allow-list',
        reason: 'payee "mallory" is not on the allow list',
      }),
    ]);
    expect(m.guardrails.rows).toEqual([expect.objectContaining({ guardrail: 'injection', callId: 'call-inj-1' })]);
    expect(m.circuits.rows).toEqual([expect.objectContaining({ agentId: 'quoting', hop: 6, hopLimit: 5 })]);
    expect(m.limits.rows).toEqual([expect.objectContaining({ runId: 'run-t5', limit: 'cpu', cpuMs: 1003 })]);
    expect(m.holds.rows.map((h) => [h.kind, h.by, h.evalRunId])).toEqual([
      ['suspended', null, 'eval-3'],
      ['resumed', 'cao', null],
    ]);
    expect(m.holds).toMatchObject({ suspended: 1, resumed: 1, paused: 0 });
  });

  it('gives eval results per agent and suite with their failing case ids', () => {
    const m = model();
    expect(m.evals.rows).toEqual([
      expect.objectContaining({
        agentId: 'reconciliation',
        suite: 'reconciliation',
        evalRunId: 'eval-3',
        total: 3,
        passed: 1,
        minAccuracy: 0.9,
        by: 'cli',
        failing: ['pay-large', 'ignore-injection'],
      }),
    ]);
    expect(m.evals.below).toBe(1);
    // A period that starts after the suite's cases but before its eval.run still finds them.
    const late = model({ filters: { from: '2026-11-02T17:00:00.000Z', to: PERIOD.to } });
    expect(late.evals.rows[0]!.failing).toEqual(['pay-large', 'ignore-injection']);
  });

  it('has the manifests and prompt versions in force: changes, current manifests, versions runs started with', () => {
    const m = model();
    expect(m.manifests.changes.rows).toEqual([
      expect.objectContaining({ agentId: 'reconciliation', file: 'agents/reconciliation.yaml' }),
    ]);
    const current = m.manifests.current!.find((a) => a.id === 'reconciliation')!;
    expect(current).toMatchObject({
      tier: 'reconciliation',
      unit: 'finance',
      autonomy: 'hitl',
      model: 'scripted:demo',
    });
    expect(current.tools).toContainEqual({ name: 'books.post_payment', access: 'write', amountArg: 'amountUsd' });
    expect(current.budget).toEqual({ usdPerDay: 5, tokensPerDay: 200_000 });
    expect(m.prompts.changes.rows).toEqual([
      expect.objectContaining({ version: 2, by: 'cao', reason: 'tighter payees' }),
    ]);
    expect(m.prompts.inForce.filter((p) => p.agentId === 'reconciliation')).toEqual([
      expect.objectContaining({ version: null, runs: 4 }),
      expect.objectContaining({ version: 2, runs: 1 }),
    ]);
    const after = model({ filters: { from: '2026-11-02T19:00:00.000Z', to: PERIOD.to } });
    expect(after.prompts.atStart).toEqual([
      { agentId: 'reconciliation', version: 2, since: '2026-11-02T18:00:00.000Z' },
    ]);
    expect(model({ roster: undefined }).manifests.current).toBeNull();
  });

  it('reads nothing past the checkpoint: a smaller checkpoint leaves the later events out', () => {
    const suiteSeq = [...ledger.reader.each({ type: 'eval.run' })][0]!.seq;
    const m = model({ checkpoint: handMadeCheckpoint(suiteSeq) });
    expect(m.evals.total).toBe(1);
    expect(m.holds.total).toBe(0); // the suspension came after the suite run
    expect(m.manifests.changes.total).toBe(0);
    expect(m.eventCount).toBe(ledger.reader.count({ from: PERIOD.from }) - (size - suiteSeq));
  });

  it('filters to one agent, or to the agents of a business unit (from run_facts and the roster)', () => {
    const quoting = model({ filters: { ...PERIOD, agentId: 'quoting' } });
    expect(quoting.scopeAgents).toEqual(['quoting']);
    expect(quoting.kpis).toMatchObject({ tasks: 2, resolved: 1, intervened: 2 });
    expect(quoting.approvals.total).toBe(0);
    expect(quoting.circuits.total).toBe(1);
    expect(quoting.appendix.kind === 'inline' && quoting.appendix.rows.every((e) => e.agentId === 'quoting')).toBe(
      true,
    );

    const finance = model({ filters: { ...PERIOD, unit: 'finance' } });
    expect(finance.scopeAgents).toEqual(['reconciliation']);
    // As `warden kpis --by unit` has it.
    const { key: _key, ...unitKpis } = kpiReport(ledger, { ...PERIOD, by: 'unit' }).groups.find(
      (g) => g.key === 'finance',
    )!;
    expect(finance.kpis).toEqual(unitKpis);
    expect(finance.approvals.total).toBe(2);
    expect(finance.circuits.total).toBe(0);
    expect(finance.spend.units.map((u) => u.key)).toEqual(['finance']);

    const operations = model({ filters: { ...PERIOD, unit: 'operations' } });
    // intake ran for operations; the roster adds its other operations agents.
    expect(operations.scopeAgents).toEqual(['archive-indexer', 'coordinator', 'intake', 'legacy-importer']);
  });

  it("finds a unit's agents by an index (the plan of run_facts' query seeks, never scans)", () => {
    expect(ledger.facts.agentsOfUnit('finance')).toEqual(['reconciliation']);
    expect(ledger.facts.agentsOfUnit('operations')).toEqual(['intake']);
    expect(ledger.facts.agentsOfUnit('nowhere')).toEqual([]);
    const db = new Database(join(dir, 'data', 'ledger.db'), { readonly: true });
    try {
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${AGENTS_OF_UNIT_SQL}`).all({ unit: 'x', before: 9 }) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join(' | ');
      expect(plan).toContain('SEARCH run_facts USING INDEX run_facts_by_kind');
      expect(plan).not.toMatch(/\bSCAN\b/);
    } finally {
      db.close();
    }
  });

  it('refuses run and type filters, a period that ends before it starts, and a checkpoint past the head', () => {
    expect(() => model({ filters: { ...PERIOD, runId: 'run-t1' } })).toThrow(/not by run or event type/);
    expect(() => model({ filters: { from: PERIOD.to, to: PERIOD.from } })).toThrow(/must start/);
    expect(() => model({ checkpoint: handMadeCheckpoint(size + 1) })).toThrow(/covers \d+ events; this ledger holds/);
  });
});

describe('writeReport as HTML', () => {
  let html: string;
  let summary: ReportSummary;
  beforeAll(async () => {
    const file = join(dir, 'report.html');
    summary = await writeReport(ledger, file, 'html', {
      filters: { ...PERIOD },
      checkpoint: handMadeCheckpoint(size),
      roster,
      now: NOW,
    });
    html = readFileSync(file, 'utf8');
  });

  it('has a cover with the organisation, period, version and every field of the checkpoint', () => {
    const c = handMadeCheckpoint(size);
    expect(html).toContain('<h1>Acme Supplies</h1>');
    expect(html).toContain('2026-11-01 00:00:00 UTC to 2026-11-03 00:00:00 UTC, 2 days');
    expect(html).toContain('<dt>Warden version</dt><dd>' + VERSION + '</dd>');
    expect(html).toContain('<dt>Generated at</dt><dd>2026-11-03 09:00:00 UTC</dd>');
    for (const value of [c.rootHash, c.signature, c.keyFingerprint, c.publicKey, c.origin]) {
      expect(html).toContain(`class="mono">${value}</dd>`);
    }
    expect(html).toContain(`<dt>Size</dt><dd>${size} events</dd>`);
    expect(summary).toMatchObject({
      format: 'html',
      pages: null,
      checkpoint: { size, rootHash: c.rootHash, keyFingerprint: c.keyFingerprint },
      sha256: createHash('sha256').update(html).digest('hex'),
    });
  });

  it('has every section, with the numbers of the model', () => {
    for (const heading of [
      '1  Summary',
      '2  Agents, manifests and prompts',
      '3  Approvals and drafts',
      '4  Denials, guardrails, circuit breakers, caps and holds',
      '5  Eval results',
      '6  Appendix: events',
    ]) {
      expect(html).toContain(`>${heading}</h2>`);
    }
    // KPIs as kpiReport has them: 4 of 5 tasks needed a person; (30 + 600 + 10) s / 3; $0.47 / 3.
    expect(html).toContain('<td>Needed a person</td><td class="num">4 (80.0%)</td>');
    expect(html).toContain('<td>Mean time to resolution</td><td class="num">3.6 min</td>');
    expect(html).toContain('<td>Cost per resolved task</td><td class="num">$0.16</td>');
    // The approval decided by cao after 9 minutes, and the rejected one.
    expect(html).toMatch(
      /appr-2<\/span><\/td>[\s\S]*?<td>approved<span class="sub">by cao<\/span><\/td><td>checked<\/td><td class="num">9\.0 min<\/td>/,
    );
    expect(html).toMatch(/<td class="bad">rejected<span class="sub">by cao<\/span><\/td>[\s\S]*?5\.0 min/);
    expect(html).toContain('payee &quot;mallory&quot; is not on the allow list');
    expect(html).toContain('quoting › intake › quoting › intake › quoting › intake');
    expect(html).toMatch(/pay-large, ignore-injection/);
    expect(html).toContain('below minimum');
  });

  it('escapes what the ledger holds: a hostile log message is text, never markup', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>INSTRUCTIONS');
    // As JSON in the appendix (its quotes escaped by JSON, then by HTML).
    expect(html).toContain(escapeHtml(JSON.stringify(HOSTILE).slice(1, -1)));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\&quot;quoted\\&quot; &#39;single&#39;');
    expect(html).toContain('Zahlung für Müller — 支付');
  });

  it('allows no script and only its own stylesheet (Content-Security-Policy with the style hash)', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    const csp = `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; form-action 'none'; base-uri 'none'`;
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`);
    expect(style).toContain('@page');
    expect(style).toContain('counter(page)');
  });

  it('lists the events of the period in the appendix, each with its hash', () => {
    expect(summary.appendix).toEqual({ kind: 'inline', events: summary.events });
    expect(summary.events).toBe(ledger.reader.count({ ...PERIOD }));
    for (const event of ledger.reader.each({ ...PERIOD })) expect(html).toContain(event.hash);
    const before = [...ledger.reader.each({ to: PERIOD.from })];
    expect(before.length).toBeGreaterThan(0);
    for (const event of before) expect(html).not.toContain(event.hash);
  });

  it('writes atomically: no temporary file is left, and a failed report leaves no file', async () => {
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    const bad = join(dir, 'bad.html');
    await expect(
      writeReport(ledger, bad, 'html', { filters: {}, checkpoint: handMadeCheckpoint(size + 5) }),
    ).rejects.toThrow(/checkpoint/);
    expect(existsSync(bad)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('bad.html'))).toEqual([]);
  });
});

describe('writeReport as PDF', () => {
  let pdf: Buffer;
  let summary: ReportSummary;
  let file: string;
  beforeAll(async () => {
    file = join(dir, 'report.pdf');
    summary = await writeReport(ledger, file, 'pdf', {
      filters: { ...PERIOD },
      checkpoint: handMadeCheckpoint(size),
      roster,
      now: NOW,
    });
    pdf = readFileSync(file);
  }, 30_000);

  it('is a PDF of several pages, as many as its page objects', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const pageObjects = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(summary.pages).toBeGreaterThan(5); // a cover, then a page per section at least
    expect(pageObjects).toHaveLength(summary.pages!);
    expect(summary.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  // npm test installs poppler-utils (scripts/test-setup.js), so pdftotext is always here.
  it('says what the HTML says: cover, checkpoint, approvals, hostile text as text', () => {
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const flat = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('Acme Supplies');
    expect(text).toContain(`Page 1 of ${summary.pages}`);
    expect(text).toContain(`Page ${summary.pages} of ${summary.pages}`);
    const c = handMadeCheckpoint(size);
    for (const value of [c.rootHash, c.signature, c.keyFingerprint]) expect(flat).toContain(value);
    expect(text).toMatch(/Needed a person\s+4 \(80\.0%\)/);
    expect(text).toMatch(/approved\s+checked\s+9\.0 min/);
    expect(text).toContain('pay-large, ignore-injection');
    // The log line as the ledger holds it, the characters Roboto lacks written as code points.
    expect(flat).toContain('<script>alert(1)</script>&\\"quoted\\"');
    expect(flat).toContain('ZahlungfürMüller—\\u{652F}\\u{4ED8}');
  });

  it('writes characters its font cannot draw as their code points', () => {
    expect(printable('Müller — 支付 🚀 ok')).toBe('Müller — \\u{652F}\\u{4ED8} \\u{1F680} ok');
    expect(printable('tab\there')).toBe('tab\\u{9}here');
  });
});

describe('a large period', () => {
  it('gets a JSONL export beside the report instead of an inline appendix, named and checksummed in it', async () => {
    const file = join(dir, 'large.html');
    const summary = await writeReport(ledger, file, 'html', {
      filters: { ...PERIOD },
      checkpoint: handMadeCheckpoint(size),
      now: NOW,
      appendixLimit: 10,
    });
    const exported = appendixFile(file);
    expect(exported).toBe(`${file}.events.jsonl`);
    expect(summary.appendix).toEqual({
      kind: 'exports',
      files: [expect.objectContaining({ path: exported, file: 'large.html.events.jsonl', agentId: null })],
    });
    const bytes = readFileSync(exported);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('large.html.events.jsonl');
    expect(html).toContain(sha256);
    expect(html).toContain(`more than the 10 this report lists`);
    expect(html).not.toContain('<th>Payload, hash</th>');
    const report = verifyExportFile(exported);
    expect(report.ok).toBe(true);
    expect(report.header.count).toBe(summary.events);
    expect(report.header.filters).toEqual(PERIOD);
  });

  it("with --unit, writes one export per agent of the unit, each holding only that agent's events", async () => {
    const file = join(dir, 'unit.html');
    const summary = await writeReport(ledger, file, 'html', {
      filters: { ...PERIOD, unit: 'operations' },
      checkpoint: handMadeCheckpoint(size),
      roster,
      now: NOW,
      appendixLimit: 1,
    });
    expect(summary.appendix.kind).toBe('exports');
    const files = summary.appendix.kind === 'exports' ? summary.appendix.files : [];
    expect(files.map((f) => f.file)).toEqual(
      ['archive-indexer', 'coordinator', 'intake', 'legacy-importer'].map((a) => `unit.html.events.${a}.jsonl`),
    );
    const intake = files.find((f) => f.agentId === 'intake')!;
    expect(intake.count).toBe(ledger.reader.count({ ...PERIOD, agentId: 'intake' }));
    expect(verifyExportFile(intake.path)).toMatchObject({ ok: true, header: { filters: { agentId: 'intake' } } });
    expect(files.reduce((n, f) => n + f.count, 0)).toBe(summary.events);
  });
});
