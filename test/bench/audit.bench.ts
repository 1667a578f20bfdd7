import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport, type ReportFormat, type ReportSummary } from '../../src/main/audit/report/index.js';
import { Ledger } from '../../src/main/ledger/index.js';
import type { SignedCheckpoint } from '../../src/shared/audit.js';
import type { NewEvent } from '../../src/shared/events.js';
import { median, report } from './stats.js';

const AGENTS = [
  ['intake', 'ingestion', 'operations'],
  ['quoting', 'negotiation', 'sales'],
  ['reconciliation', 'reconciliation', 'finance'],
  ['payables', 'reconciliation', 'finance'],
  ['collections', 'negotiation', 'finance'],
  ['support', 'ingestion', 'sales'],
] as const;
const EVENTS = 100_000;
const DAYS = 30;
const DAY_MS = 86_400_000;

/** One task: started, a model call, a tool call decided (allowed, asked for and decided, or denied), a log line, finished. */
function task(n: number): NewEvent[] {
  const [agentId, tier, unit] = AGENTS[n % AGENTS.length]!;
  const runId = `run-t${n}`;
  const callId = `call-${n}`;
  const decision = n % 29 === 0 ? 'deny' : n % 7 === 0 ? 'ask' : 'allow';
  const events: NewEvent[] = [
    { type: 'run.started', runId, agentId, payload: { input: { n }, hop: 0, tier, unit, promptVersion: 1 + (n % 3) } },
    {
      type: 'model.called',
      runId,
      agentId,
      payload: {
        provider: 'scripted',
        model: 'demo',
        inputTokens: 800,
        outputTokens: 120,
        costUsd: 0.004,
        latencyMs: 3,
      },
    },
    {
      type: 'tool.requested',
      runId,
      agentId,
      payload: {
        callId,
        server: 'books',
        tool: 'post_payment',
        args: { invoiceId: `INV-${n}`, amountUsd: 100 + (n % 9000) },
      },
    },
    {
      type: 'policy.decided',
      runId,
      agentId,
      payload: { callId, decision, rule: 'doa', reason: `rule for call ${n}` },
    },
  ];
  if (decision === 'ask') {
    events.push(
      {
        type: 'approval.requested',
        runId,
        agentId,
        payload: {
          approvalId: `appr-${n}`,
          callId,
          server: 'books',
          tool: 'post_payment',
          args: { invoiceId: `INV-${n}` },
          argsSha256: 'a'.repeat(64),
          amountUsd: 4200,
          rule: 'doa.approval',
          reason: 'between $1,000 and $10,000',
          expiresAt: '2030-01-01T00:00:00.000Z',
        },
      },
      {
        type: 'approval.decided',
        runId,
        agentId,
        payload: {
          approvalId: `appr-${n}`,
          decision: n % 3 === 0 ? 'rejected' : 'approved',
          argsSha256: 'a'.repeat(64),
          by: 'cao',
          reason: 'checked against the invoice',
        },
      },
    );
  }
  if (decision !== 'deny') {
    events.push({
      type: 'tool.result',
      runId,
      agentId,
      payload: { callId, ok: true, result: { posted: n }, latencyMs: 2 },
    });
  }
  if (n % 97 === 0) {
    events.push({
      type: 'guardrail.tripped',
      runId,
      agentId,
      payload: { guardrail: 'injection', detail: 'result tells the agent to ignore its instructions', callId },
    });
  }
  if (n % 101 === 0) {
    events.push({ type: 'sandbox.limit', runId, agentId, payload: { limit: 'cpu', cpuMs: 510, wallMs: 600 } });
  }
  events.push(
    { type: 'run.log', runId, agentId, payload: { level: 'info', message: `<b>task ${n}</b> done` } },
    { type: 'run.finished', runId, agentId, payload: { status: n % 11 === 0 ? 'error' : 'ok' } },
  );
  return events;
}

