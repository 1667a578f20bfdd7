import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { SpanKind, Trace } from '../../../shared/trace.js';
import { spanDuration } from '../format.js';
import { axisTicks, BAD_STATUSES, layoutTrace, type AxisWindow, type TraceRow } from './trace-rows.js';

/** The kinds of span, in the order the legend names them. */
const KINDS: SpanKind[] = ['run', 'model', 'tool', 'policy', 'approval', 'draft', 'execution', 'handoff'];

/** How a span's row is labelled: a run by its agent, every other span by its own name. */
function label(row: TraceRow): string {
  return row.span.kind === 'run' ? `run ${row.span.name}` : row.span.name;
}

/** "0", "500 ms", "1.5 s": a mark on the time axis. */
function tickLabel(ms: number): string {
  return ms === 0 ? '0' : spanDuration(ms);
}

/** How a span's status reads on its row: `waiting` is a wait for a person. */
function statusText(status: string): string {
  return status === 'waiting' ? 'waiting for a person' : status;
}

/** The part of the axis to draw: the run, or the zoomed span with a little room either side. */
function axisWindow(rows: TraceRow[], totalMs: number, zoom: string | null): AxisWindow {
  const row = zoom ? rows.find((r) => r.key === zoom) : undefined;
  if (!row || row.depth === 0) return { fromMs: 0, lengthMs: totalMs };
  const room = Math.max(row.lengthMs, 1) * 0.05;
  const fromMs = Math.max(0, row.offsetMs - room);
  return { fromMs, lengthMs: row.offsetMs + Math.max(row.lengthMs, 1) + room - fromMs };
}

/**
 * A run's trace as a waterfall: each span a row, indented under its parent (a handoff holds
 * its child run), with a bar placed on the run's time axis by its start and length, coloured
 * by kind and marked by status. Open spans grow to `now`. Up and Down move the cursor, Enter
 * or a click selects, z zooms the axis to the span under the cursor (and back); `compact`
 * draws a small read-only copy (an approval's card).
 */
export function Waterfall(props: {
  trace: Trace;
  now: number;
  selected?: string | null;
  onSelect?: (row: TraceRow) => void;
  /** The span the axis is zoomed to, by its row's key; null for the whole run. */
  zoom?: string | null;
  onZoom?: (key: string | null) => void;
  compact?: boolean;
}) {
  const { trace, now, selected = null, onSelect, zoom = null, onZoom, compact = false } = props;
  const layout = useMemo(() => layoutTrace(trace, now), [trace, now]);
  const view = axisWindow(layout.rows, layout.totalMs, zoom);
  const ticks = axisTicks(view, compact ? 5 : 6);
  // A time's place on the axis, as a fraction of the track, held to the track's ends.
  const place = (ms: number) => Math.max(0, Math.min(1, (ms - view.fromMs) / view.lengthMs));
  const at = (ms: number) => `${place(ms) * 100}%`;
  const [cursor, setCursor] = useState<string | null>(selected);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (cursor)
      body.current?.querySelector(`[data-span="${CSS.escape(cursor)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  const onKey = (e: KeyboardEvent) => {
    const rows = layout.rows;
    const here = rows.findIndex((r) => r.key === cursor);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = here < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, here + (e.key === 'ArrowDown' ? 1 : -1)));
      setCursor(rows[next]!.key);
    } else if (e.key === 'Enter' && here >= 0) {
      e.preventDefault();
      onSelect?.(rows[here]!);
    } else if (e.key === 'z' && here >= 0) {
      onZoom?.(zoom === rows[here]!.key || here === 0 ? null : rows[here]!.key);
    }
  };

  return (
    <div
      className={`waterfall${compact ? ' compact' : ''}`}
      ref={body}
      role="tree"
      aria-label={compact ? 'The run so far' : 'Trace'}
      tabIndex={onSelect ? 0 : undefined}
      onKeyDown={onSelect ? onKey : undefined}
    >
      <div className="wf-head">
        <span className="wf-name">
          {compact ? 'The run so far' : 'Span'}
          {view.fromMs > 0 || view.lengthMs < layout.totalMs ? (
            <button className="link" onClick={() => onZoom?.(null)}>
              zoomed: show the whole run
            </button>
          ) : null}
        </span>
        <span className="wf-dur">Duration</span>
        <div className="wf-scale" aria-label="Time axis">
          {ticks.map((t) => (
            <span key={t} className="wf-tick" style={{ left: at(t) }} data-tick={t}>
              {tickLabel(t)}
            </span>
          ))}
        </div>
      </div>
      <div className="wf-rows">
        <div className="wf-grid" aria-hidden>
          {ticks.map((t) => (
            <span key={t} style={{ left: at(t) }} />
          ))}
        </div>
        {layout.rows.map((row) => {
          const { span } = row;
          const left = place(row.offsetMs);
          const right = place(row.offsetMs + row.lengthMs);
          // Outside the zoomed part of the axis: no bar, rather than a sliver at its edge.
          const outside = row.offsetMs > view.fromMs + view.lengthMs || row.offsetMs + row.lengthMs < view.fromMs;
          const tone = BAD_STATUSES.has(span.status) ? 'bad' : span.status;
          const classes = ['wf-row', `kind-${span.kind}`, `status-${tone}`];
          if (row.key === selected) classes.push('selected');
          if (row.key === cursor && !compact) classes.push('cursor');
          return (
            <div
              key={row.key}
              className={classes.join(' ')}
              role="treeitem"
              aria-level={row.depth + 1}
              aria-selected={row.key === selected}
              data-span={row.key}
              data-kind={span.kind}
              data-status={span.status}
              data-depth={row.depth}
              onClick={
                onSelect &&
                (() => {
                  setCursor(row.key);
                  onSelect(row);
                })
              }
            >
              <span className="wf-name" style={{ paddingLeft: 6 + row.depth * 14 }} title={span.name}>
                <span className="wf-label">{label(row)}</span>
                {span.status !== 'ok' && <span className="wf-status"> {statusText(span.status)}</span>}
                {span.annotations.length > 0 && (
                  <span className="wf-notes muted" title={span.annotations.map((n) => n.text).join('\n')}>
                    {' '}
                    · {span.annotations.length} {span.annotations.length === 1 ? 'note' : 'notes'}
                  </span>
                )}
              </span>
              <span className="wf-dur" data-duration={row.open ? 'open' : span.durationMs}>
                {spanDuration(row.lengthMs)}
                {row.open ? '…' : ''}
              </span>
              <span className="wf-track">
                <span
                  className={`wf-bar${row.open ? ' open' : ''}`}
                  hidden={outside}
                  style={{ left: `${left * 100}%`, width: `${(right - left) * 100}%` }}
                  data-offset={row.offsetMs}
                  title={`+${spanDuration(row.offsetMs)}, ${spanDuration(row.lengthMs)}`}
                />
                {span.annotations.map((note) => {
                  const ms = Math.max(0, Date.parse(note.ts) - Date.parse(trace.root.start));
                  return (
                    <span
                      key={note.seq}
                      className={`wf-note${note.internal ? ' internal' : ''}`}
                      hidden={ms < view.fromMs || ms > view.fromMs + view.lengthMs}
                      style={{ left: at(ms) }}
                      title={note.text}
                    />
                  );
                })}
              </span>
            </div>
          );
        })}
      </div>
      {!compact && (
        <div className="wf-legend muted" aria-label="Legend">
          {KINDS.map((kind) => (
            <span key={kind} className={`kind-${kind}`}>
              <i className="wf-swatch" /> {kind}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
