import { useEffect, useMemo, useRef, useState } from 'react';
import type { Trace } from '../../../shared/trace.js';
import type { WardenClient } from '../client.js';
import { useStore } from '../store.js';
import { runIdsOf } from './trace-rows.js';

/** The least time between two reads of a trace while its runs stream events, ms. */
const REFRESH_MS = 500;

/** A run's trace as `run.trace` gives it, or why it could not be read. */
export interface TraceState {
  trace: Trace | null;
  problem: string | null;
}

/**
 * A run's trace, read again (at most every {@link REFRESH_MS}) while the run or a run it
 * handed off to gets new events. With `internal`, the runtime's bookkeeping is in it too.
 */
export function useTrace(client: WardenClient, runId: string | null, internal: boolean): TraceState {
  const [state, setState] = useState<TraceState>({ trace: null, problem: null });
  const [version, setVersion] = useState(0);
  const lastRead = useRef(0);
  // The newest streamed event when the trace was last asked for: what came after may be new to it.
  const readAfterSeq = useRef(0);

  useEffect(() => setState({ trace: null, problem: null }), [runId]);
  useEffect(() => {
    if (!runId) return;
    let current = true;
    lastRead.current = Date.now();
    readAfterSeq.current = useStore.getState().live.at(-1)?.seq ?? 0;
    client.call('run.trace', { runId, internal }).then(
      (trace) => {
        if (current) setState({ trace, problem: null });
      },
      (error: Error) => {
        if (current) setState((s) => ({ trace: s.trace, problem: error.message }));
      },
    );
    return () => {
      current = false;
    };
  }, [client, runId, internal, version]);

  // A streamed event of a run in the trace, newer than the last read: the trace is read again.
  const live = useStore((s) => s.live);
  const ids = useMemo(() => (state.trace ? runIdsOf(state.trace) : null), [state.trace]);
  const behind = useMemo(() => {
    if (!ids) return false;
    for (let i = live.length - 1; i >= 0 && live[i]!.seq > readAfterSeq.current; i--)
      if (ids.has(live[i]!.runId ?? '')) return true;
    return false;
  }, [ids, live]);
  useEffect(() => {
    if (!behind) return;
    const wait = Math.max(0, lastRead.current + REFRESH_MS - Date.now());
    const timer = setTimeout(() => setVersion((v) => v + 1), wait);
    return () => clearTimeout(timer);
  }, [behind]);
  return state;
}

/** The time now, ms, moving every `everyMs` while `ticking` (open spans grow to it). */
export function useNow(ticking: boolean, everyMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [ticking, everyMs]);
  return now;
}
