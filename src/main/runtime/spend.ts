import type { Ledger } from '../ledger/index.js';

/** What an agent's work spent on one UTC day. */
export interface DaySpend {
  day: string;
  tokens: number;
  usd: number;
}

/**
 * What each agent's work has spent today (UTC), in tokens and USD, against its daily budget.
 * The ledger's daily spend rollup is the one measure (`LedgerFacts.spentOn`, which KPIs sum
 * over days and the roster shows); it is read on every ask, so the spend of runs in other
 * processes counts. This process's calls are added the moment they are made, before their
 * events are durable, and count until the rollup catches up with them. Eval runs are left
 * out: a person runs them on purpose, and they must not pause an agent's work.
 */
export class SpendTracker {
  private readonly spent = new Map<string, DaySpend>();

  constructor(
    private readonly ledger: Ledger,
    private readonly clock: () => Date,
  ) {}

  /** Today's spend of an agent: the rollup's, or this process's count when that is ahead. */
  today(agentId: string): DaySpend {
    const day = this.clock().toISOString().slice(0, 10);
    const recorded = this.ledger.facts.spentOn(agentId, day);
    const own = this.spent.get(agentId);
    const entry =
      own && own.day === day
        ? { day, tokens: Math.max(own.tokens, recorded.tokens), usd: Math.max(own.usd, recorded.usd) }
        : { day, ...recorded };
    this.spent.set(agentId, entry);
    return { ...entry };
  }

  /** Adds a model or tool call's cost. */
  add(agentId: string, tokens: number, usd: number): void {
    const entry = this.today(agentId);
    this.spent.set(agentId, { day: entry.day, tokens: entry.tokens + tokens, usd: entry.usd + usd });
  }
}
