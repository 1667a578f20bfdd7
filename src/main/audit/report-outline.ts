import type { Kpis, SpendLine } from '../kpis/kpis.js';
import { count, cut, describeFilters, duration, percent, usd, usdOrDash, when } from './format.js';
import type { Block, Cell } from './report-doc.js';
import type { ReportDoc } from './report-doc.js';
import type { EventRef, EvalRow, Listing, ReportModel } from './report-model.js';

/** The report's sections, in order, with the ids the HTML links to. */
export const SECTIONS = [
  ['summary', '1  Summary'],
  ['agents', '2  Agents, manifests and prompts'],
  ['approvals', '3  Approvals and drafts'],
  ['controls', '4  Denials, guardrails, circuit breakers, caps and holds'],
  ['evals', '5  Eval results'],
  ['appendix', '6  Appendix: events'],
] as const;

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
      ],
    },
    {
      kind: 'para',
      tone: 'note',
      text:
        `The checkpoint states that the ledger's first ${count(c.size)} events form a Merkle tree (RFC 6962) ` +
        'with this root, signed with the data folder’s key. Compare the fingerprint with the one you were given. ' +
        'Every figure in this report is read from those events; `warden ledger prove --seq N` proves that an ' +
        'event is in the tree, and `warden ledger verify --file` checks an exported file offline.',
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
      text: `Spend counts every run, eval runs included, by the UTC day it was spent; a budget is its daily amount × ${model.period.days} day(s). No budget: “—”.`,
    },
  ];
}

/** How many of a section's events came from eval runs, or nothing when none did. */
function inEval(listing: Listing<unknown>): string {
  return listing.inEvalRuns ? `${count(listing.inEvalRuns)} of them in eval runs (simulated)` : '';
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
      ['Cost per resolved task', usdOrDash(k.costPerResolvedUsd)],
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
        usdOrDash(l.budgetUsd),
        used === null ? '—' : { text: percent(used), ...(used > 1 ? { tone: 'bad' as const } : {}) },
      ];
    }),
    empty: 'No spend recorded.',
  };
}

