import type { ModelTextPiece, Push } from '../../../shared/api.js';
import type { Warden } from '../warden.js';

/** How often the stream looks for new events and grown text, ms: a batch per tick, never one per event. */
const STREAM_EVERY_MS = 100;
const STREAM_BATCH = 1000;

/** The pushes to the console, on one tick: the text models are writing, then the ledger's new events. */
export interface PushStream {
  /** Every push from now on; returns a function that stops them. */
  subscribe(listener: (push: Push) => void): () => void;
  close(): void;
}

/**
 * Starts the push stream over a Warden. Event batches come from the ledger's file, so they carry
 * the appends of every process on the data folder; model text only from this process's work
 * runs, per run the current call's text so far, redacted whole.
 */
export function pushStream({ runtime, ledger }: Warden): PushStream {
  const listeners = new Set<(push: Push) => void>();
  const send = (push: Push) => listeners.forEach((listener) => listener(push));
  // Per run, the text of its current model call so far, and whether it grew since the last tick.
  const writing = new Map<string, { piece: ModelTextPiece; grew: boolean }>();
  const stopText = runtime.onModelText((piece) => {
    if (listeners.size === 0) return;
    const current = writing.get(piece.runId);
    if (current?.piece.callId === piece.callId) {
      current.piece.text += piece.text;
      current.grew = true;
    } else writing.set(piece.runId, { piece: { ...piece }, grew: true });
  });
  let after = ledger.reader.head()?.seq ?? 0;
  const tick = setInterval(() => {
    // Text first: a model.called in this tick's events then clears the text it completes.
    const grown = [...writing.values()].filter((w) => w.grew);
    if (grown.length > 0) {
      // Redacted whole, so a secret split across pieces is still caught.
      const pieces = grown.map((w) => ((w.grew = false), { ...w.piece, text: ledger.redactText(w.piece.text) }));
      send({ type: 'text', pieces });
    }
    // Once sent, the text of a run that ended is no longer needed, whoever was listening.
    for (const runId of writing.keys()) if (!runtime.isRunning(runId)) writing.delete(runId);
    if (listeners.size === 0) {
      after = ledger.reader.head()?.seq ?? after;
      return;
    }
    for (;;) {
      const page = ledger.reader.page({ afterSeq: after, limit: STREAM_BATCH });
      if (page.events.length === 0) break;
      after = page.events[page.events.length - 1]!.seq;
      send({ type: 'events', events: page.events });
      if (page.nextKey === null) break;
    }
  }, STREAM_EVERY_MS);
  tick.unref();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(tick);
      stopText();
      listeners.clear();
    },
  };
}
