import { usd } from '../../../../shared/money.js';
import { count, duration, percent, when } from '../format.js';
import type { Block } from './doc.js';
import type { EvalRow, ReportModel } from '../model.js';
import { agentCell, capped, heading } from './blocks.js';

/** The records of the period, section by section: what agents did and what held them back. */

/** Section 3: approvals asked and decided, and the drafts a human had to execute. */
export function approvals(model: ReportModel): Block[] {
  const a = model.approvals;
  return [
    heading(2),
    {
      kind: 'para',
      text: `${count(a.total)} approval request(s) in the period: ${count(a.approved)} approved, ${count(a.rejected)} rejected, ${count(a.expired)} expired, ${count(a.pending)} still pending at the checkpoint.`,
    },
    ...capped(a),
    {
      kind: 'table',
      columns: [
        { title: 'Requested', width: 1.1 },
        { title: 'Agent, run', width: 1.3 },
        { title: 'Request', width: 2.4 },
        { title: 'Decision, by', width: 1.2 },
        { title: 'Decision reason', width: 1.6 },
        { title: 'Time to decision', numeric: true, width: 0.9 },
      ],
      rows: a.rows.map((r) => [
        { text: when(r.ts), sub: r.approvalId, subMono: true },
        agentCell(r),
        {
          text: `${r.tool}${r.amountUsd === null ? '' : ` · ${usd(r.amountUsd)}`}`,
          sub: `${r.rule}: ${r.reason}\nargs ${r.args}`,
        },
        r.decision === null
          ? { text: 'pending', tone: 'bad' }
          : {
              text: r.decision,
              sub: `by ${r.decidedBy ?? '?'}`,
              ...(r.decision === 'approved' ? {} : { tone: 'bad' as const }),
            },
        r.decisionReason ?? '—',
        duration(r.msToDecision),
      ]),
      empty: 'No approval was requested in the period.',
    },
    { kind: 'heading', level: 3, text: 'Drafts a human had to execute' },
    ...capped(model.drafts),
    {
      kind: 'table',
      columns: [
        { title: 'Time', width: 1.1 },
        { title: 'Agent, run', width: 1.3 },
        { title: 'Tool', width: 1.4 },
        { title: 'Amount', numeric: true },
        { title: 'Rule' },
        { title: 'Arguments', width: 2.4 },
      ],
      rows: model.drafts.rows.map((d) => [
        { text: when(d.ts), sub: d.draftId, subMono: true },
        agentCell(d),
        d.tool,
        usd(d.amountUsd),
        d.rule,
        { text: d.args, mono: true },
      ]),
      empty: 'No draft was recorded in the period.',
    },
  ];
}

/** Section 4: policy denials, guardrail trips, circuit breakers, cap hits, suspensions and resumes. */
export function controls(model: ReportModel): Block[] {
  return [
    heading(3),
    { kind: 'heading', level: 3, text: 'Policy denials' },
    ...capped(model.denials),
    {
      kind: 'table',
      columns: [
        { title: 'Time' },
        { title: 'Agent, run', width: 1.3 },
        { title: 'Tool', width: 1.3 },
        { title: 'Rule', width: 1.2 },
        { title: 'Reason', width: 2.4 },
      ],
      rows: model.denials.rows.map((d) => [when(d.ts), agentCell(d), d.tool ?? '—', d.rule, d.reason]),
      empty: 'No tool call was denied in the period.',
    },
    { kind: 'heading', level: 3, text: 'Guardrail trips' },
    ...capped(model.guardrails),
    {
      kind: 'table',
      columns: [
        { title: 'Time' },
        { title: 'Agent, run', width: 1.3 },
        { title: 'Guardrail' },
        { title: 'Detail', width: 3.5 },
      ],
      rows: model.guardrails.rows.map((g) => [when(g.ts), agentCell(g), g.guardrail, g.detail]),
      empty: 'No guardrail tripped in the period.',
    },
    { kind: 'heading', level: 3, text: 'Circuit breakers' },
    ...capped(model.circuits),
    {
      kind: 'table',
      columns: [
        { title: 'Time' },
        { title: 'Agent, run', width: 1.3 },
        { title: 'Hop / limit', numeric: true },
        { title: 'Handoff chain', width: 3.5 },
      ],
      rows: model.circuits.rows.map((c) => [when(c.ts), agentCell(c), `${c.hop} / ${c.hopLimit}`, c.chain.join(' › ')]),
      empty: 'No handoff chain passed its hop limit in the period.',
    },
    { kind: 'heading', level: 3, text: 'Sandbox cap hits' },
    ...capped(model.limits),
    {
      kind: 'table',
      columns: [
        { title: 'Time' },
        { title: 'Agent, run', width: 1.5 },
        { title: 'Cap' },
        { title: 'CPU', numeric: true },
        { title: 'Wall clock', numeric: true },
      ],
      rows: model.limits.rows.map((l) => [when(l.ts), agentCell(l), l.limit, duration(l.cpuMs), duration(l.wallMs)]),
      empty: 'No agent program hit a cap in the period.',
    },
    { kind: 'heading', level: 3, text: 'Suspensions, pauses and resumes' },
    ...capped(model.holds),
    {
      kind: 'table',
      columns: [
        { title: 'Time' },
        { title: 'Agent', width: 1.3 },
        { title: 'What' },
        { title: 'By' },
        { title: 'Reason', width: 3 },
      ],
      rows: model.holds.rows.map((h) => [
        when(h.ts),
        { text: h.agentId ?? '—', mono: true },
        { text: h.kind, ...(h.kind === 'resumed' ? {} : { tone: 'bad' as const }) },
        h.by ?? (h.kind === 'suspended' ? 'Warden (eval suite)' : '—'),
        { text: h.reason ?? '—', ...(h.evalRunId ? { sub: `eval run ${h.evalRunId}`, subMono: true } : {}) },
      ]),
      empty: 'No agent was suspended, paused or resumed in the period.',
    },
  ];
}

