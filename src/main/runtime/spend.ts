import type { Ledger } from '../ledger/index.js';

/**
 * What each agent's work has spent today (UTC), in tokens and USD, against its daily budget:
 * read from the ledger's daily spend rollup the first time an agent is asked about, then kept
 * up to date in memory. Eval runs are left out: a person runs them on purpose, and they must
 * not pause an agent's work (their spend still shows in KPIs).
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
      entry = { day, ...this.ledger.facts.spentOn(agentId, day) };
      this.spent.set(agentId, entry);
    }
    return { tokens: entry.tokens, usd: entry.usd };
  }

  /** Adds a model or tool call's cost. */
  add(agentId: string, tokens: number, usd: number): void {
    const entry = this.today(agentId);
    this.spent.set(agentId, {
      day: this.clock().toISOString().slice(0, 10),
      tokens: entry.tokens + tokens,
      usd: entry.usd + usd,
    });
  }
}
