import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LedgerEvent } from '../../../shared/events.js';
import type { WardenClient } from '../client.js';
import { summary } from '../format.js';
import { useStore } from '../store.js';

const PAGE = 200;

/** The ledger, newest first: virtualized, paged by key as it scrolls, filterable; verify the chain. */
export function Ledger({ client }: { client: WardenClient }) {
  const notify = useStore((s) => s.notify);
  const [filters, setFilters] = useState({ agentId: '', runId: '', type: '', from: '', to: '' });
  const [rows, setRows] = useState<LedgerEvent[]>([]);
  const [nextKey, setNextKey] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [chain, setChain] = useState<string | null>(null);
  const parent = useRef<HTMLDivElement>(null);

  const query = useCallback(
    (beforeSeq?: number) => {
      return client.call('ledger.page', {
        ...isoFilters(filters),
        order: 'desc',
        limit: PAGE,
        ...(beforeSeq ? { beforeSeq } : {}),
      });
    },
    [client, filters],
  );

  useEffect(() => {
    setLoading(true);
    void query()
      .then((page) => {
        setRows(page.events);
        setNextKey(page.nextKey);
      })
      .finally(() => setLoading(false));
  }, [query]);

  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 28,
    overscan: 20,
  });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (!last || loading || nextKey === null || last.index < rows.length - 20) return;
    setLoading(true);
    void query(nextKey)
      .then((page) => {
        setRows((r) => [...r, ...page.events]);
        setNextKey(page.nextKey);
      })
      .finally(() => setLoading(false));
  }, [last, loading, nextKey, rows.length, query]);

  const saveExport = async (format: 'jsonl' | 'csv') => {
    try {
      const file = await client.exportLedger!(format, isoFilters(filters));
      if (file) notify('ok', `Exported to ${file}`);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };

  const verify = async () => {
    const report = await client.call('ledger.verify', {});
    const text = report.ok
      ? `Chain intact: ${report.checked} events, head seq ${report.head?.seq ?? 0}`
      : `Chain broken at seq ${report.firstBreak?.seq}: ${report.firstBreak?.message}`;
    setChain(text);
    notify(report.ok ? 'ok' : 'error', text);
  };

  return (
    <section className="ledger">
      <header className="bar">
        <h2>Ledger</h2>
        {(['agentId', 'runId', 'type'] as const).map((key) => (
          <input
            key={key}
            placeholder={key}
            value={filters[key]}
            onChange={(e) => setFilters({ ...filters, [key]: e.target.value.trim() })}
          />
        ))}
        {(['from', 'to'] as const).map((key) => (
          <input
            key={key}
            type="datetime-local"
            aria-label={key}
            title={key === 'to' ? 'to (exclusive)' : 'from'}
            value={filters[key]}
            onChange={(e) => setFilters({ ...filters, [key]: e.target.value })}
          />
        ))}
        <button onClick={() => void verify()}>Verify chain</button>
        {(['jsonl', 'csv'] as const).map((format) =>
          client.exportLedger ? (
            <button key={format} onClick={() => void saveExport(format)}>
              Export {format.toUpperCase()}
            </button>
          ) : (
            <a key={format} className="button" href={exportHref(format, filters)} download>
              Export {format.toUpperCase()}
            </a>
          ),
        )}
        {chain && <span className="muted chain">{chain}</span>}
      </header>
      <div className="ledger-head grid-row">
        <span>seq</span>
        <span>time</span>
        <span>agent</span>
        <span>type</span>
        <span>what</span>
        <span>hash</span>
      </div>
      <div ref={parent} className="ledger-body">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const e = rows[item.index]!;
            return (
              <div
                key={e.seq}
                className="grid-row"
                style={{ position: 'absolute', top: 0, transform: `translateY(${item.start}px)`, height: item.size }}
              >
                <span className="num">{e.seq}</span>
                <span>{e.ts.slice(5, 19).replace('T', ' ')}</span>
                <span>{e.agentId ?? '—'}</span>
                <code>{e.type}</code>
                <span className="ellipsis">{summary(e)}</span>
                <code className="muted">{e.hash.slice(0, 12)}</code>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

/** The filters that are set, times as ISO in UTC. */
function isoFilters(filters: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filters)
      .filter(([, v]) => v)
      .map(([k, v]) => [k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v]),
  );
}

/** The serve mode's download link for the current filters. */
function exportHref(format: 'jsonl' | 'csv', filters: Record<string, string>): string {
  return `/export?${new URLSearchParams({ format, ...isoFilters(filters) }).toString()}`;
}
