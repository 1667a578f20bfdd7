import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { InclusionProof, SignedCheckpoint } from '../../../shared/audit.js';
import type { LedgerEvent } from '../../../shared/events.js';
import type { ExportFormat, WardenClient } from '../client.js';
import { saveText, startDownload } from '../download.js';
import { count, summary } from '../format.js';
import { useStore } from '../store.js';
import { CheckpointPanel, ProofPanel, proofFileName } from './LedgerAudit.js';

const PAGE = 200;

/** Filters a report takes: it covers a period and an agent, never one run or one event type. */
const REPORT_FILTERS = ['from', 'to', 'agentId'];

/**
 * The ledger, newest first: virtualized, paged by key as it scrolls, filterable; verify the
 * chain, export events or a report; beside it the latest signed checkpoint and the inclusion
 * proof of the event selected.
 */
export function Ledger({ client }: { client: WardenClient }) {
  const notify = useStore((s) => s.notify);
  // The newest seq streamed in, to tell how many events the checkpoint does not cover yet.
  const headSeq = useStore((s) => s.live.at(-1)?.seq ?? 0);
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

  const audit = useAudit(client);

  const saveExport = async (format: ExportFormat, chosen: Record<string, string>) => {
    try {
      const file = await client.exportLedger!(format, chosen);
      if (file) notify('ok', `Exported to ${file}`);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };

  // In a browser the link alone opens nothing: the download takes a one-use ticket asked for
  // over the console's connection, which a page on another port cannot ask for.
  const download = async (href: string) => {
    try {
      startDownload(await client.ticketed!(href));
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };

  const eventFilters = isoFilters(filters);
  const reportFilters = Object.fromEntries(Object.entries(eventFilters).filter(([k]) => REPORT_FILTERS.includes(k)));
  const reportBlocked = reportProblem(filters);
  const exportAction = (format: ExportFormat, label: string, chosen: Record<string, string>, blocked: string | null) =>
    blocked !== null || client.exportLedger ? (
      <button
        data-export={format}
        disabled={blocked !== null}
        title={blocked ?? titleOf(format)}
        onClick={() => void saveExport(format, chosen)}
      >
        {label}
      </button>
    ) : (
      <a
        data-export={format}
        className="button"
        title={titleOf(format)}
        href={exportHref(format, chosen)}
        download
        onClick={(e) => {
          e.preventDefault();
          void download(exportHref(format, chosen));
        }}
      >
        {label}
      </a>
    );

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
      </header>
      <div className="bar ledger-actions">
        <button onClick={() => void verify()}>Verify chain</button>
        {chain && <span className="muted chain">{chain}</span>}
        <span className="action-group push" role="group" aria-label="Export events">
          {exportAction('jsonl', 'Export JSONL', eventFilters, null)}
          {exportAction('csv', 'Export CSV', eventFilters, null)}
        </span>
        {reportBlocked && (
          <span className="muted" data-report-blocked>
            {reportBlocked}
          </span>
        )}
        <span className="action-group" role="group" aria-label="Report">
          {exportAction('html', 'HTML report', reportFilters, reportBlocked)}
          {exportAction('pdf', 'PDF report', reportFilters, reportBlocked)}
        </span>
      </div>
      <div className="ledger-main">
        <div className="ledger-list">
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
                const selected = audit.seq === e.seq;
                return (
                  <div
                    key={e.seq}
                    data-seq={e.seq}
                    className={selected ? 'grid-row selected' : 'grid-row'}
                    role="button"
                    tabIndex={0}
                    aria-pressed={selected}
                    aria-label={`seq ${e.seq}, ${e.type}: show its proof`}
                    onClick={() => audit.select(selected ? null : e.seq)}
                    onKeyDown={(k) => {
                      if (k.key !== 'Enter' && k.key !== ' ') return;
                      k.preventDefault();
                      audit.select(selected ? null : e.seq);
                    }}
                    style={{
                      position: 'absolute',
                      top: 0,
                      transform: `translateY(${item.start}px)`,
                      height: item.size,
                    }}
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
        </div>
        <aside className="audit" aria-label="Checkpoint and proof">
          <CheckpointPanel
            checkpoint={audit.checkpoint}
            error={audit.checkpointError}
            newer={audit.checkpoint ? Math.max(0, headSeq - audit.checkpoint.size) : 0}
            signing={audit.signing}
            onSign={() => void audit.sign()}
          />
          <ProofPanel
            seq={audit.seq}
            proof={audit.proof}
            error={audit.proofError}
            latest={audit.checkpoint}
            onDownload={audit.download}
            onClose={() => audit.select(null)}
          />
        </aside>
      </div>
    </section>
  );
}

/**
 * The latest signed checkpoint and the proof of the event selected. A proof asked for an
 * event no longer selected is dropped, so a quick run of clicks cannot show the wrong one.
 */
function useAudit(client: WardenClient) {
  const notify = useStore((s) => s.notify);
  const [checkpoint, setCheckpoint] = useState<SignedCheckpoint | null>(null);
  const [checkpointError, setCheckpointError] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const [seq, setSeq] = useState<number | null>(null);
  const [proof, setProof] = useState<InclusionProof | null>(null);
  const [proofError, setProofError] = useState<string | null>(null);
  const wanted = useRef<number | null>(null);

  const select = useCallback(
    (next: number | null) => {
      wanted.current = next;
      setSeq(next);
      setProof(null);
      setProofError(null);
      if (next === null) return;
      client.call('ledger.proof', { seq: next }).then(
        (p) => {
          if (wanted.current === next) setProof(p);
        },
        (error: Error) => {
          if (wanted.current === next) setProofError(error.message);
        },
      );
    },
    [client],
  );

  // Opening the view reads the latest checkpoint; signing one (when events came after it) is asked for.
  const read = useCallback(
    async (sign = false) => {
      setSigning(true);
      try {
        const latest = await client.call('ledger.checkpoint', { sign });
        setCheckpointError(null);
        setCheckpoint(latest);
        return latest;
      } catch (error) {
        setCheckpointError((error as Error).message);
        return null;
      } finally {
        setSigning(false);
      }
    },
    [client],
  );

  useEffect(() => {
    void read();
  }, [read]);

  const sign = async () => {
    const before = checkpoint;
    const latest = await read(true);
    if (!latest) return;
    if (before && before.size === latest.size && before.rootHash === latest.rootHash)
      notify('ok', `No events since the checkpoint of ${count(latest.size)} events: it still stands`);
    else notify('ok', `Signed a checkpoint of ${count(latest.size)} events`);
    // The selected event's proof now leads to the new checkpoint.
    if (wanted.current !== null) select(wanted.current);
  };

  const download = () => {
    if (!proof) return;
    saveText(proofFileName(proof.event.seq), `${JSON.stringify(proof, null, 2)}\n`, 'application/json');
  };

  return { checkpoint, checkpointError, signing, sign, seq, proof, proofError, select, download };
}

/** What an export holds, said where its button is. */
function titleOf(format: ExportFormat): string {
  return format === 'html' || format === 'pdf'
    ? 'A report of the period and agent filtered, anchored to a signed checkpoint'
    : 'The events filtered, with the signed checkpoint of the whole ledger';
}

/** Why the current filters cannot make a report, or null when they can. */
function reportProblem(filters: Record<string, string>): string | null {
  if (filters.runId || filters.type)
    return 'Reports cover a period and an agent: clear the run and type filters to make one.';
  if (filters.from && filters.to && new Date(filters.from) >= new Date(filters.to))
    return 'A report’s period must start before it ends.';
  return null;
}

/** The filters that are set, times as ISO in UTC. */
function isoFilters(filters: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filters)
      .filter(([, v]) => v)
      .map(([k, v]) => [k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v]),
  );
}

/** The serve mode's download link for an export with these filters (already ISO). */
function exportHref(format: ExportFormat, filters: Record<string, string>): string {
  return `/export?${new URLSearchParams({ format, ...filters }).toString()}`;
}