/** An eval suite of ten cases for one agent, its cases' runs, and its result. */
function suite(n: number): NewEvent[] {
  const [agentId, tier, unit] = AGENTS[n % AGENTS.length]!;
  const evalRunId = `eval-${n}`;
  const events: NewEvent[] = [];
  let passed = 0;
  for (let c = 0; c < 10; c++) {
    const runId = `run-e${n}-${c}`;
    const ok = (n + c) % 13 !== 0;
    if (ok) passed += 1;
    events.push(
      {
        type: 'run.started',
        runId,
        agentId,
        payload: { input: {}, hop: 0, tier, unit, eval: { evalRunId, caseId: `case-${c}` } },
      },
      { type: 'run.finished', runId, agentId, payload: { status: 'ok', output: 'x' } },
      {
        type: 'eval.case',
        agentId,
        payload: {
          evalRunId,
          suite: agentId,
          caseId: `case-${c}`,
          runId,
          grader: 'exact',
          passed: ok,
          output: 'x',
          expected: ok ? 'x' : 'y',
          diff: [],
          latencyMs: 12,
          costUsd: 0,
        },
      },
    );
  }
  events.push({
    type: 'eval.run',
    agentId,
    payload: {
      evalRunId,
      suite: agentId,
      total: 10,
      passed,
      errored: 0,
      accuracy: passed / 10,
      minAccuracy: 0.95,
      meanLatencyMs: 12,
      costUsd: 0,
      by: 'bench',
    },
  });
  return events;
}

/** The benchmark's ledger of 100,000 events over 30 days. */
export async function buildAuditLedger(dataDir: string): Promise<Ledger> {
  const start = Date.parse('2026-10-01T00:00:00.000Z');
  let now = new Date(start);
  const ledger = Ledger.open(dataDir, { clock: () => now });
  let batch: NewEvent[] = [];
  let written = 0;
  for (let n = 0; written + batch.length < EVENTS; n++) {
    now = new Date(start + Math.floor(((written + batch.length) / EVENTS) * DAYS * DAY_MS));
    batch.push(...(n % 50 === 49 ? suite(n) : task(n)));
    // A transaction's events share one time: small ones keep the days filled.
    if (batch.length >= 500) {
      await ledger.appendMany(batch);
      written += batch.length;
      batch = [];
    }
  }
  await ledger.appendMany(batch);
  return ledger;
}

/**
 * A report over a ledger of 100,000 events (30 days, 6 agents: tasks with approvals, denials,
 * guardrail trips, cap hits, and an eval suite every 50 tasks), as HTML and as PDF: the whole
 * period (its events go to a JSONL export beside the report) and one day (listed inline).
 * Median of 3 each.
 */
export async function auditBenchmarks(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-audit-'));
  const ledger = await buildAuditLedger(join(dir, 'data'));
  const size = ledger.reader.head()!.seq;
  const checkpoint: SignedCheckpoint = {
    origin: 'warden:00000000-0000-4000-8000-000000000000',
    size,
    rootHash: '0'.repeat(64),
    time: new Date().toISOString(),
    signature: 'AA==',
    publicKey: 'AA==',
    keyFingerprint: '0'.repeat(64),
  };
  const day = { from: '2026-10-15T00:00:00.000Z', to: '2026-10-16T00:00:00.000Z' };
  const time = async (name: string, format: ReportFormat, filters: { from?: string; to?: string }) => {
    const samples: number[] = [];
    let last: ReportSummary | undefined;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      last = await writeReport(ledger, join(dir, `report.${format}`), format, { filters, checkpoint });
      samples.push(performance.now() - t);
    }
    const pages = last!.pages === null ? '' : `, ${last!.pages} pages`;
    const size = `${(statSync(last!.file).size / 2 ** 20).toFixed(1)} MiB`;
    report(`${name} (${last!.events.toLocaleString('en-US')} events${pages}, ${size})`, median(samples), 'ms', '-');
  };
  console.log(`audit: a ledger of ${size.toLocaleString('en-US')} events`);
  await time('report, whole period, HTML, median of 3', 'html', {});
  await time('report, whole period, PDF, median of 3', 'pdf', {});
  await time('report, one day inline, HTML, median of 3', 'html', day);
  await time('report, one day inline, PDF, median of 3', 'pdf', day);
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
}
