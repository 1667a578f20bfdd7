import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { localTime, summary, utcMillis } from '../format.js';
import type { LedgerPage } from './ledger-page.js';

/**
 * The events, newest first, virtualized: older pages are read as the list nears its end, and a
 * list anchored at a seq or a date offers the newer ones above. It says "Loading events…" until
 * the page comes, and "No events match" only once an answer had none.
 */
export function LedgerRows(props: {
  page: LedgerPage;
  selected: number | null;
  filtered: boolean;
  onSelect(seq: number | null): void;
}) {
  const { page, selected, onSelect } = props;
  const { rows } = page;
  const parent = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 28,
    overscan: 20,
  });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];
  const { older, loadOlder, loading } = page;
  useEffect(() => {
    if (!last || loading || !older || last.index < rows.length - 20) return;
    loadOlder();
  }, [last, loading, older, rows.length, loadOlder]);

  // The event selected (by a jump or an address) is scrolled to once its page is there.
  const at = selected === null ? -1 : rows.findIndex((e) => e.seq === selected);
  useEffect(() => {
    if (at >= 0 && !loading) virtual.scrollToIndex(at, { align: 'auto' });
    // Scroll when the selection or the page changes, not on every render.
  }, [at, loading]);

  const state = page.error
    ? `Could not read the ledger: ${page.error}`
    : loading
      ? 'Loading events…'
      : rows.length === 0
        ? props.filtered
          ? 'No events match these filters.'
          : 'The ledger has no events yet.'
        : null;

  return (
    <div className="ledger-list">
      <div className="ledger-head grid-row">
        <span>seq</span>
        <span>time</span>
        <span>agent</span>
        <span>type</span>
        <span>what</span>
        <span>hash</span>
      </div>
      {page.newer && !loading && (
        <button className="link newer" data-newer onClick={page.loadNewer}>
          show newer events
        </button>
      )}
      {state && (
        <p className="empty" data-ledger-state={page.error ? 'error' : loading ? 'loading' : 'empty'}>
          {state}
        </p>
      )}
      <div ref={parent} className="ledger-body" aria-busy={loading}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {!loading &&
            items.map((item) => {
              const e = rows[item.index]!;
              const isSelected = selected === e.seq;
              return (
                <div
                  key={e.seq}
                  data-seq={e.seq}
                  className={isSelected ? 'grid-row selected' : 'grid-row'}
                  role="button"
                  tabIndex={0}
                  aria-pressed={isSelected}
                  aria-label={`seq ${e.seq}, ${e.type}: show its payload and proof`}
                  onClick={() => onSelect(isSelected ? null : e.seq)}
                  onKeyDown={(k) => {
                    if (k.key !== 'Enter' && k.key !== ' ') return;
                    k.preventDefault();
                    onSelect(isSelected ? null : e.seq);
                  }}
                  style={{ position: 'absolute', top: 0, transform: `translateY(${item.start}px)`, height: item.size }}
                >
                  <span className="num">{e.seq}</span>
                  <time dateTime={e.ts} title={utcMillis(e.ts)}>
                    {localTime(e.ts)}
                  </time>
                  <span>{e.agentId ?? '—'}</span>
                  <code>{e.type}</code>
                  <span className="ellipsis">{summary(e)}</span>
                  <code className="muted">{e.hash.slice(0, 12)}</code>
                </div>
              );
            })}
        </div>
      </div>
    </div>
  );
}
