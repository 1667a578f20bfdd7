import type { Ledger } from '../ledger/index.js';

/**
 * Which agents are paused, as the ledger says: `agent.paused` and `agent.resumed` events,
 * written by this process or another (the console pausing what the CLI runs). Re-read when
 * SQLite's data_version says someone else wrote.
 */
export class PausedAgents {
  private readonly paused = new Set<string>();

  constructor(
    private readonly ledger: Ledger,
    private readonly agentIds: readonly string[],
  ) {
    this.load();
  }

  /** Whether an agent is paused now. */
  has(agentId: string): boolean {
    if (this.ledger.changedByOthers()) this.load();
    return this.paused.has(agentId);
  }

  /** Pauses an agent, with the event naming who and why; pausing a paused agent does nothing. */
  async pause(agentId: string, by: string, reason?: string): Promise<void> {
    if (this.has(agentId)) return;
    this.paused.add(agentId);
    await this.ledger.append({ type: 'agent.paused', agentId, payload: { by, ...(reason ? { reason } : {}) } });
  }

  /** Resumes an agent, with the event; resuming a running agent does nothing. */
  async resume(agentId: string, by: string, reason?: string): Promise<void> {
    if (!this.has(agentId)) return;
    this.paused.delete(agentId);
    await this.ledger.append({ type: 'agent.resumed', agentId, payload: { by, ...(reason ? { reason } : {}) } });
  }

  private load(): void {
    this.paused.clear();
    for (const agentId of this.agentIds) {
      const last = this.ledger.reader.page({ agentId, type: 'agent.paused', order: 'desc', limit: 1 }).events[0];
      const resumed = this.ledger.reader.page({ agentId, type: 'agent.resumed', order: 'desc', limit: 1 }).events[0];
      if (last && (!resumed || resumed.seq < last.seq)) this.paused.add(agentId);
    }
  }
}
