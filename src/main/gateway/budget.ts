import type { AgentManifest } from '../../shared/roster.js';
import { usd } from '../../shared/money.js';

/** Which daily budget an agent has used up, and the sentence that says so. */
export interface BudgetSpent {
  rule: 'budget.tokens' | 'budget.usd';
  reason: string;
}

/**
 * The one budget check, for model calls and tool calls alike: an agent that has used its
 * tokens or dollars for the day makes no more calls of either kind. Both kinds then have the
 * same outcome (refused, the agent paused, a person alerted), so no call slips past a budget.
 */
export function budgetSpent(agent: AgentManifest, spent: { tokens: number; usd: number }): BudgetSpent | null {
  const { budget } = agent;
  if (budget.tokensPerDay !== undefined && spent.tokens >= budget.tokensPerDay)
    return { rule: 'budget.tokens', reason: `${agent.id} has used its ${budget.tokensPerDay} tokens for today` };
  if (budget.usdPerDay !== undefined && spent.usd >= budget.usdPerDay)
    return { rule: 'budget.usd', reason: `${agent.id} has used its ${usd(budget.usdPerDay)} for today` };
  return null;
}
