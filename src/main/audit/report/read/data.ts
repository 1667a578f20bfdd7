import packageJson from '../../../../../package.json' with { type: 'json' };
import type { SignedCheckpoint } from '../../../../shared/audit.js';
import { UsageError } from '../../../../shared/errors.js';
import type { ExportFilters } from '../../../../shared/export.js';
import { agentModel, type AgentManifest } from '../../../../shared/roster.js';
import { contentRefsOf } from '../../../../shared/content-refs.js';
import type { LedgerEvent } from '../../../../shared/events.js';
import { asAnyEvent } from '../../../../shared/narrow.js';
import { kpiReport, summarise, type KpiReport, type Kpis } from '../../../kpis/kpis.js';
import type { Ledger } from '../../../ledger/index.js';
import type { Roster } from '../../../roster/load.js';
import { cut } from '../format.js';
import { keyCustody } from '../../keys.js';
import {
  REPORT_FORMAT_VERSION,
  type AgentRow,
  type Appendix,
  type CurrentManifest,
  type PromptInForce,
  type ReportModel,
  type StatusCount,
} from '../model.js';
import { ReportScope, type RunInfo } from './scope.js';
import { approvalSections, changeSections, controlSections, evalSection } from './sections.js';

/** A period with more events in scope than this gets a JSONL export beside the report instead of an inline appendix. */
export const APPENDIX_LIMIT = 5_000;
/** Rows a section shows at most; its count covers every one, and the appendix (or its export) holds them all. */
export const ROW_LIMIT = 2_000;
/** Characters of an event's payload JSON the inline appendix shows. */
const PAYLOAD_CHARS = 400;
const STATUS_ORDER = ['ok', 'error', 'limit', 'cancelled', 'interrupted', 'rejected', 'unfinished'];

/** Which events a report covers: a period, an agent, a business unit. */
export type ReportFilters = ExportFilters & { unit?: string };

/** What a report is made of besides the ledger. */
export interface ReportOptions {
  filters: ReportFilters;
  /** The signed checkpoint the report is anchored to: it covers events up to its size. */
  checkpoint: SignedCheckpoint;
  /** The roster: the organisation's name, current manifests and budgets. */
  roster?: Roster;
  /** The generation time (default: now); also the end of an open period. */
  now?: Date;
  /** More events in scope than this, and the appendix is a JSONL export (default {@link APPENDIX_LIMIT}). */
  appendixLimit?: number;
  /** Rows per section at most (default {@link ROW_LIMIT}). */
  rowLimit?: number;
}

/**
 * Builds a report's content from the ledger: every figure is read from events (by type, on
 * the ledger's keyset indexes) or from the projections KPIs use, up to the checkpoint's size.
 * An inline appendix holds the events when there are few; otherwise `appendix.exports` is
 * left for the writer to fill with the JSONL exports it writes.
 */
export function buildReport(ledger: Ledger, options: ReportOptions): ReportModel {
  const { filters, checkpoint, roster } = options;
  if (filters.runId !== undefined || filters.type !== undefined) {
    throw new UsageError(
      'a report covers agents over a period: filter it by time, agent or unit, not by run or event type',
    );
  }
  if (filters.from !== undefined && filters.to !== undefined && filters.from >= filters.to) {
    throw new UsageError(`a report's period must start (${filters.from}) before it ends (${filters.to})`);
  }
  const head = ledger.reader.head();
  if (checkpoint.size > (head?.seq ?? 0)) {
    throw new UsageError(`the checkpoint covers ${checkpoint.size} events; this ledger holds ${head?.seq ?? 0}`);
  }
  const now = options.now ?? new Date();
  const manifests = roster?.agents ?? [];
  const unitAgents =
    filters.unit === undefined
      ? undefined
      : new Set([
          ...ledger.facts.agentsOfUnit(filters.unit, checkpoint.size + 1),
          ...manifests.filter((a) => a.businessUnit === filters.unit).map((a) => a.id),
        ]);
  const scope = new ReportScope(ledger, {
    from: filters.from,
    to: filters.to,
    agentId: filters.agentId,
    unitAgents,
    throughSeq: checkpoint.size,
    rowLimit: options.rowLimit ?? ROW_LIMIT,
  });

  // An open period runs from the first event to now, or to the last event if the clock is behind it.
  const first = ledger.reader.page({ limit: 1 }).events[0];
  const last = checkpoint.size > 0 ? ledger.reader.get(checkpoint.size) : null;
  const from = filters.from ?? first?.ts ?? now.toISOString();
  const afterLast = last ? new Date(Date.parse(last.ts) + 1).toISOString() : '';
  const to = filters.to ?? (afterLast > now.toISOString() ? afterLast : now.toISOString());

  const runs = new Map<string, RunInfo>();
  for (const event of scope.read('run.started')) if (event.runId) runs.set(event.runId, scope.noteRun(event));
  const finished = new Map<string, string>();
  for (const event of scope.read('run.finished')) {
    if (event.runId) finished.set(event.runId, event.payload.status);
  }

  const byAgent = kpiReport(ledger, { from, to, by: 'agent' }, manifests);
  const kpisByAgent = byAgent.groups.filter((g) => scope.includes(g.key));
  const spendAgents = byAgent.spend.agents.filter((line) => scope.includes(line.key));
  const changes = changeSections(scope);
  const scopeAgents = scope.agents();
  const agents = agentRows(runs, kpisByAgent, spendAgents, manifests, scope);
  const count = scope.count();
  const appendixLimit = options.appendixLimit ?? APPENDIX_LIMIT;

  return {
    formatVersion: REPORT_FORMAT_VERSION,
    organisation: roster?.config.organisation.name ?? recordedOrganisation(ledger, checkpoint.size),
    generatedAt: now.toISOString(),
    wardenVersion: packageJson.version,
    period: {
      from,
      to,
      days: byAgent.period.days,
      openStart: filters.from === undefined,
      openEnd: filters.to === undefined,
    },
    filters: { agentId: filters.agentId ?? null, unit: filters.unit ?? null },
    scopeAgents,
    checkpoint,
    signingKey: signingKeyOf(ledger.dataDir),
    eventCount: count,
    runs: runCounts(runs, finished),
    kpis: scopeKpis(ledger, byAgent, filters, scope, from, to, manifests),
    spend: {
      agents: spendAgents,
      units:
        filters.agentId !== undefined
          ? []
          : byAgent.spend.units.filter((u) => filters.unit === undefined || u.key === filters.unit),
    },
    agents,
    kpisByAgent,
    manifests: {
      changes: changes.manifests,
      current: roster ? currentManifests(roster, scope) : null,
    },
    prompts: {
      changes: changes.prompts,
      atStart: filters.from === undefined ? [] : promptsAtStart(ledger, agents, filters.from, checkpoint.size),
      inForce: promptsInForce(runs),
    },
    ...approvalSections(scope),
    ...controlSections(scope),
    evals: evalSection(scope),
    appendix:
      count <= appendixLimit ? inlineAppendix(scope) : { kind: 'exports', count, limit: appendixLimit, exports: [] },
  };
}

