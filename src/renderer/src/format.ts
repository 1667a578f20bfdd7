import type { LedgerEvent } from '../../shared/events.js';

/** $4,200.00 */
export function usd(amount: number | null | undefined): string {
  return amount === null || amount === undefined
    ? '—'
    : `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** $0.0042 for amounts under ten cents, which cost per task often is (two significant digits); else as {@link usd}. */
export function usdSmall(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || amount === 0 || Math.abs(amount) >= 0.1) return usd(amount);
  if (Math.abs(amount) < 0.0001) return amount > 0 ? '< $0.0001' : '> -$0.0001';
  return `$${Number(amount.toPrecision(2))}`;
}

/** 66.7% (a ratio from 0 to 1) */
export function percent(ratio: number | null | undefined, digits = 1): string {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(digits)}%`;
}

/** 420 ms, 12.3 s, 4m 05s, 2h 10m, 1d 3h */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = ms / 1_000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (s < 3_600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3_600)}h ${two((s % 3_600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3_600)}h`;
}

/** 09:41:07 */
export function clock(ts: string): string {
  return ts.slice(11, 19);
}

/** 2026-11-22 09:41 (UTC, as the ledger keeps it) */
export function minute(ts: string): string {
  return ts.slice(0, 16).replace('T', ' ');
}

/** 2026-11-22 09:41:07 UTC */
export function utcSecond(ts: string): string {
  return `${ts.slice(0, 19).replace('T', ' ')} UTC`;
}

/** 2,253 */
export function count(n: number): string {
  return n.toLocaleString('en-US');
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
    case 'mcp.tool.flagged':
      return `tool ${String(p.server)}.${String(p.tool)} flagged: its ${String(p.field)} ${String(p.why)}`;
    case 'mcp.tool.accepted':
      return `tool ${String(p.server)}.${String(p.tool)} accepted by ${String(p.by)}: ${String(p.reason)}`;
    case 'draft.recorded':
      return `drafted for a human to execute: ${String(p.server)}.${String(p.tool)} ${usd(p.amountUsd as number | undefined)}`;
    default:
      return JSON.stringify(p).slice(0, 160);
  }
}
