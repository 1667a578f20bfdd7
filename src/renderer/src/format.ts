import type { LedgerEvent } from '../../shared/events.js';
import { usd } from '../../shared/money.js';
import { asAnyEvent } from '../../shared/narrow.js';

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

/** The parts of a local time, in this browser's zone, to the millisecond. */
const LOCAL = new Intl.DateTimeFormat('en-GB', {
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/** 11-22 14:03:07.123 CET: the browser's local time, with its zone said (the ledger keeps UTC). */
export function localTime(ts: string): string {
  const part = Object.fromEntries(LOCAL.formatToParts(new Date(ts)).map((p) => [p.type, p.value]));
  return `${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}.${part.fractionalSecond} ${part.timeZoneName}`;
}

/** 2026-11-22 13:03:07.123 UTC: the time as the ledger keeps it, for a title on hover. */
export function utcMillis(ts: string): string {
  return `${ts.slice(0, 23).replace('T', ' ')} UTC`;
}

/** 512 B, 3.9 KB, 1.2 MB */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** 2,253 */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** One line that says what an event is, for timelines and tables. Plain text, never HTML. */
export function summary(event: LedgerEvent): string {
  const e = asAnyEvent(event);
  switch (e.type) {
    case 'run.started':
      return `started${e.payload.parentRunId ? ` by handoff (hop ${e.payload.hop})` : ''}`;
    case 'run.finished':
      return `finished: ${e.payload.status}${e.payload.error ? ` — ${e.payload.error.message}` : ''}`;
    case 'model.called': {
      const p = e.payload;
      return `model ${p.provider}:${p.model} — ${p.inputTokens}+${p.outputTokens} tokens, ${usd(p.costUsd)}, ${p.latencyMs} ms`;
    }
    case 'tool.requested':
      return `tool ${e.payload.server}.${e.payload.tool} ${JSON.stringify(e.payload.args)}`;
    case 'policy.decided':
      return `${e.payload.decision} by ${e.payload.rule}: ${e.payload.reason}`;
    case 'tool.result':
      if (!e.payload.ok) return `failed: ${e.payload.error?.message ?? ''}`;
      if (e.payload.content)
        return `result: ${e.payload.content.map((part) => (part.type === 'text' ? 'text' : part.type.replace('_', ' '))).join(', ')}`;
      // A tool may answer with nothing: its result is then left out of the event.
      return e.payload.result === undefined
        ? 'result: none'
        : `result ${JSON.stringify(e.payload.result).slice(0, 160)}`;
    case 'approval.requested':
      return `waiting for approval ${e.payload.approvalId}: ${e.payload.reason}`;
    case 'approval.decided':
      return `${e.payload.decision} by ${e.payload.by}${e.payload.reason ? `: ${e.payload.reason}` : ''}`;
    case 'handoff':
      return `handoff to ${e.payload.toAgentId} (hop ${e.payload.hop}): ${e.payload.intent}`;
    case 'circuit.tripped':
      return `circuit tripped at hop ${e.payload.hop} of ${e.payload.hopLimit}`;
    case 'sandbox.limit':
      return `hit its ${e.payload.limit} cap`;
    case 'guardrail.tripped':
      return `guardrail ${e.payload.guardrail}: ${e.payload.detail}`;
    case 'mcp.tool.flagged':
      return `tool ${e.payload.server}.${e.payload.tool} flagged: its ${e.payload.field} ${e.payload.why}`;
    case 'mcp.tool.accepted':
      return `tool ${e.payload.server}.${e.payload.tool} accepted by ${e.payload.by}: ${e.payload.reason}`;
    case 'draft.recorded':
      return `drafted for a human to execute: ${e.payload.server}.${e.payload.tool} ${usd(e.payload.amountUsd)}`;
    default:
      return JSON.stringify(e.payload).slice(0, 160);
  }
}

/** 0.4 ms, 12 ms, 1.5 s: a span's length, to a tenth of a millisecond under 10 ms. */
export function spanDuration(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : duration(ms);
}
