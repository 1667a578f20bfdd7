import { useEffect, useMemo, useState } from 'react';
import { type LedgerEvent } from '../../../shared/events.js';
import { isEvent } from '../../../shared/narrow.js';
import type { RunView } from '../../../shared/api.js';
import type { WardenClient } from '../client.js';
import { clock, summary } from '../format.js';
import { useStore } from '../store.js';
import { ToolContent } from './ToolContent.js';

/** Runs as they stream in, and one run's trajectory: each step expandable to its full payload. */
export function Live({ client }: { client: WardenClient }) {
  const live = useStore((s) => s.live);
  const selected = useStore((s) => s.selectedRunId);
  const selectRun = useStore((s) => s.selectRun);
  // Eval suites start hundreds of runs, hidden unless asked for.
  const [showEval, setShowEval] = useState(false);
  // The latest runs from the ledger when the view opens, then whatever streams in.
  const [history, setHistory] = useState<RunView[]>([]);
  useEffect(() => {
    let current = true;
    void latestRuns(client, showEval).then((runs) => current && setHistory(runs));
    return () => {
      current = false;
    };
  }, [client, showEval]);
  const runs = useMemo(() => {
    const byRun = new Map<
      string,
      { runId: string; agentId: string; started: string; status: string; parent: string | null; eval: boolean }
    >();
    for (const r of [...history].reverse()) {
      byRun.set(r.runId, {
        runId: r.runId,
        agentId: r.agentId,
        started: r.startedAt,
        status: r.status,
        parent: r.parentRunId,
        eval: r.eval,
      });
    }
    for (const e of live) {
      if (!e.runId) continue;
      if (isEvent(e, 'run.started')) {
        const p = e.payload;
        byRun.set(e.runId, {
          runId: e.runId,
          agentId: e.agentId ?? '',
          started: e.ts,
          status: 'running',
          parent: p.parentRunId ?? null,
          eval: Boolean(p.eval),
        });
      }
      const run = byRun.get(e.runId);
      if (!run) continue;
      if (e.type === 'approval.requested') run.status = 'waiting';
      if (e.type === 'approval.decided') run.status = 'running';
      if (isEvent(e, 'run.finished')) run.status = e.payload.status;
    }
    // The handoff chains as trees: each run under the run that handed off to it.
    const children = new Map<string | null, typeof list>();
    const all = [...byRun.values()];
    const list = showEval ? all : all.filter((run) => !run.eval);
    for (const run of list) {
      const parent = run.parent && byRun.has(run.parent) ? run.parent : null;
      children.set(parent, [...(children.get(parent) ?? []), run]);
    }
    const ordered: ((typeof list)[number] & { depth: number })[] = [];
    const walk = (parent: string | null, depth: number) => {
      for (const run of [...(children.get(parent) ?? [])].reverse()) {
        ordered.push({ ...run, depth });
        walk(run.runId, depth + 1);
      }
    };
    walk(null, 0);
    return ordered;
  }, [live, history, showEval]);

  const [trajectory, setTrajectory] = useState<LedgerEvent[]>([]);
  // The text the selected run's model is streaming now, before its model.called is recorded.
  const writing = useStore((s) => (selected ? s.writing[selected] : undefined));
  const lastOfSelected = live.filter((e) => e.runId === selected).length;
  useEffect(() => {
    if (!selected) return;
    void client.call('run.trajectory', { runId: selected }).then(setTrajectory);
  }, [client, selected, lastOfSelected]);

  return (
    <section className="split">
      <div className="runs">
        <header className="bar">
          <h2>Runs</h2>
          <span className="muted">{runs.length} latest</span>
          <label className="toggle">
            <input type="checkbox" checked={showEval} onChange={(e) => setShowEval(e.target.checked)} /> show eval runs
          </label>
        </header>
        {runs.length === 0 && <p className="empty">No runs yet: start a task from the roster.</p>}
        <ul>
          {runs.map((r) => (
            <li
              key={r.runId}
              className={r.runId === selected ? 'selected' : ''}
              onClick={() => selectRun(r.runId)}
              data-run={r.runId}
              style={{ paddingLeft: 8 + r.depth * 16 }}
            >
              {r.depth > 0 && <span className="muted">↳ </span>}
              <span className={`status ${r.status}`}>{r.status}</span> <strong>{r.agentId}</strong>
              <span className="muted">
                {' '}
                {clock(r.started)} {r.parent ? '· handoff' : ''}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <div className="trajectory">
        <header className="bar">
          <h2>Trajectory</h2>
          <span className="muted">{selected ?? 'pick a run'}</span>
        </header>
        <ol>
          {trajectory.map((e) => (
            <li key={e.seq} className={`step ${e.type.replace('.', '-')}`}>
              <details>
                <summary>
                  <span className="muted">{clock(e.ts)}</span> <code>{e.type}</code> {summary(e)}
                  {isEvent(e, 'handoff') && (
                    <button className="link" onClick={() => selectRun(e.payload.childRunId)}>
                      open child run
                    </button>
                  )}
                </summary>
                <pre>{JSON.stringify(e.payload, null, 2)}</pre>
              </details>
              {isEvent(e, 'tool.result') && e.payload.content && <ToolContent client={client} event={e} />}
            </li>
          ))}
          {writing !== undefined && (
            <li className="step model-writing" aria-label="Model writing">
              <span className="muted">now</span> <code>model writing…</code>
              <pre>{writing}</pre>
            </li>
          )}
        </ol>
      </div>
    </section>
  );
}

/** Runs the list opens on: the latest 100 tasks, or the latest 100 runs with eval runs among them. */
async function latestRuns(client: WardenClient, withEval: boolean): Promise<RunView[]> {
  const page = await client.call('runs.page', { limit: 100, ...(withEval ? {} : { eval: false }) });
  return page.runs;
}
