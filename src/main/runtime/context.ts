import type { JsonValue } from '../../shared/json.js';
import type { NewEvent } from '../../shared/events.js';
import type { AgentManifest } from '../../shared/roster.js';

/** One run while it executes: who runs it, where it sits in a handoff chain, and its flags. */
export interface RunContext {
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
  /** An earlier tool result tried to instruct the agent: later writes need a human. */
  tainted: boolean;
  /** Called once an approval is requested, before the run waits: the loop records what it needs to continue elsewhere. */
  onApproval?: (approvalId: string) => Promise<void>;
  /** Writes an event of this run to the ledger (run and agent filled in). */
  record(event: DistributiveOmit<NewEvent, 'runId' | 'agentId'>): Promise<void>;
}

/** Omit over each member of a union, keeping it a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
