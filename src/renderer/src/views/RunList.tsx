import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { RunStateSchema } from '../../../shared/api.js';
import { usd } from '../../../shared/money.js';
import type { WardenClient } from '../client.js';
import { clock, count, duration } from '../format.js';
import { useStore } from '../store.js';
import {
  filtering,
  mergeFirstPage,
  pageParams,
  runRows,
  statusText,
  type RunFilter,
  type RunPages,
} from './run-rows.js';

/** How many runs a page of the list holds: the first, and each one read as it scrolls. */
const PAGE = 100;
/** Each row's height, px (styles.css holds `.runs li` to it): the list is virtualized. */
const ROW_HEIGHT = 50;
/** While runs keep ending, the first page is read again at most this often, ms. */
const REREAD_MS = 1_000;

/**
 * The pages of `runs.page` under a filter: the first, then one more each time `more()` is
 * called, and the first again (merged over the ones before it) a while after runs end.
 */
function useRunPages(client: WardenClient, filter: RunFilter) {
  // null while the first page loads: the list says so rather than "no runs".
  const [pages, setPages] = useState<RunPages | null>(null);
  const [loading, setLoading] = useState(false);
  // Whether the ledger holds any run at all, asked when a page comes back empty (null: not known yet).
  const [anyRun, setAnyRun] = useState<boolean | null>(null);
  const ended = useStore((s) => s.runsEnded);
  // Answers to a filter no longer chosen are dropped.
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setPages(null);
    setLoading(true);
    void client.call('runs.page', { limit: PAGE, ...pageParams(filter) }).then(async (page) => {
      if (generation.current !== mine) return;
      setPages(page);
      setLoading(false);
      setAnyRun(page.runs.length > 0 ? true : null);
      if (page.runs.length === 0) {
        const all = await client.call('runs.page', { limit: 1 });
        if (generation.current === mine) setAnyRun(all.runs.length > 0);
      }
    });
  }, [client, filter]);
  // A run that ends changes its figures (duration, cost): the first page is read again, not on
  // every run's end but once a while, and laid over the pages read before it.
  const lastRead = useRef(0);
  const seenEnded = useRef(ended);
  useEffect(() => {
    if (ended === seenEnded.current) return;
    seenEnded.current = ended;
    const mine = generation.current;
    const reread = () => {
      lastRead.current = performance.now();
      void client.call('runs.page', { limit: PAGE, ...pageParams(filter) }).then((page) => {
        if (generation.current !== mine) return;
        setPages((before) => mergeFirstPage(page, before ?? { runs: [], nextKey: null }, PAGE));
        if (page.runs.length > 0) setAnyRun(true);
      });
    };
    const timer = setTimeout(reread, Math.max(0, lastRead.current + REREAD_MS - performance.now()));
    return () => clearTimeout(timer);
  }, [client, filter, ended]);
  const more = useCallback(() => {
    const nextKey = pages?.nextKey ?? null;
    if (loading || nextKey === null) return;
    const mine = generation.current;
    setLoading(true);
    void client
      .call('runs.page', { limit: PAGE, beforeSeq: nextKey, ...pageParams(filter) })
      .then((page) => {
        if (generation.current !== mine) return;
        setPages((before) => ({ runs: [...(before?.runs ?? []), ...page.runs], nextKey: page.nextKey }));
      })
      .finally(() => {
        if (generation.current === mine) setLoading(false);
      });
  }, [client, filter, loading, pages]);
  return { history: pages?.runs ?? null, anyRun, more };
}

/**
 * The Live view's run list: the latest runs from the ledger, then whatever streams in, with
 * filters for state, agent and work or eval runs. It is virtualized and reads the next page
 * as it scrolls. The selection is a run, not a row, so it stays on its run while new ones
 * arrive; Up and Down move it.
 */
