import type { Kpis, SpendLine } from '../../../kpis/kpis.js';
import { usd } from '../../../../shared/money.js';
import { count, describeFilters, duration, percent, when } from '../format.js';
import type { Block, ReportDoc } from './doc.js';
import type { ReportModel } from '../model.js';
import { SECTIONS, bold, heading, inEval } from './blocks.js';
import { agents } from './agents.js';
import { appendix, approvals, controls, evals } from './records.js';

export { SECTIONS };

/** What a report says, section by section, as a document both renderers draw. */
export function outline(model: ReportModel): ReportDoc {
  return {
    title: `Ledger report: ${model.organisation}`,
    subject: `Warden ledger ${periodText(model)}`,
    blocks: [
      ...cover(model),
      ...summary(model),
      ...agents(model),
      ...approvals(model),
      ...controls(model),
      ...evals(model),
      ...appendix(model),
    ],
  };
}

function periodText(model: ReportModel): string {
  const { from, to, days, openStart, openEnd } = model.period;
  const start = openStart ? `${when(from)} (the first event)` : when(from);
  const end = openEnd ? `${when(to)} (when generated)` : when(to);
  return `${start} to ${end}, ${days} day${days === 1 ? '' : 's'}`;
}

function cover(model: ReportModel): Block[] {
  const c = model.checkpoint;
  return [
    { kind: 'title', kicker: 'Warden ledger report', title: model.organisation },
    {
      kind: 'facts',
      rows: [
        { label: 'Period', value: periodText(model) },
        { label: 'Filters', value: describeFilters(model.filters) },
        ...(model.scopeAgents === null
          ? []
          : [{ label: 'Agents in scope', value: model.scopeAgents.join(', ') || 'none' }]),
        { label: 'Events in scope', value: `${count(model.eventCount)} (up to seq ${count(c.size)}, the checkpoint)` },
        { label: 'Generated at', value: when(model.generatedAt) },
        { label: 'Warden version', value: model.wardenVersion },
      ],
    },
    { kind: 'heading', level: 3, text: 'Checkpoint' },
    {
      kind: 'facts',
      rows: [
        { label: 'Size', value: `${count(c.size)} events` },
        { label: 'Merkle root', value: c.rootHash, mono: true },
        { label: 'Signature (Ed25519)', value: c.signature, mono: true },
        { label: 'Public key fingerprint', value: c.keyFingerprint, mono: true },
        { label: 'Public key (SPKI, base64)', value: c.publicKey, mono: true },
        { label: 'Origin', value: c.origin, mono: true },
        { label: 'Signed at', value: when(c.time) },
        { label: 'Signing key', value: model.signingKey?.description ?? 'unknown' },
      ],
    },
    {
      kind: 'para',
      tone: 'note',
      text:
        `The checkpoint states that the ledger's first ${count(c.size)} events form a Merkle tree (RFC 6962) ` +
        'with this root, signed with the data folder’s key. Compare the fingerprint with the one you were given. ' +
        'Every figure in this report is read from those events; `warden ledger prove --seq N` proves that an ' +
        'event is in the tree, and `warden ledger verify --file` checks an exported file offline.' +
        (model.signingKey?.sealed === false
          ? ' Because the key lives beside the data, this signature alone does not rule out a rewrite by someone ' +
            'who could change the ledger: check it against a checkpoint you kept (`warden ledger verify --since F`).'
          : ''),
    },
    { kind: 'heading', level: 3, text: 'Contents' },
    { kind: 'list', items: SECTIONS.map(([, title]) => title) },
  ];
}

