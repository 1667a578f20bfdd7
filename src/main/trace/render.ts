import type { Trace, TraceSpan } from '../../shared/trace.js';

/** How to print a trace: with the runtime's bookkeeping annotations, or without (the default). */
export interface RenderOptions {
  internal?: boolean;
}

/**
 * A trace as indented lines with a timing column: each span's start after the run's start,
 * its duration, its name and status (`+0.120s  1.503s  tool supplies.place_order  ok`), and
 * under it its annotations and parts, in the order they happened. A span not ended shows `…` for its duration.
 */
export function renderTrace(trace: Trace, options: RenderOptions = {}): string[] {
  const origin = Date.parse(trace.root.start);
  const lines: string[] = [];
  const visit = (span: TraceSpan, depth: number) => {
    const offset = `+${seconds(Date.parse(span.start) - origin)}`;
    const duration = span.durationMs === null ? '…' : seconds(span.durationMs);
    const pad = '  '.repeat(depth);
    lines.push(`${offset.padStart(9)}  ${duration.padStart(8)}  ${pad}${label(span)}  ${span.status}${detail(span)}`);
    // Notes and parts in the order they happened (a note goes before a part that starts later).
    const notes = span.annotations.filter((n) => options.internal || !n.internal);
    let next = 0;
    const notesUntil = (ms: number) => {
      for (; next < notes.length && Date.parse(notes[next]!.ts) <= ms; next++) {
        const note = notes[next]!;
        lines.push(`${''.padStart(9)}  ${''.padStart(8)}  ${pad}  · ${note.text}${note.internal ? ' (internal)' : ''}`);
      }
    };
    for (const child of span.children) {
      notesUntil(Date.parse(child.start) - 1);
      visit(child, depth + 1);
    }
    notesUntil(Number.POSITIVE_INFINITY);
  };
  visit(trace.root, 0);
  return lines;
}

function label(span: TraceSpan): string {
  return span.kind === 'run' ? `run ${span.name} ${span.id}` : span.name;
}

/** A few words of content that a person scanning the tree wants on the line itself. */
function detail(span: TraceSpan): string {
  const c = span.content;
  switch (span.kind) {
    case 'model':
      return typeof c.inputTokens === 'number'
        ? `  ${c.inputTokens}+${String(c.outputTokens)} tokens  $${Number(c.costUsd).toFixed(6)}`
        : '';
    case 'approval':
      return typeof c.amountUsd === 'number'
        ? `  $${c.amountUsd.toFixed(2)} (${String(c.rule)})`
        : `  (${String(c.rule)})`;
    case 'run':
      return c.error && typeof c.error === 'object' && !Array.isArray(c.error) ? `  ${String(c.error.code)}` : '';
    default:
      return '';
  }
}

/** Milliseconds as seconds to the millisecond: `1.503s`. */
function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(3)}s`;
}
