import { useEffect, useState } from 'react';
import { type LedgerEvent } from '../../../shared/events.js';
import { isEvent } from '../../../shared/narrow.js';
import type { WardenClient } from '../client.js';
import { clock, summary } from '../format.js';
import { useStore } from '../store.js';
import { RunList } from './RunList.js';
import { ToolContent } from './ToolContent.js';

/** Runs as they stream in, and one run's trajectory: each step expandable to its full payload. */
export function Live({ client }: { client: WardenClient }) {
  const live = useStore((s) => s.live);
  const selected = useStore((s) => s.selectedRunId);
  const selectRun = useStore((s) => s.selectRun);

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
      <RunList client={client} />
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
