import { usd } from '../../../../shared/money.js';
import { count, percent, when } from '../format.js';
import type { Block } from './doc.js';
import type { ReportModel } from '../model.js';
import { agentCell, capped, heading } from './blocks.js';

/** Section 2: the agents, their manifests and the prompts in force. */
export function agents(model: ReportModel): Block[] {
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
            text: usd(m.budget.usdPerDay),
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