/** The KPIs of the scope: the whole report's, one agent's, or one unit's (as `warden kpis --by` has them). */
function scopeKpis(
  ledger: Ledger,
  byAgent: KpiReport,
  filters: ReportFilters,
  scope: ReportScope,
  from: string,
  to: string,
  manifests: readonly AgentManifest[],
): Kpis {
  const groupOf = (report: KpiReport, key: string): Kpis => {
    const { key: _key, ...kpis } = report.groups.find((g) => g.key === key) ?? { key, ...summarise([]) };
    return kpis;
  };
  if (filters.agentId !== undefined)
    return scope.includes(filters.agentId) ? groupOf(byAgent, filters.agentId) : summarise([]);
  if (filters.unit !== undefined) return groupOf(kpiReport(ledger, { from, to, by: 'unit' }, manifests), filters.unit);
  return byAgent.total;
}

/** Runs started in the period by how they ended (or `unfinished` at the checkpoint), work and eval apart. */
function runCounts(runs: Map<string, RunInfo>, finished: Map<string, string>): ReportModel['runs'] {
  const work = new Map<string, number>();
  const evals = new Map<string, number>();
  for (const [runId, info] of runs) {
    const status = finished.get(runId) ?? 'unfinished';
    const counts = info.eval ? evals : work;
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const ordered = (counts: Map<string, number>): StatusCount[] =>
    [...counts]
      .map(([status, n]) => ({ status, runs: n }))
      .sort((a, b) => rank(a.status) - rank(b.status) || a.status.localeCompare(b.status));
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  return { work: ordered(work), eval: ordered(evals), workTotal: sum(work), evalTotal: sum(evals) };
}

function rank(status: string): number {
  const i = STATUS_ORDER.indexOf(status);
  return i === -1 ? STATUS_ORDER.length : i;
}

/** Every agent in scope that ran, spent, or is on the roster, with its runs, KPIs and spend. */
function agentRows(
  runs: Map<string, RunInfo>,
  kpis: ReportModel['kpisByAgent'],
  spend: ReportModel['spend']['agents'],
  manifests: readonly AgentManifest[],
  scope: ReportScope,
): AgentRow[] {
  const byAgent = new Map<string, RunInfo[]>();
  for (const run of runs.values()) {
    if (run.agentId === null) continue;
    const own = byAgent.get(run.agentId);
    if (own) own.push(run);
    else byAgent.set(run.agentId, [run]);
  }
  const ids = new Set<string>([
    ...byAgent.keys(),
    ...kpis.map((k) => k.key),
    ...spend.map((s) => s.key),
    ...manifests.filter((m) => scope.includes(m.id)).map((m) => m.id),
  ]);
  return [...ids].sort().map((agentId): AgentRow => {
    const manifest = manifests.find((m) => m.id === agentId);
    const own = byAgent.get(agentId) ?? [];
    const latest = own[own.length - 1];
    const line = spend.find((s) => s.key === agentId);
    const group = kpis.find((k) => k.key === agentId);
    const evalRuns = own.filter((r) => r.eval).length;
    return {
      agentId,
      name: manifest?.name ?? null,
      tier: latest?.tier ?? manifest?.tier ?? null,
      unit: latest?.unit ?? manifest?.businessUnit ?? null,
      workRuns: own.length - evalRuns,
      evalRuns,
      kpis: group ? { ...group } : null,
      spendUsd: line?.costUsd ?? 0,
      budgetUsd: line?.budgetUsd ?? null,
    };
  });
}

/** The roster's manifests of the agents in scope, with the roster's defaults filled in. */
function currentManifests(roster: Roster, scope: ReportScope): CurrentManifest[] {
  return roster.agents
    .filter((agent) => scope.includes(agent.id))
    .map((agent) => ({
      id: agent.id,
      name: agent.name ?? null,
      role: agent.role,
      tier: agent.tier,
      unit: agent.businessUnit ?? null,
      owner: agent.owner,
      // The same defaults the runtime and the console apply.
      autonomy: agent.autonomy ?? roster.config.defaults.autonomy ?? 'hitl',
      model: agentModel(agent, roster.config),
      lifecycle: agent.lifecycle,
      tools: agent.tools.map((t) => ({ name: t.name, access: t.access, amountArg: t.amountArg ?? null })),
      budget: { usdPerDay: agent.budget.usdPerDay ?? null, tokensPerDay: agent.budget.tokensPerDay ?? null },
      evalSuite: agent.eval.suite ?? null,
      minAccuracy: agent.eval.minAccuracy,
    }));
}

/** The prompt version each agent had when the period began: its last `prompt.changed` before it. */
function promptsAtStart(
  ledger: Ledger,
  agents: AgentRow[],
  from: string,
  throughSeq: number,
): ReportModel['prompts']['atStart'] {
  return agents.flatMap(({ agentId }) => {
    const event = ledger.reader.page({
      type: 'prompt.changed',
      agentId,
      to: from,
      beforeSeq: throughSeq + 1,
      order: 'desc',
      limit: 1,
    }).events[0];
    return event ? [{ agentId, version: event.payload.version, since: event.ts }] : [];
  });
}

/** The prompt versions the period's runs started with, per agent. */
function promptsInForce(runs: Map<string, RunInfo>): PromptInForce[] {
  const byKey = new Map<string, PromptInForce>();
  for (const run of runs.values()) {
    if (run.agentId === null) continue;
    const key = `${run.agentId}\u0000${run.promptVersion ?? ''}`;
    const seen = byKey.get(key);
    if (seen) {
      seen.runs += 1;
      seen.last = run.ts;
    } else byKey.set(key, { agentId: run.agentId, version: run.promptVersion, runs: 1, first: run.ts, last: run.ts });
  }
  return [...byKey.values()].sort((a, b) => a.agentId.localeCompare(b.agentId) || (a.version ?? 0) - (b.version ?? 0));
}

/** The events themselves, their payloads cut to a readable length. */
function inlineAppendix(scope: ReportScope): Appendix {
  return {
    kind: 'inline',
    rows: scope.all().map((e) => {
      const payload = payloadWithContent(e, scope.contents);
      return {
        seq: e.seq,
        ts: e.ts,
        runId: e.runId,
        agentId: e.agentId,
        type: e.type,
        v: e.v,
        payload: cut(payload, PAYLOAD_CHARS),
        cut: payload.length > PAYLOAD_CHARS,
        hash: e.hash,
      };
    }),
  };
}

/**
 * An event's payload as the appendix shows it: content it names by hash in place, or where
 * retention removed a body, when, by whom and why.
 */
function payloadWithContent(e: LedgerEvent, contents: ReportScope['contents']): string {
  const named = new Set(contentRefsOf(asAnyEvent(e)).map((ref) => ref.sha256));
  if (named.size === 0) return JSON.stringify(e.payload);
  return JSON.stringify(e.payload, (_key, value: unknown) => {
    const sha = (value as { sha256?: unknown } | null)?.sha256;
    if (typeof sha !== 'string' || !named.has(sha)) return value;
    const found = contents.get(sha);
    if (!found) return `[content ${sha.slice(0, 12)}… not in this ledger]`;
    if ('body' in found) return found.body;
    const { at, by, reason } = found.removed;
    return `[removed by retention on ${at.slice(0, 10)}, by ${by}: ${reason}]`;
  });
}

/** Where the folder's signing key lives, as the cover states it. */
function signingKeyOf(dataDir: string): ReportModel['signingKey'] {
  const custody = keyCustody(dataDir);
  return custody ? { sealed: custody.sealed, description: custody.description } : null;
}

/**
 * The organisation of the latest roster opened on this ledger, as far as the checkpoint goes:
 * a report made without `--roster` still names whose agents it covers.
 */
function recordedOrganisation(ledger: Ledger, size: number): string {
  const opened = ledger.reader.page({ type: 'roster.opened', order: 'desc', beforeSeq: size + 1, limit: 1 }).events[0];
  return opened?.payload.organisation ?? 'unknown organisation';
}
