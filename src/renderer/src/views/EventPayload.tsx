import type { LedgerEvent } from '../../../shared/events.js';
import { localTime, utcMillis } from '../format.js';

/**
 * One event of the ledger as it was recorded: its seq, time (local, UTC on hover), run, agent,
 * type and version, and its whole payload as indented JSON, shown as text. Its proof is the
 * panel below; this one is what the event says.
 */
export function EventPayload(props: {
  seq: number;
  event: LedgerEvent | null;
  error: string | null;
  onOpenRun(runId: string): void;
  onClose(): void;
}) {
  const { seq, event, error } = props;
  return (
    <section className="audit-card" aria-labelledby="ledger-payload" data-payload={seq}>
      <div className="audit-head">
        <h3 id="ledger-payload">Event {seq}</h3>
        <button className="link" aria-label="Close the event" onClick={props.onClose}>
          close
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {!event && !error && <p className="muted">Reading the event…</p>}
      {event && (
        <>
          <dl className="facts">
            <dt>type</dt>
            <dd>
              <code>{event.type}</code> <span className="muted">v{event.v}</span>
            </dd>
            <dt>time</dt>
            <dd>
              <time dateTime={event.ts} title={utcMillis(event.ts)}>
                {localTime(event.ts)}
              </time>
            </dd>
            <dt>agent</dt>
            <dd>{event.agentId ?? '—'}</dd>
            <dt>run</dt>
            <dd>
              {event.runId ? (
                <button className="link" data-open-run={event.runId} onClick={() => props.onOpenRun(event.runId!)}>
                  {event.runId}
                </button>
              ) : (
                '—'
              )}
            </dd>
          </dl>
          <h4>Payload</h4>
          <pre className="payload" data-field="payload">
            {JSON.stringify(event.payload, null, 2)}
          </pre>
        </>
      )}
    </section>
  );
}