function summary(model: ReportModel): Block[] {
  const statuses = [...new Set([...model.runs.work, ...model.runs.eval].map((s) => s.status))];
  const runsOf = (list: typeof model.runs.work, status: string) => list.find((s) => s.status === status)?.runs ?? 0;
  const a = model.approvals;
  const h = model.holds;
  const below = model.evals.below;
  return [
    heading(0),
    { kind: 'heading', level: 3, text: 'Runs started in the period' },
    {
      kind: 'table',
      columns: [{ title: 'Status' }, { title: 'Work runs', numeric: true }, { title: 'Eval runs', numeric: true }],
      rows: [
        ...statuses.map((s) => [s, count(runsOf(model.runs.work, s)), count(runsOf(model.runs.eval, s))]),
        [bold('All'), bold(count(model.runs.workTotal)), bold(count(model.runs.evalTotal))],
      ],
      empty: 'No run started in the period.',
    },
    {
      kind: 'para',
      tone: 'note',
      text:
        'Work runs include handoffs to other agents; eval runs are the cases of eval suites (their writes are ' +
        'simulated) and count in no KPI. “unfinished”: no end recorded in the period.',
    },
    { kind: 'heading', level: 3, text: 'Key performance indicators' },
    kpiTable(model.kpis),
    {
      kind: 'para',
      tone: 'note',
      text:
        'A task is a work run that no other run handed off. Resolved: it finished ok. Time to resolution runs ' +
        'from start to end, approval waits included. It needed a person when it asked for an approval, had one ' +
        'rejected, recorded a draft for a human to execute, or was stopped. Cost is its model and tool spend, ' +
        'handoffs included.',
    },
    { kind: 'heading', level: 3, text: 'Oversight at a glance' },
    {
      kind: 'table',
      columns: [{ title: 'What' }, { title: 'Count', numeric: true }, { title: 'Detail', width: 2 }],
      rows: [
        [
          'Approval requests',
          count(a.total),
          `${count(a.approved)} approved, ${count(a.rejected)} rejected, ${count(a.expired)} expired, ${count(a.pending)} pending at the checkpoint${a.inEvalRuns ? `; ${inEval(a)}` : ''}`,
        ],
        ['Drafts a human had to execute', count(model.drafts.total), inEval(model.drafts)],
        ['Policy denials', count(model.denials.total), inEval(model.denials)],
        ['Guardrail trips', count(model.guardrails.total), inEval(model.guardrails)],
        ['Circuit breakers (hop limit)', count(model.circuits.total), inEval(model.circuits)],
        ['Sandbox cap hits', count(model.limits.total), inEval(model.limits)],
        [
          'Holds on agents',
          count(h.total),
          `${count(h.suspended)} suspended, ${count(h.paused)} paused, ${count(h.resumed)} resumed`,
        ],
        [
          'Eval suite runs',
          count(model.evals.total),
          below
            ? { text: `${count(below)} below the agent's minimum accuracy`, tone: 'bad' }
            : 'all at or above minimum',
        ],
      ],
      empty: '',
    },
    { kind: 'heading', level: 3, text: 'Spend against budget' },
    spendTable('Agent', model.spend.agents),
    ...(model.spend.units.length ? [spendTable('Business unit', model.spend.units)] : []),
    {
      kind: 'para',
      tone: 'note',
      text: `Spend counts the work's runs, as budgets do (eval runs' cost is left out), by the UTC day it was spent; a budget is its daily amount × ${model.period.days} day(s). No budget: “—”.`,
    },
  ];
}

function kpiTable(k: Kpis): Block {
  return {
    kind: 'table',
    columns: [
      { title: 'Measure', width: 2 },
      { title: 'Value', numeric: true },
    ],
    rows: [
      ['Tasks', count(k.tasks)],
      ['Resolved', count(k.resolved)],
      ['Needed a person', `${count(k.intervened)} (${percent(k.interventionRate)})`],
      ['Intervention rate', percent(k.interventionRate)],
      ['Mean time to resolution', duration(k.meanTimeToResolutionMs)],
      ['Cost per resolved task', usd(k.costPerResolvedUsd)],
      ['Cost of resolved tasks', usd(k.resolvedCostUsd)],
    ],
    empty: '',
  };
}

function spendTable(what: string, lines: SpendLine[]): Block {
  return {
    kind: 'table',
    columns: [
      { title: what, width: 2 },
      { title: 'Spent', numeric: true },
      { title: 'Tokens', numeric: true },
      { title: 'Budget', numeric: true },
      { title: 'Used', numeric: true },
    ],
    rows: lines.map((l) => {
      const used = l.budgetUsd ? l.costUsd / l.budgetUsd : null;
      return [
        l.key || '(none)',
        usd(l.costUsd),
        count(l.tokens),
        usd(l.budgetUsd),
        used === null ? '—' : { text: percent(used), ...(used > 1 ? { tone: 'bad' as const } : {}) },
      ];
    }),
    empty: 'No spend recorded.',
  };
}