function isBelow(e: EvalRow): boolean {
  return e.minAccuracy !== null && e.accuracy < e.minAccuracy;
}

/** Section 5: eval results per agent and suite. */
export function evals(model: ReportModel): Block[] {
  const bySuite = new Map<string, EvalRow[]>();
  for (const row of model.evals.rows) {
    const key = `${row.agentId ?? ''}\u0000${row.suite}`;
    const runs = bySuite.get(key);
    if (runs) runs.push(row);
    else bySuite.set(key, [row]);
  }
  const suites = [...bySuite.values()].sort(
    (a, b) => (a[0]!.agentId ?? '').localeCompare(b[0]!.agentId ?? '') || a[0]!.suite.localeCompare(b[0]!.suite),
  );
  return [
    heading(4),
    {
      kind: 'table',
      columns: [
        { title: 'Agent', width: 1.3 },
        { title: 'Suite' },
        { title: 'Runs', numeric: true },
        { title: 'Latest accuracy', numeric: true },
        { title: 'Minimum', numeric: true },
        { title: 'Runs below minimum', numeric: true },
      ],
      rows: suites.map((runs) => {
        const latest = runs[runs.length - 1]!;
        const below = runs.filter(isBelow).length;
        return [
          { text: latest.agentId ?? '—', mono: true },
          latest.suite,
          count(runs.length),
          { text: percent(latest.accuracy), ...(isBelow(latest) ? { tone: 'bad' as const } : {}) },
          latest.minAccuracy === null ? '—' : percent(latest.minAccuracy),
          { text: count(below), ...(below ? { tone: 'bad' as const } : {}) },
        ];
      }),
      empty: 'No eval suite ran in the period.',
    },
    { kind: 'heading', level: 3, text: 'Every suite run' },
    ...capped(model.evals),
    {
      kind: 'table',
      columns: [
        { title: 'Time', width: 1.1 },
        { title: 'Agent, suite', width: 1.3 },
        { title: 'Passed', numeric: true },
        { title: 'Accuracy', numeric: true },
        { title: 'Result' },
        { title: 'Failing cases', width: 2.6 },
      ],
      rows: suites
        .flat()
        .map((e) => [
          { text: when(e.ts), sub: e.evalRunId, subMono: true },
          { text: e.agentId ?? '—', mono: true, sub: `${e.suite}${e.by ? ` · by ${e.by}` : ''}` },
          `${count(e.passed)} / ${count(e.total)}${e.errored ? ` (${e.errored} errored)` : ''}`,
          percent(e.accuracy),
          e.minAccuracy === null
            ? '—'
            : isBelow(e)
              ? { text: 'below minimum', sub: `min ${percent(e.minAccuracy)}`, tone: 'bad' }
              : { text: 'met', sub: `min ${percent(e.minAccuracy)}`, tone: 'good' },
          { text: e.failing.length ? failingText(e.failing) : 'none', mono: e.failing.length > 0 },
        ]),
      empty: 'No eval suite ran in the period.',
    },
  ];
}

/** Failing case ids, the first 50 of them. */
function failingText(ids: string[]): string {
  const shown = ids.slice(0, 50).join(', ');
  return ids.length > 50 ? `${shown} … and ${ids.length - 50} more` : shown;
}

/** Section 6: the events, or the JSONL exports that hold them. */
export function appendix(model: ReportModel): Block[] {
  const a = model.appendix;
  if (a.kind === 'exports') {
    return [
      heading(5),
      {
        kind: 'para',
        text:
          `The period holds ${count(a.count)} events in scope, more than the ${count(a.limit)} this report lists. ` +
          'They are in the JSONL export(s) written beside it, each of which `warden ledger verify --file` checks on its own.',
      },
      ...a.exports.flatMap((e): Block[] => [
        {
          kind: 'facts',
          rows: [
            { label: 'File', value: e.file, mono: true },
            ...(e.agentId === null ? [] : [{ label: 'Agent', value: e.agentId, mono: true }]),
            { label: 'Events', value: count(e.count) },
            {
              label: 'Chain head at export',
              value: e.chainHead ? `seq ${e.chainHead.seq}, hash ${e.chainHead.hash}` : 'empty ledger',
              mono: true,
            },
            { label: 'SHA-256 of the file', value: e.sha256, mono: true },
            { label: 'Size', value: `${count(e.bytes)} bytes` },
          ],
        },
      ]),
    ];
  }
  return [
    heading(5),
    {
      kind: 'para',
      tone: 'note',
      text:
        `${count(a.rows.length)} events in scope, oldest first. Payloads longer than shown are cut (…); ` +
        'each event’s hash covers its whole payload, and a JSONL export (`warden ledger export --format jsonl`) holds them whole.',
    },
    {
      kind: 'table',
      columns: [
        { title: 'Seq', numeric: true, width: 'auto' },
        { title: 'Time', width: 1 },
        { title: 'Agent, run', width: 1.3 },
        { title: 'Type', width: 1.3 },
        { title: 'Payload, hash', width: 4.2 },
      ],
      rows: a.rows.map((e) => [
        String(e.seq),
        // The stored time, exactly, on two lines: date, then time of day.
        e.ts.replace('T', '\n'),
        { text: e.agentId ?? '—', mono: true, ...(e.runId ? { sub: e.runId, subMono: true } : {}) },
        `${e.type} v${e.v}`,
        { text: e.payload, mono: true, sub: e.hash, subMono: true },
      ]),
      empty: 'No event in scope.',
    },
  ];
}
