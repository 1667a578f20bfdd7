import type { JsonValue } from '../../shared/json.js';
import type { NewEvent } from '../../shared/events.js';
import type { AgentManifest } from '../../shared/roster.js';
import type { Ledger } from '../ledger/index.js';
import type { GovernedRun, RunEvent } from '../gateway/run.js';

/** One run while it executes: who runs it, where it sits in a handoff chain, and its flags. */
export interface RunContext extends GovernedRun {
  runId: string;
  agent: AgentManifest;
  input: JsonValue;
  hop: number;
  /** Agent ids from the first run of the chain to this one. */
  chain: string[];
  parentRunId?: string;
  /** Stops the run (a person's stop, or the kill switch). */
  abort: AbortController;
  /** Set when this process lets go of the run (it exits) rather than stopping it: nothing is recorded, a parked run stays parked. */
  detached?: boolean;
  /** The system prompt it runs with, and its version in the prompt store. */
  prompt: { text: string; version: number | null };
  /** Set for a run of an eval case: its writes are simulated, and holds on the agent do not stop it. */
  eval?: EvalTag;
  /** An earlier tool result tried to instruct the agent: later writes need a human. */
  tainted: boolean;
  /** Writes an event of this run to the ledger (run and agent filled in), resolving once it is durable. */
  record(event: RunEvent): Promise<void>;
  /** Writes several events in order, in one transaction: a decision and what it decides on. */
  recordAll(events: RunEvent[]): Promise<void>;
  /**
   * Writes an observation (a result, a model call) without waiting for it to be durable. The
   * ledger keeps order, so it commits with the run's next decision, or its end, at the latest.
   */
  note(event: RunEvent): void;
  /** The first observation the ledger refused, if any (the run then fails rather than lose it). */
  refused(): unknown;
}

export type { RunEvent } from '../gateway/run.js';

/** What marks a run as an eval case's: its suite run, its case, and what its writes return. */
export interface EvalTag {
  evalRunId: string;
  caseId: string;
  /** Results of simulated writes by `server.tool`; others get `{ status: "ok" }`. */
  toolResults: Record<string, JsonValue>;
}

/** Where a run sits: started on its own, or as a handoff from another run. */
export interface Origin {
  parentRunId?: string;
  hop: number;
  chain: string[];
  eval?: EvalTag;
}

/**
 * A run's context over the ledger: what it is, and how its events are written (stamped with
 * its run and agent). Observations that the ledger refuses are kept, so the run fails rather
 * than lose them.
 */
export function createRunContext(
  ledger: Ledger,
  run: Origin & { runId: string; agent: AgentManifest; input: JsonValue; prompt: RunContext['prompt'] },
): RunContext {
  const failures: unknown[] = [];
  const stamp = (event: RunEvent) => ({ ...event, runId: run.runId, agentId: run.agent.id }) as NewEvent;
  return {
    runId: run.runId,
    agent: run.agent,
    input: run.input,
    hop: run.hop,
    chain: run.chain,
    prompt: run.prompt,
    ...(run.parentRunId ? { parentRunId: run.parentRunId } : {}),
    ...(run.eval ? { eval: run.eval } : {}),
    abort: new AbortController(),
    tainted: false,
    record: async (event) => {
      await ledger.append(stamp(event));
    },
    recordAll: async (events) => {
      await ledger.appendMany(events.map(stamp));
    },
    note: (event) => {
      try {
        // A commit failure also fails the next eager append, which is where it surfaces.
        ledger.appendLazy(stamp(event)).catch(() => undefined);
      } catch (error) {
        failures.push(error);
      }
    },
    refused: () => failures[0],
    content: (value) => ledger.content(value),
  };
}

/** A run's `run.started` event: its input, place in the chain, roster, owner, tier and unit, eval case and prompt version. */
export function startedEvent(run: RunContext, roster: string, owner: { host: string; pid: number }): RunEvent {
  return {
    type: 'run.started',
    payload: {
      input: run.input,
      hop: run.hop,
      chain: run.chain,
      roster,
      owner,
      tier: run.agent.tier,
      ...(run.agent.businessUnit ? { unit: run.agent.businessUnit } : {}),
      ...(run.parentRunId ? { parentRunId: run.parentRunId } : {}),
      ...(run.eval ? { eval: { evalRunId: run.eval.evalRunId, caseId: run.eval.caseId } } : {}),
      ...(run.prompt.version !== null ? { promptVersion: run.prompt.version } : {}),
    },
  };
}
