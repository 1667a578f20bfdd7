import { WardenError } from '../../shared/errors.js';
import { sleep } from '../gateway/waiting.js';
import type { Ledger } from '../ledger/index.js';

/** Why an agent is held: a person (or a budget) paused it, or its eval suite suspended it. */
export type Hold = 'paused' | 'suspended';

/**
 * Which agents are held, as the ledger says: `agent.paused` and `agent.suspended` hold an
 * agent until the next `agent.resumed`, written by this process or another (the console
 * resuming what the CLI's eval suspended). Re-read when SQLite's data_version says someone
 * else wrote.
 */
export class PausedAgents {
  private readonly held = new Map<string, Hold>();

  constructor(
    private readonly ledger: Ledger,
    private readonly agentIds: readonly string[],
  ) {
    this.load();
  }

  /** Whether an agent is held now (paused or suspended). */
  has(agentId: string): boolean {
    return this.hold(agentId) !== null;
  }

  /** How an agent is held now, or null when it is free to run. */
  hold(agentId: string): Hold | null {
    if (this.ledger.changedByOthers()) this.load();
    return this.held.get(agentId) ?? null;
  }

  /** Pauses an agent, with the event naming who and why; pausing a held agent does nothing. */
  async pause(agentId: string, by: string, reason?: string): Promise<void> {
    if (this.has(agentId)) return;
    this.held.set(agentId, 'paused');
    await this.ledger.append({ type: 'agent.paused', agentId, payload: { by, ...(reason ? { reason } : {}) } });
  }

  /**
   * Suspends an agent whose eval suite run fell below its threshold, and raises the alert, in
   * one transaction. A suspended agent starts nothing until a person resumes it.
   */
  async suspend(agentId: string, reason: string, evalRunId: string): Promise<void> {
    this.held.set(agentId, 'suspended');
    await this.ledger.appendMany([
      { type: 'agent.suspended', agentId, payload: { reason, evalRunId } },
      { type: 'alert.raised', agentId, payload: { kind: 'suspension', message: `${agentId} suspended: ${reason}` } },
    ]);
  }

  /** Resumes a held agent, with the event; resuming a free agent does nothing. */
  async resume(agentId: string, by: string, reason?: string): Promise<void> {
    if (!this.has(agentId)) return;
    this.held.delete(agentId);
    await this.ledger.append({ type: 'agent.resumed', agentId, payload: { by, ...(reason ? { reason } : {}) } });
  }

  private load(): void {
    this.held.clear();
    const last = (agentId: string, type: 'agent.paused' | 'agent.suspended' | 'agent.resumed') =>
      this.ledger.reader.page({ agentId, type, order: 'desc', limit: 1 }).events[0]?.seq ?? 0;
    for (const agentId of this.agentIds) {
      const paused = last(agentId, 'agent.paused');
      const suspended = last(agentId, 'agent.suspended');
      const resumed = last(agentId, 'agent.resumed');
      if (Math.max(paused, suspended) > resumed) this.held.set(agentId, suspended > paused ? 'suspended' : 'paused');
    }
  }
}

/**
 * The pause check before a step that acts (a tool call, a handoff): waits while the agent is
 * held, and throws once the run is stopped. An eval case never acts on the world, so holds on
 * the agent do not stop it.
 */
export async function waitWhilePaused(
  run: { abort: AbortController; eval?: unknown; agent: { id: string } },
  paused: Pick<PausedAgents, 'has'>,
  pollMs: number,
): Promise<void> {
  for (;;) {
    if (run.abort.signal.aborted) throw new WardenError('E_CANCELLED', 'the run was stopped');
    if (run.eval || !paused.has(run.agent.id)) return;
    await sleep(pollMs, run.abort.signal);
  }
}
