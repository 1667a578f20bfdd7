import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { RunStateSchema, type RunView } from '../../../shared/api.js';
import { usd } from '../../../shared/money.js';
import type { WardenClient } from '../client.js';
import { clock, count, duration } from '../format.js';
import { useStore } from '../store.js';
import { filtering, pageParams, runRows, statusText, type RunFilter } from './run-rows.js';

/** How many runs the list opens on. */
const PAGE = 100;

/**
 * The Live view's run list: the latest runs from the ledger, then whatever streams in, with
 * filters for state, agent and work or eval runs. The selection is a run, not a row, so it
 * stays on its run while new ones arrive; Up and Down move it.
 */
export function RunList({ client }: { client: WardenClient }) {
  const live = useStore((s) => s.live);
  const agents = useStore((s) => s.agents);
  const selected = useStore((s) => s.selectedRunId);
  const selectRun = useStore((s) => s.selectRun);
  const [filter, setFilter] = useState<RunFilter>({ status: '', agentId: '', kind: 'work' });
  // null while the first page loads: the list says so rather than "no runs".
  const [history, setHistory] = useState<RunView[] | null>(null);
  // Whether the ledger holds any run at all, asked when a page comes back empty (null: not known yet).
  const [anyRun, setAnyRun] = useState<boolean | null>(null);
  // A run that ends changes its figures (duration, cost): the page is read again.
  const ended = useMemo(() => live.filter((e) => e.type === 'run.finished').length, [live]);
  useEffect(() => setHistory(null), [filter]);
  useEffect(() => {
    let current = true;
    void client.call('runs.page', { limit: PAGE, ...pageParams(filter) }).then(async (page) => {
      if (!current) return;
      setHistory(page.runs);
      setAnyRun(page.runs.length > 0 ? true : null);
      if (page.runs.length === 0) {
        const all = await client.call('runs.page', { limit: 1 });
        if (current) setAnyRun(all.runs.length > 0);
      }
    });
    return () => {
      current = false;
    };
  }, [client, filter, ended]);
  const rows = useMemo(() => runRows(history ?? [], live, filter), [history, live, filter]);

  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    list.current?.querySelector('li.selected')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
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
      <ul ref={list} tabIndex={0} aria-label="runs" onKeyDown={onKey}>
        {rows.map((r) => (
          <li
            key={r.runId}
            className={r.runId === selected ? 'selected' : ''}
            aria-selected={r.runId === selected}
            onClick={() => selectRun(r.runId)}
            data-run={r.runId}
            style={{ paddingLeft: 8 + r.depth * 16 }}
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
        ))}
      </ul>
    </div>
  );
}
