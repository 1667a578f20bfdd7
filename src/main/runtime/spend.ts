import type { Ledger } from '../ledger/index.js';

/**
 * What each agent has spent today (UTC), in tokens and USD: read from the ledger's
 * `model.called` events the first time an agent is asked about, then kept up to date in memory.
 */
export class SpendTracker {
  private readonly spent = new Map<string, { day: string; tokens: number; usd: number }>();

  constructor(
    private readonly ledger: Ledger,
    private readonly clock: () => Date,
  ) {}

  /** Today's spend of an agent. */
  today(agentId: string): { tokens: number; usd: number } {
    const day = this.clock().toISOString().slice(0, 10);
    let entry = this.spent.get(agentId);
    if (!entry || entry.day !== day) {
      entry = { day, tokens: 0, usd: 0 };
      for (const e of this.ledger.reader.each({ type: 'model.called', agentId, from: `${day}T00:00:00.000Z` })) {
        const p = e.payload as { inputTokens: number; outputTokens: number; costUsd: number };
        entry.tokens += p.inputTokens + p.outputTokens;
        entry.usd += p.costUsd;
      }
      this.spent.set(agentId, entry);
    }
    return { tokens: entry.tokens, usd: entry.usd };
  }

  /** Adds a model call's cost. */
  add(agentId: string, tokens: number, usd: number): void {
    const entry = this.today(agentId);
    this.spent.set(agentId, {
      day: this.clock().toISOString().slice(0, 10),
      tokens: entry.tokens + tokens,
      usd: entry.usd + usd,
    });
  }
}
