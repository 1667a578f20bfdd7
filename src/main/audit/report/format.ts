/**
 * How a report writes numbers, times and cut text, the same in HTML and PDF. Everything
 * returns plain text; escaping is the renderer's job.
 */

/** A duration the way a person says it: 850 ms, 12.4 s, 3.2 min, 5.1 h, 2.3 d. */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** A share as a percentage with one decimal. */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A whole number with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A ledger time (ISO-8601 UTC) as a person reads it: `2026-11-01 10:00:05 UTC`. */
export function when(iso: string | null): string {
  if (iso === null) return '—';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** Text cut to at most `max` characters, with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A hash shortened for a table cell; the full value is on the cover or in the appendix. */
export function shortHash(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

/** Filters as one line: `agent reconciliation, unit finance`, or `none`. */
export function describeFilters(filters: { agentId: string | null; unit: string | null }): string {
  const parts = [
    filters.agentId === null ? null : `agent ${filters.agentId}`,
    filters.unit === null ? null : `business unit ${filters.unit}`,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(', ') : 'none (every agent)';
}
