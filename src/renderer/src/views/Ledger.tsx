import { useEffect, useMemo, useState } from 'react';
import type { LedgerEvent } from '../../../shared/events.js';
import type { WardenClient } from '../client.js';
import { useDebounced } from '../debounce.js';
import { useStore, type LedgerRoute } from '../store.js';
import { EventPayload } from './EventPayload.js';
import { LedgerActions } from './LedgerActions.js';
import { CheckpointPanel, ProofPanel } from './LedgerAudit.js';
import { LedgerFilters, type Facets } from './LedgerFilters.js';
import { LedgerRows } from './LedgerRows.js';
import { useAudit } from './ledger-audit.js';
import { useLedgerPage, type EventQuery } from './ledger-page.js';

/**
 * The ledger, newest first: virtualized, paged by key as it scrolls, filtered by agent, type,
 * run, period and eval; a jump to a seq or a date; the event selected shown whole (its
 * payload) and proven (its inclusion proof) beside the latest signed checkpoint. What is
 * selected and filtered lives in the store, so the address says it (see route.ts).
 */
export function Ledger({ client }: { client: WardenClient }) {
  const notify = useStore((s) => s.notify);
  const route = useStore((s) => s.ledgerRoute);
  const setRoute = useStore((s) => s.setLedgerRoute);
  const openRun = useStore((s) => s.selectRun);
  const setView = useStore((s) => s.setView);
  const connected = useStore((s) => s.connected);
  // The newest seq streamed in, to tell how many events the checkpoint does not cover yet.
  const headSeq = useStore((s) => s.live.at(-1)?.seq ?? 0);

  const [facets, setFacets] = useState<Facets | null>(null);
  useEffect(() => {
    if (!connected) return;
    client.call('ledger.facets', {}).then(setFacets, (e: Error) => notify('error', e.message));
  }, [client, connected, notify]);

  // The query runs once typing pauses: the address follows each keystroke, the ledger does not.
  const query = useDebounced(JSON.stringify(eventQuery(route)));
  const eventFilters = useMemo(() => JSON.parse(query) as EventQuery, [query]);

  // The list is anchored where a jump (or an address) put it; a selection within the rows it
  // holds only selects. An anchor names a seq that is not in the rows yet.
  const [anchor, setAnchor] = useState<number | null>(route.seq);
  const page = useLedgerPage(client, eventFilters, anchor);
  const { rows, loading } = page;
  useEffect(() => {
    if (route.seq !== null && !loading && !rows.some((e) => e.seq === route.seq)) setAnchor(route.seq);
    // Only a new seq moves the anchor; rows that come later do not.
  }, [route.seq]);

  const audit = useAudit(client);
  const { select } = audit;
  useEffect(() => select(route.seq), [route.seq, select]);
  const selected = useSelectedEvent(client, route.seq, rows);

  const jumpToSeq = (seq: number) => {
    setAnchor(seq);
    setRoute({ seq });
  };
  const jumpToDate = (local: string) => {
    client.call('ledger.seqAt', { ts: new Date(local).toISOString() }).then(
      ({ seq }) => {
        if (seq === null) notify('error', `No event at or after ${local.replace('T', ' ')}`);
        else jumpToSeq(seq);
      },
      (e: Error) => notify('error', e.message),
    );
  };

  return (
    <section className="ledger">
      <header className="bar">
        <h2>Ledger</h2>
        {anchor !== null && (
          <button
            className="link"
            data-newest
            onClick={() => {
              setAnchor(null);
              setRoute({ seq: null });
            }}
          >
            back to the newest
          </button>
        )}
      </header>
      <LedgerFilters
        route={route}
        facets={facets}
        onChange={(change) => setRoute(change)}
        onJumpToSeq={jumpToSeq}
        onJumpToDate={jumpToDate}
      />
      <LedgerActions client={client} filters={exportFilters(eventFilters)} />
      <div className="ledger-main">
        <LedgerRows page={page} selected={route.seq} filtered={query !== '{}'} onSelect={(seq) => setRoute({ seq })} />
        <aside className="audit" aria-label="Event, checkpoint and proof">
          {route.seq !== null && (
            <EventPayload
              seq={route.seq}
              event={selected.event}
              error={selected.error}
              onOpenRun={(runId) => {
                openRun(runId);
                setView('live');
              }}
              onClose={() => setRoute({ seq: null })}
            />
          )}
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
            onClose={() => setRoute({ seq: null })}
          />
        </aside>
      </div>
    </section>
  );
}

/** The event selected: from the rows when it is there, else read by its seq (an address, a jump). */
function useSelectedEvent(client: WardenClient, seq: number | null, rows: LedgerEvent[]) {
  const inRows = seq === null ? undefined : rows.find((e) => e.seq === seq);
  const [read, setRead] = useState<{ seq: number; event: LedgerEvent | null; error: string | null } | null>(null);
  useEffect(() => {
    if (seq === null || inRows) return;
    let live = true;
    client.call('ledger.page', { afterSeq: seq - 1, limit: 1, order: 'asc' }).then(
      (page) => {
        if (!live) return;
        const event = page.events[0]?.seq === seq ? page.events[0] : null;
        setRead({ seq, event, error: event ? null : `The ledger has no event ${seq}.` });
      },
      (e: Error) => live && setRead({ seq, event: null, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [client, seq, inRows]);
  if (inRows) return { event: inRows, error: null };
  return read?.seq === seq ? read : { event: null, error: null };
}

/** The page's filters from the view's: the set ones, times as ISO in UTC. */
function eventQuery(route: LedgerRoute): EventQuery {
  const query: EventQuery = {};
  if (route.agentId) query.agentId = route.agentId;
  if (route.runId) query.runId = route.runId;
  if (route.type) query.type = route.type;
  for (const key of ['from', 'to'] as const) {
    const time = route[key] ? new Date(route[key]) : null;
    if (time && !Number.isNaN(time.getTime())) query[key] = time.toISOString();
  }
  if (route.hideEval) query.eval = false;
  return query;
}

/** What an export takes of the page's filters: all but the eval toggle, which exports do not know. */
function exportFilters(query: EventQuery): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([k, v]) => k !== 'eval' && typeof v === 'string')) as Record<
    string,
    string
  >;
}
