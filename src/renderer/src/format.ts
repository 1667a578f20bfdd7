import type { LedgerEvent } from '../../shared/events.js';

/** $4,200.00 */
export function usd(amount: number | null | undefined): string {
  return amount === null || amount === undefined
    ? '—'
    : `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** 09:41:07 */
export function clock(ts: string): string {
  return ts.slice(11, 19);
}

/** One line that says what an event is, for timelines and tables. Plain text, never HTML. */
export function summary(event: LedgerEvent): string {
  const p = event.payload as Record<string, unknown>;
  switch (event.type) {
    case 'run.started':
      return `started${p.parentRunId ? ` by handoff (hop ${String(p.hop)})` : ''}`;
    case 'run.finished':
      return `finished: ${String(p.status)}${p.error ? ` — ${(p.error as { message: string }).message}` : ''}`;
    case 'model.called':
      return `model ${String(p.provider)}:${String(p.model)} — ${String(p.inputTokens)}+${String(p.outputTokens)} tokens, ${usd(p.costUsd as number)}, ${String(p.latencyMs)} ms`;
    case 'tool.requested':
      return `tool ${String(p.server)}.${String(p.tool)} ${JSON.stringify(p.args)}`;
    case 'policy.decided':
      return `${String(p.decision)} by ${String(p.rule)}: ${String(p.reason)}`;
    case 'tool.result':
      return p.ok
        ? `result ${JSON.stringify(p.result).slice(0, 160)}`
        : `failed: ${(p.error as { message: string } | undefined)?.message ?? ''}`;
    case 'approval.requested':
      return `waiting for approval ${String(p.approvalId)}: ${String(p.reason)}`;
    case 'approval.decided':
      return `${String(p.decision)} by ${String(p.by)}${p.reason ? `: ${String(p.reason)}` : ''}`;
    case 'handoff':
      return `handoff to ${String(p.toAgentId)} (hop ${String(p.hop)}): ${String(p.intent)}`;
    case 'circuit.tripped':
      return `circuit tripped at hop ${String(p.hop)} of ${String(p.hopLimit)}`;
    case 'sandbox.limit':
      return `hit its ${String(p.limit)} cap`;
    case 'guardrail.tripped':
      return `guardrail ${String(p.guardrail)}: ${String(p.detail)}`;
    case 'draft.recorded':
      return `drafted for a human to execute: ${String(p.server)}.${String(p.tool)} ${usd(p.amountUsd as number | undefined)}`;
    default:
      return JSON.stringify(p).slice(0, 160);
  }
}