function agents(model: ReportModel): Block[] {
  const blocks: Block[] = [
    heading(1),
    {
      kind: 'table',
      columns: [
        { title: 'Agent', width: 1.6 },
        { title: 'Tier', width: 1.3 },
        { title: 'Unit', width: 1.1 },
        { title: 'Work runs', numeric: true },
        { title: 'Eval runs', numeric: true },
        { title: 'Tasks', numeric: true },
        { title: 'Resolved', numeric: true },
        { title: 'Needed a person', numeric: true },
        { title: 'Spend', numeric: true },
      ],
      rows: model.agents.map((a) => [
        { text: a.agentId, mono: true, ...(a.name ? { sub: a.name } : {}) },
        a.tier ?? '—',
        a.unit ?? '—',
        count(a.workRuns),
        count(a.evalRuns),
        a.kpis ? count(a.kpis.tasks) : '0',
        a.kpis ? count(a.kpis.resolved) : '0',
        a.kpis ? percent(a.kpis.interventionRate) : '—',
        usd(a.spendUsd),
      ]),
      empty: 'No agent in scope ran in the period.',
    },
    { kind: 'heading', level: 3, text: 'Current manifests' },
  ];
  if (model.manifests.current === null) {
    blocks.push({
      kind: 'para',
      tone: 'note',
      text: 'No roster was given (--roster): current manifests are not shown.',
    });
  } else {
    blocks.push(
      {
        kind: 'para',
        tone: 'note',
        text: 'As the roster holds them when the report was made, with its defaults filled in.',
      },
      {
        kind: 'table',
        columns: [
          { title: 'Agent', width: 1.3 },
          { title: 'Tier, unit, owner', width: 1.4 },
          { title: 'Autonomy, model', width: 1.2 },
          { title: 'Tools (access)', width: 2.2 },
          { title: 'Budget per day', width: 1 },
          { title: 'Eval minimum', width: 1 },
        ],
        rows: model.manifests.current.map((m) => [
          { text: m.id, mono: true, sub: `${m.name ?? ''}${m.name ? ' · ' : ''}${m.lifecycle}` },
          { text: `${m.tier} · ${m.unit ?? 'no unit'}`, sub: m.owner },
          { text: m.autonomy, sub: m.model },
          {
            text: m.tools.length
              ? m.tools
                  .map((t) => `${t.name} (${t.access}${t.amountArg ? `, amount in ${t.amountArg}` : ''})`)
                  .join('\n')
              : 'none',
          },
          {
            text: usdOrDash(m.budget.usdPerDay),
            sub: m.budget.tokensPerDay === null ? 'no token cap' : `${count(m.budget.tokensPerDay)} tokens`,
          },
          { text: percent(m.minAccuracy), sub: m.evalSuite ?? 'suite: agent id' },
        ]),
        empty: 'The roster has no agent in scope.',
      },
    );
  }
  blocks.push(
    { kind: 'heading', level: 3, text: 'Manifest changes in the period' },
    ...capped(model.manifests.changes),
    {
      kind: 'table',
      columns: [
        { title: 'Time' },
        { title: 'Agent', width: 1.3 },
        { title: 'File', width: 2 },
        { title: 'SHA-256', width: 2 },
      ],
      rows: model.manifests.changes.rows.map((m) => [when(m.ts), agentCell(m), m.file, { text: m.sha256, mono: true }]),
      empty: 'No manifest changed in the period.',
    },
    { kind: 'heading', level: 3, text: 'Prompt versions in force' },
    ...(model.prompts.atStart.length
      ? [
          {
            kind: 'table',
            columns: [
              { title: 'Agent', width: 1.3 },
              { title: 'Version at the start', numeric: true },
              { title: 'Since' },
            ],
            rows: model.prompts.atStart.map((p) => [{ text: p.agentId, mono: true }, `v${p.version}`, when(p.since)]),
            empty: '',
          } satisfies Block,
        ]
      : []),
    {
      kind: 'table',
      columns: [
        { title: 'Agent', width: 1.3 },
        { title: 'Prompt version', numeric: true },
        { title: 'Runs', numeric: true },
        { title: 'First run' },
        { title: 'Last run' },
      ],
      rows: model.prompts.inForce.map((p) => [
        { text: p.agentId, mono: true },
        p.version === null ? 'manifest' : `v${p.version}`,
        count(p.runs),
        when(p.first),
        when(p.last),
      ]),
      empty: 'No run started in the period.',
    },
    {
      kind: 'para',
      tone: 'note',
      text: '“manifest”: runs that name no prompt version ran with the prompt in the agent’s manifest.',
    },
    { kind: 'heading', level: 3, text: 'Prompt changes in the period' },
    ...capped(model.prompts.changes),
    {
      kind: 'table',
      columns: [
        { title: 'Time' },
        { title: 'Agent', width: 1.3 },
        { title: 'Version', numeric: true },
        { title: 'By, reason', width: 2 },
        { title: 'Text', width: 3 },
      ],
      rows: model.prompts.changes.rows.map((p) => [
        when(p.ts),
        agentCell(p),
        `v${p.version}`,
        { text: p.by, sub: p.reason },
        { text: p.text, sub: `sha256 ${p.sha256}`, subMono: true },
      ]),
      empty: 'No prompt changed in the period.',
    },
  );
  return blocks;
}

function approvals(model: ReportModel): Block[] {
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
        usdOrDash(d.amountUsd),
        d.rule,
        { text: d.args, mono: true },
      ]),
      empty: 'No draft was recorded in the period.',
    },
  ];
}

function controls(model: ReportModel): Block[] {
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

function evals(model: ReportModel): Block[] {
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

function appendix(model: ReportModel): Block[] {
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

function heading(index: number): Block {
  const [id, text] = SECTIONS[index]!;
  return { kind: 'heading', level: 2, text, id };
}

/** The agent and run of an event, the run marked when it was an eval run. */
function agentCell(ref: EventRef): Cell {
  return {
    text: ref.agentId ?? '—',
    mono: true,
    ...(ref.runId ? { sub: `${cut(ref.runId, 40)}${ref.eval ? ' (eval run)' : ''}`, subMono: true } : {}),
  };
}

/** A note when a section shows only its first rows. */
function capped(listing: Listing<unknown>): Block[] {
  return listing.total > listing.rows.length
    ? [
        {
          kind: 'para',
          tone: 'note',
          text: `Showing the first ${count(listing.rows.length)} of ${count(listing.total)}; the appendix (or its export) holds every event.`,
        },
      ]
    : [];
}

function bold(text: string): Cell {
  return { text, strong: true };
}