export function RunList({ client }: { client: WardenClient }) {
  const live = useStore((s) => s.live);
  const agents = useStore((s) => s.agents);
  const selected = useStore((s) => s.selectedRunId);
  const selectRun = useStore((s) => s.selectRun);
  const [filter, setFilter] = useState<RunFilter>({ status: '', agentId: '', kind: 'work' });
  const { history, anyRun, more } = useRunPages(client, filter);
  const rows = useMemo(() => runRows(history ?? [], live, filter), [history, live, filter]);

  const list = useRef<HTMLUListElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => list.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 20) more();
  }, [last, rows.length, more]);
  // Only a change of selection scrolls to it: rows arriving leave the scroll where it is.
  const selectedAt = useRef(selected);
  useEffect(() => {
    if (selectedAt.current === selected) return;
    selectedAt.current = selected;
    const at = rows.findIndex((r) => r.runId === selected);
    if (at >= 0) virtual.scrollToIndex(at, { align: 'auto' });
  }, [selected, rows, virtual]);
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = rows.findIndex((r) => r.runId === selected);
    const next = at < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
    if (rows[next]) selectRun(rows[next].runId);
  };
  const set = (change: Partial<RunFilter>) => setFilter((f) => ({ ...f, ...change }));

  return (
    <div className="runs">
      <header className="bar">
        <h2>Runs</h2>
        <span className="muted">{history === null ? '' : `${rows.length} latest`}</span>
      </header>
      <div className="run-filters">
        <select aria-label="status" value={filter.status} onChange={(e) => set({ status: e.target.value as never })}>
          <option value="">any status</option>
          {RunStateSchema.options.map((s) => (
            <option key={s} value={s}>
              {s === 'waiting' ? 'waiting for approval' : s}
            </option>
          ))}
        </select>
        <select aria-label="agent" value={filter.agentId} onChange={(e) => set({ agentId: e.target.value })}>
          <option value="">any agent</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id}
            </option>
          ))}
        </select>
        <select aria-label="kind" value={filter.kind} onChange={(e) => set({ kind: e.target.value as never })}>
          <option value="work">work</option>
          <option value="eval">eval runs</option>
          <option value="all">work and eval runs</option>
        </select>
      </div>
      {history === null && rows.length === 0 && (
        <p className="empty" role="status">
          Loading runs…
        </p>
      )}
      {history !== null && rows.length === 0 && anyRun !== null && (
        <p className="empty">
          {!anyRun
            ? 'No runs yet: start a task from the roster.'
            : filtering(filter)
              ? 'No runs match these filters.'
              : 'No work runs yet; eval runs are hidden (choose "work and eval runs").'}
        </p>
      )}
      <ul ref={list} tabIndex={0} aria-label="runs" onKeyDown={onKey} data-loaded={rows.length}>
        <li aria-hidden className="run-spacer" style={{ height: virtual.getTotalSize() }} />
        {items.map((item) => {
          const r = rows[item.index]!;
          return (
            <li
              key={r.runId}
              className={r.runId === selected ? 'selected' : ''}
              aria-selected={r.runId === selected}
              onClick={() => selectRun(r.runId)}
              data-run={r.runId}
              style={{ paddingLeft: 8 + r.depth * 16, transform: `translateY(${item.start}px)` }}
            >
              <div className="run-line">
                {r.depth > 0 && <span className="muted">↳ </span>}
                <span className={`status ${r.status} ${r.verdict ?? ''}`} data-status>
                  {statusText(r)}
                </span>{' '}
                <strong data-agent-id>{r.agentId}</strong> <span className="run-task">{r.task ?? ''}</span>
              </div>
              <div className="run-line muted">
                {clock(r.startedAt)} · <span data-duration>{duration(r.durationMs)}</span> ·{' '}
                <span data-cost>{usd(r.costUsd)}</span> · <span data-tokens>{count(r.tokens)} tokens</span>
                {r.parentRunId ? ' · handoff' : ''}
                {r.eval ? ' · eval' : ''}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
