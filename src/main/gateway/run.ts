import type { ContentRef } from '../../shared/event-fields.js';
import type { JsonValue } from '../../shared/json.js';
import type { NewEvent } from '../../shared/events.js';
import type { AgentManifest } from '../../shared/roster.js';

/** An event of a run, before the run and agent are filled in. */
export type RunEvent = DistributiveOmit<NewEvent, 'runId' | 'agentId'>;

/** Omit over each member of a union, keeping it a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * What the gateway needs of a run: who runs it, its flags, and how its events are written.
 * The runtime's RunContext is one; a test can hand in a plain object.
 */
export interface GovernedRun {
  runId: string;
  agent: AgentManifest;
  /** Set for a run of an eval case: its writes are simulated with these results, and budgets do not apply. */
  eval?: { toolResults: Record<string, JsonValue> };
  /** An earlier tool result tried to instruct the agent: later writes need a human. */
  tainted: boolean;
  /** Stops the run (a person's stop, or the kill switch). */
  abort: AbortController;
  /** Set when this process lets go of the run: a waiting call stops waiting without a word. */
  detached?: boolean;
  /** Writes an event of this run, resolving once it is durable. */
  record(event: RunEvent): Promise<void>;
  /** Writes several events in order, in one transaction: a decision and what it decides on. */
  recordAll(events: RunEvent[]): Promise<void>;
  /** Writes an observation without waiting; it commits with the run's next decision at the latest. */
  note(event: RunEvent): void;
  /** Keeps a value (a prompt, a reply, a large result) in the ledger's content store, for the next event of the run to name by the returned reference. */
  content(value: JsonValue): ContentRef;
}

/** What an agent has spent today, and the place to add a call's cost. */
export interface Spend {
  today(agentId: string): { tokens: number; usd: number };
  add(agentId: string, tokens: number, usd: number): void;
}
