import type { EventOf, EventType, LedgerEvent } from '../../../../shared/events.js';
import { isEvent } from '../../../../shared/narrow.js';
import type { Ledger, Page, PageQuery } from '../../../ledger/index.js';
import type { EventRef, Listing } from '../model.js';

/** How many other eval cases a look for a suite run's failing cases may read, beyond twice its own. */
const EVAL_CASE_SLACK = 1_000;

/** What the run of an event was: from its `run.started`. */
export interface RunInfo {
  agentId: string | null;
  ts: string;
  eval: boolean;
  tier: string | null;
  unit: string | null;
  promptVersion: number | null;
}

/** The part of the ledger a report covers: a period, an agent or a unit's agents, up to a checkpoint. */
export interface ScopeSpec {
  from?: string;
  to?: string;
  agentId?: string;
  /** The agents of the business unit asked for; undefined without a unit filter. */
  unitAgents?: ReadonlySet<string>;
  /** The last seq the report covers: the checkpoint's size. */
  throughSeq: number;
  /** Rows a section keeps at most (counts cover all). */
  rowLimit: number;
}

/**
 * Reads a report's events: by type, page by page on the ledger's keyset (type, agent and time
 * indexes), never past the checkpoint, keeping only the agents in scope.
 */
export class ReportScope {
  private readonly started = new Map<string, RunInfo | null>();
  private readonly toolCalls = new Map<string, Map<string, string>>();

  constructor(
    private readonly ledger: Ledger,
    readonly spec: ScopeSpec,
  ) {}

  /** The bodies the events name by hash, and what retention left of them. */
  get contents(): Ledger['contents'] {
    return this.ledger.contents;
  }

  /** Whether an event of this agent is in scope. */
  includes(agentId: string | null): boolean {
    if (this.spec.agentId !== undefined && agentId !== this.spec.agentId) return false;
    return this.spec.unitAgents === undefined || (agentId !== null && this.spec.unitAgents.has(agentId));
  }

  /** The agents that bound the scope (one agent, a unit's agents), or null when every agent is in. */
  agents(): string[] | null {
    if (this.spec.agentId !== undefined) return this.includes(this.spec.agentId) ? [this.spec.agentId] : [];
    return this.spec.unitAgents === undefined ? null : [...this.spec.unitAgents].sort();
  }

  /** The keyset query of the scope's period and agent, up to the checkpoint. */
  query(agentId = this.spec.agentId, period: { from?: string; to?: string } = this.spec): PageQuery {
    return { from: period.from, to: period.to, agentId, beforeSeq: this.spec.throughSeq + 1 };
  }

  /** Events of one type in scope, oldest first; `openEnd` reads on past the period to the checkpoint. */
  *read<T extends EventType>(type: T, openEnd = false): Generator<EventOf<T>> {
    const query = this.query(this.spec.agentId, openEnd ? { from: this.spec.from } : this.spec);
    for (const event of this.ledger.reader.each({ ...query, type })) {
      if (this.includes(event.agentId)) yield event;
    }
  }

  /** Events in scope of every type, oldest first, reading each bounding agent by its own index. */
  all(): LedgerEvent[] {
    const agents = this.agents();
    if (agents === null) return [...this.ledger.reader.each(this.query())];
    const events = agents.flatMap((agentId) => [...this.ledger.reader.each(this.query(agentId))]);
    return events.sort((a, b) => a.seq - b.seq);
  }

  /** How many events are in scope. */
  count(): number {
    const agents = this.agents();
    if (agents === null) return this.ledger.reader.count(this.query());
    return agents.reduce((sum, agentId) => sum + this.ledger.reader.count(this.query(agentId)), 0);
  }

  /** Remembers a run's `run.started` (read with the period's runs). */
  noteRun(event: EventOf<'run.started'>): RunInfo {
    const info = runInfoOf(event);
    if (event.runId !== null) this.started.set(event.runId, info);
    return info;
  }

