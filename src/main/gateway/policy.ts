import type { ErrorCode } from '../../shared/errors.js';
import type { JsonValue } from '../../shared/json.js';
import type { AgentManifest, WardenConfig } from '../../shared/roster.js';
import { usd } from '../../shared/money.js';
import { budgetSpent } from './budget.js';

/** Everything the gateway weighs for one tool call. */
export interface CallContext {
  agent: AgentManifest;
  config: WardenConfig;
  /** `server.tool` */
  tool: string;
  args: Record<string, JsonValue>;
  /** What the agent has spent today, for its budget; null where budgets do not apply (an eval run). */
  spentToday: { tokens: number; usd: number } | null;
  /** An earlier tool result in this run tried to give the agent instructions. */
  tainted: boolean;
  /** Why the tool's own definition is refused (it reads like instructions and no owner accepted it), if it is. */
  definitionRefused?: string | null;
}

/**
 * The gateway's answer: allow, deny, ask a human, or draft (the agent may only prepare the
 * call; a human executes it). `rule` names what decided, for the ledger and the console.
 */
export interface Decision {
  decision: 'allow' | 'deny' | 'ask' | 'draft';
  rule: string;
  reason: string;
  amountUsd?: number;
  /** The code a denial carries when it is not E_POLICY_DENIED. */
  code?: ErrorCode;
}

/**
 * Decides one tool call, before it runs. The checks go from who the agent is to what the call
 * does: identity (is the tool on the manifest), the tool's definition (no unaccepted
 * injection in what its server says it is), argument guardrails, budget, then delegation of
 * authority for writes. The first check that objects decides.
 */
export function decide(ctx: CallContext): Decision {
  const { agent, config, tool, args } = ctx;
  const grant = agent.tools.find((t) => t.name === tool);
  if (!grant) {
    return { decision: 'deny', rule: 'identity.not-granted', reason: `${tool} is not on ${agent.id}'s manifest` };
  }
  if (ctx.definitionRefused) {
    return { decision: 'deny', rule: 'definition.flagged', reason: ctx.definitionRefused, code: 'E_TOOL_FLAGGED' };
  }

  for (const guard of config.guardrails.arguments) {
    if (!toolMatches(guard.tool, tool)) continue;
    const value = valueAt(args, guard.arg);
    // A read that does not name the argument has nothing to check (books.get_invoice under a
    // books.* payee guard); a write that leaves it out is held to the guard like any value.
    if (value === undefined && grant.access === 'read') continue;
    const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    const notAllowed = guard.allow !== undefined && !guard.allow.includes(text);
    const denied = guard.denyPattern !== undefined && new RegExp(guard.denyPattern, 'i').test(text);
    if (notAllowed || denied) {
      const why = notAllowed
        ? `${guard.arg} "${text}" is not on the allow-list`
        : `${guard.arg} matches a denied pattern`;
      return { decision: guard.action, rule: `guardrail.${guard.id}`, reason: `${tool}: ${why}` };
    }
  }

  // Eval runs are exempt: a person runs a suite on purpose, and it must not spend the work's budget.
  const spent = ctx.spentToday ? budgetSpent(agent, ctx.spentToday) : null;
  if (spent) return { decision: 'deny', ...spent };

  if (grant.access === 'read') return { decision: 'allow', rule: 'identity.read', reason: `${tool} only reads` };

  let amountUsd: number | undefined;
  if (grant.amountArg) {
    const raw = valueAt(args, grant.amountArg);
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
      return {
        decision: 'deny',
        rule: 'doa.amount-unreadable',
        reason: `${tool}: ${grant.amountArg} is not an amount in USD`,
      };
    }
    amountUsd = raw;
  }
  const { autoBelowUsd, approveUpToUsd } = config.thresholds;
  if (amountUsd !== undefined && amountUsd > approveUpToUsd) {
    return {
      decision: 'draft',
      rule: 'doa.human-executes',
      reason: `${usd(amountUsd)} is over ${usd(approveUpToUsd)}: the agent drafts, a human executes`,
      amountUsd,
    };
  }
  const autonomy = agent.autonomy ?? config.defaults.autonomy ?? 'hitl';
  if (autonomy === 'human-led') {
    return {
      decision: 'ask',
      rule: 'autonomy.human-led',
      reason: `${agent.id} is human-led: every write is approved`,
      amountUsd,
    };
  }
  if (ctx.tainted) {
    return {
      decision: 'ask',
      rule: 'guardrail.injection-follow-up',
      reason: 'an earlier tool result in this run tried to give the agent instructions',
      amountUsd,
    };
  }
  if (amountUsd !== undefined && amountUsd >= autoBelowUsd) {
    return {
      decision: 'ask',
      rule: 'doa.approval',
      reason: `${usd(amountUsd)} needs a human's approval (${usd(autoBelowUsd)} to ${usd(approveUpToUsd)})`,
      amountUsd,
    };
  }
  return {
    decision: 'allow',
    rule: 'doa.auto',
    reason: amountUsd === undefined ? `${tool} moves no money` : `${usd(amountUsd)} is under ${usd(autoBelowUsd)}`,
    amountUsd,
  };
}

function toolMatches(pattern: string, tool: string): boolean {
  if (pattern === tool) return true;
  return pattern.endsWith('.*') && tool.startsWith(pattern.slice(0, -1));
}

function valueAt(args: Record<string, JsonValue>, path: string): JsonValue | undefined {
  let at: JsonValue | undefined = args;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, JsonValue>)[key];
  }
  return at;
}
