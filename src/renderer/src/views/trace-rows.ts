import type { JsonValue } from '../../../shared/json.js';
import type { RemovedContent, Trace, TraceSpan } from '../../../shared/trace.js';

/** One span as a row of the waterfall: where it sits in the tree and on the run's time axis. */
export interface TraceRow {
  /** The ids from the root down to it: unique in the tree, and stable while the trace grows. */
  key: string;
  span: TraceSpan;
  depth: number;
  /** When it started, ms after the run's start. */
  offsetMs: number;
  /** How long it took, ms; a span that has not ended runs to now. */
  lengthMs: number;
  open: boolean;
}

/** A trace laid out on its time axis: its rows in tree order, and the axis' length in ms. */
export interface TraceLayout {
  rows: TraceRow[];
  totalMs: number;
}

/** The spans of a trace as rows, depth first, each placed after the run's start; open spans end at `nowMs`. */
export function layoutTrace(trace: Trace, nowMs: number): TraceLayout {
  const origin = Date.parse(trace.root.start);
  const rows: TraceRow[] = [];
  let totalMs = 1;
  const visit = (span: TraceSpan, depth: number, parent: string) => {
    const key = parent ? `${parent}/${span.id}` : span.id;
    const offsetMs = Math.max(0, Date.parse(span.start) - origin);
    const open = span.durationMs === null;
    const lengthMs = span.durationMs ?? Math.max(0, nowMs - Date.parse(span.start));
    rows.push({ key, span, depth, offsetMs, lengthMs, open });
    totalMs = Math.max(totalMs, offsetMs + lengthMs);
    for (const child of span.children) visit(child, depth + 1, key);
  };
  visit(trace.root, 0, '');
  return { rows, totalMs };
}

/** A part of the time axis, ms after the run's start: the whole run, or the span zoomed into. */
export interface AxisWindow {
  fromMs: number;
  lengthMs: number;
}

/**
 * Tick marks for the part of the axis a window shows, ms after the run's start: a round step
 * (1, 2 or 5 times a power of ten ms) giving at most `most` intervals.
 */
export function axisTicks({ fromMs, lengthMs }: AxisWindow, most = 6): number[] {
  const rough = Math.max(lengthMs, 1) / most;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  const end = fromMs + lengthMs + step / 1000;
  for (let i = Math.ceil(fromMs / step); i * step <= end; i++) ticks.push(Math.round(i * step * 1000) / 1000);
  return ticks;
}

/** The ids of every run in the trace: the run itself and the runs it handed off to. */
export function runIdsOf(trace: Trace): Set<string> {
  const ids = new Set<string>();
  const visit = (span: TraceSpan) => {
    if (span.kind === 'run') ids.add(span.id);
    span.children.forEach(visit);
  };
  visit(trace.root);
  return ids;
}

/** Whether a piece of content is the stand-in that retention left where its body was. */
export function isRemoved(value: JsonValue | undefined): value is RemovedContent {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const removed = value.removed;
  return !!removed && typeof removed === 'object' && !Array.isArray(removed) && typeof removed.at === 'string';
}

/** "removed by retention on 2026-03-02, by auditor@acme: older than a year" */
export function removedText({ removed }: RemovedContent): string {
  return `removed by retention on ${removed.at.slice(0, 10)}, by ${removed.by}: ${removed.reason}`;
}

/** A content field as an object, or null when it is anything else. */
export function record(value: JsonValue | undefined): Record<string, JsonValue> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** Span statuses that say something went wrong, or a person or the policy said no. */
export const BAD_STATUSES = new Set(['error', 'limit', 'cancelled', 'interrupted', 'rejected', 'expired', 'denied']);
