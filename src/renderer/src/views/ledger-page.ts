import { useCallback, useEffect, useRef, useState } from 'react';
import type { Params } from '../../../shared/api.js';
import type { LedgerEvent } from '../../../shared/events.js';
import type { WardenClient } from '../client.js';

/** Events a page holds. */
export const PAGE = 200;

/** The filters of a page of events, as `ledger.page` takes them (times already ISO, in UTC). */
export type EventQuery = Omit<Params<'ledger.page'>, 'afterSeq' | 'beforeSeq' | 'limit' | 'order'>;

/** The ledger's events as the view holds them: newest first, from the newest or from an anchor. */
export interface LedgerPage {
  rows: LedgerEvent[];
  /** True until the first page for these filters and this anchor has come. */
  loading: boolean;
  /** Why the page could not be read, or null. */
  error: string | null;
  /** Older events remain below the last row. */
  older: boolean;
  /** Newer events remain above the first row (only when anchored). */
  newer: boolean;
  /** Reads the next older page, when there is one and no read is under way. */
  loadOlder(): void;
  /** Reads the page of events just newer than the first row. */
  loadNewer(): void;
}

/**
 * Pages of the ledger for one query, read by key: the first page from the newest event, or from
 * `anchor` down (a jump to a seq or a date); older pages as the list scrolls; newer ones when
 * asked. An answer to a query that is no longer the current one is dropped, so a slow page
 * never overwrites a newer one.
 */
export function useLedgerPage(client: WardenClient, query: EventQuery, anchor: number | null): LedgerPage {
  const [rows, setRows] = useState<LedgerEvent[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [olderKey, setOlderKey] = useState<number | null>(null);
  const [newer, setNewer] = useState(false);
  const busy = useRef(false);
  const generation = useRef(0);

  const queryKey = JSON.stringify(query);
  const read = useCallback(
    (params: Partial<Params<'ledger.page'>>) =>
      client.call('ledger.page', { ...(JSON.parse(queryKey) as EventQuery), limit: PAGE, order: 'desc', ...params }),
    [client, queryKey],
  );

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    busy.current = true;
    read(anchor !== null ? { beforeSeq: anchor + 1 } : {})
      .then((page) => {
        if (mine !== generation.current) return;
        setRows(page.events);
        setOlderKey(page.nextKey);
        // Anchored, there may be newer events above; the first "newer" read finds out.
        setNewer(anchor !== null);
      })
      .catch((e: Error) => {
        if (mine === generation.current) setError(e.message);
      })
      .finally(() => {
        if (mine !== generation.current) return;
        busy.current = false;
        setLoading(false);
      });
  }, [read, anchor]);

  const loadOlder = useCallback(() => {
    if (busy.current || olderKey === null) return;
    const mine = generation.current;
    busy.current = true;
    void read({ beforeSeq: olderKey })
      .then((page) => {
        if (mine !== generation.current) return;
        setRows((r) => [...r, ...page.events]);
        setOlderKey(page.nextKey);
      })
      .finally(() => {
        if (mine === generation.current) busy.current = false;
      });
  }, [read, olderKey]);

  const first = rows[0]?.seq;
  const loadNewer = useCallback(() => {
    if (busy.current || first === undefined) return;
    const mine = generation.current;
    busy.current = true;
    void read({ afterSeq: first, order: 'asc' })
      .then((page) => {
        if (mine !== generation.current) return;
        setRows((r) => [...page.events.reverse(), ...r]);
        setNewer(page.nextKey !== null);
      })
      .finally(() => {
        if (mine === generation.current) busy.current = false;
      });
  }, [read, first]);

  return { rows, loading, error, older: olderKey !== null, newer, loadOlder, loadNewer };
}