  /** A run's `run.started`, from the period's runs or looked up by the run's index. */
  run(runId: string | null): RunInfo | null {
    if (runId === null) return null;
    let info = this.started.get(runId);
    if (info === undefined) {
      // A run's first event is its start: sought by the run index (with a type too, SQLite takes the type index).
      const event = this.ledger.reader.page({ runId, limit: 1 }).events[0];
      info = event && isEvent(event, 'run.started') ? runInfoOf(event) : null;
      this.started.set(runId, info);
    }
    return info;
  }

  /** Where an event sits, and whether its run was an eval run. */
  ref(event: LedgerEvent): EventRef {
    return {
      seq: event.seq,
      ts: event.ts,
      agentId: event.agentId,
      runId: event.runId,
      eval: this.run(event.runId)?.eval ?? false,
    };
  }

  /** The `server.tool` a run asked for with a call id (from its `tool.requested`), or null. */
  toolOf(runId: string | null, callId: string): string | null {
    if (runId === null) return null;
    let calls = this.toolCalls.get(runId);
    if (!calls) {
      calls = new Map();
      // By the run index alone: with a type too, SQLite takes the type index and reads every such call.
      for (const event of this.ledger.reader.each({ runId, beforeSeq: this.spec.throughSeq + 1 })) {
        if (!isEvent(event, 'tool.requested')) continue;
        const p = event.payload;
        calls.set(p.callId, `${p.server}.${p.tool}`);
      }
      this.toolCalls.set(runId, calls);
    }
    return calls.get(callId) ?? null;
  }

  /**
   * A suite run's failing case ids, in ledger order. Its `eval.case` events come just before
   * its `eval.run`, so they are read backwards from there (by type and agent) until all
   * `total` are found: that holds even when the period starts in the middle of the suite.
   */
  failingCases(run: LedgerEvent, evalRunId: string, total: number): string[] {
    const failing: string[] = [];
    let found = 0;
    let read = 0;
    let before: number | null = run.seq;
    while (before !== null && found < total && read < 2 * total + EVAL_CASE_SLACK) {
      const page: Page<EventOf<'eval.case'>> = this.ledger.reader.page({
        type: 'eval.case',
        agentId: run.agentId ?? undefined,
        beforeSeq: before,
        order: 'desc',
        // Its cases are the agent's last eval cases before it: ask for about that many, not a full page.
        limit: Math.min(1000, Math.max(16, 2 * (total - found))),
      });
      for (const event of page.events) {
        read += 1;
        const p = event.payload;
        if (p.evalRunId !== evalRunId) continue;
        found += 1;
        if (!p.passed) failing.push(p.caseId);
      }
      before = page.nextKey;
    }
    return failing.reverse();
  }

  /**
   * A section's rows: every event is counted (and shown to `seen`), the first `rowLimit` are
   * turned into rows; the rest stay in the ledger (and the appendix or its export).
   */
  list<T, E extends Pick<LedgerEvent, 'seq' | 'ts' | 'runId' | 'agentId'> = LedgerEvent>(
    events: Iterable<E>,
    row: (event: E) => T,
    seen?: (event: E) => void,
  ): Listing<T> {
    const rows: T[] = [];
    let total = 0;
    let inEvalRuns = 0;
    for (const event of events) {
      seen?.(event);
      if (this.run(event.runId)?.eval) inEvalRuns += 1;
      if (total++ < this.spec.rowLimit) rows.push(row(event));
    }
    return { total, inEvalRuns, rows };
  }
}

/** Reads a `run.started` payload of either version. */
function runInfoOf(event: EventOf<'run.started'>): RunInfo {
  const p = event.payload;
  return {
    agentId: event.agentId,
    ts: event.ts,
    // v1 marks an eval run with `true`, v2 with its suite run and case.
    eval: p.eval === true || (typeof p.eval === 'object' && p.eval !== null),
    tier: typeof p.tier === 'string' ? p.tier : null,
    unit: typeof p.unit === 'string' && p.unit !== '' ? p.unit : null,
    promptVersion: typeof p.promptVersion === 'number' ? p.promptVersion : null,
  };
}
