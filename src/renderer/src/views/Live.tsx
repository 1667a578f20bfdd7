import { useMemo, useState } from 'react';
import type { WardenClient } from '../client.js';
import { useStore } from '../store.js';
import { RunList } from './RunList.js';
import { SpanDetail } from './SpanDetail.js';
import { layoutTrace, runIdsOf } from './trace-rows.js';
import { useNow, useTrace } from './use-trace.js';
import { Waterfall } from './Waterfall.js';

/** Runs as they stream in, and the selected run as a waterfall of its spans, each with its full content. */
export function Live({ client }: { client: WardenClient }) {
  const selected = useStore((s) => s.selectedRunId);
  // Kept across runs: a person who asked for the bookkeeping sees it on the next run too.
  const [internal, setInternal] = useState(false);
  return (
    <section className="split">
      <RunList client={client} />
      <RunTrace key={selected ?? ''} client={client} runId={selected} internal={internal} setInternal={setInternal} />
    </section>
  );
}

/**
 * One run's trace: read again while its runs stream events, open spans growing to now, the
 * text a model is writing under it, and the selected span's content below.
 */
function RunTrace(props: {
  client: WardenClient;
  runId: string | null;
  internal: boolean;
  setInternal: (on: boolean) => void;
}) {
  const { client, runId, internal, setInternal } = props;
  const { trace, problem } = useTrace(client, runId, internal);
  const now = useNow(trace !== null && trace.root.end === null);
  const layout = useMemo(() => (trace ? layoutTrace(trace, now) : null), [trace, now]);
  const [picked, setPicked] = useState<string | null>(null);
  const [zoom, setZoom] = useState<string | null>(null);
  const shown = layout?.rows.find((r) => r.key === picked) ?? layout?.rows[0] ?? null;
  // The text the trace's models are writing now, before their calls are recorded.
  const allWriting = useStore((s) => s.writing);
  const writing = useMemo(() => {
    const ids = trace ? runIdsOf(trace) : new Set(runId ? [runId] : []);
    return Object.entries(allWriting).filter(([id]) => ids.has(id));
  }, [trace, runId, allWriting]);

  return (
    <div className="run-trace">
      <header className="bar">
        <h2>Trace</h2>
        <span className="muted">{runId ?? 'pick a run'}</span>
        <label className="toggle">
          <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} /> show bookkeeping
        </label>
      </header>
      {problem && <p className="notice error">{problem}</p>}
      {runId && !trace && !problem && (
        <p className="empty" role="status">
          Loading the trace…
        </p>
      )}
      {trace && (
        <Waterfall
          trace={trace}
          now={now}
          selected={shown?.key ?? null}
          onSelect={(row) => setPicked(row.key)}
          zoom={zoom}
          onZoom={setZoom}
        />
      )}
      {writing.map(([id, text]) => (
        <div key={id} className="model-writing" aria-label="Model writing">
          <span className="muted">{id === runId ? 'now' : `now, in ${id}`}</span> <code>model writing…</code>
          <pre>{text}</pre>
        </div>
      ))}
      {trace && shown && (
        <SpanDetail
          client={client}
          row={shown}
          originMs={Date.parse(trace.root.start)}
          zoomed={zoom === shown.key}
          onZoom={setZoom}
        />
      )}
    </div>
  );
}
