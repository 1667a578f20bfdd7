import { useEffect } from 'react';
import { EMPTY_LEDGER_ROUTE, useStore, VIEW_IDS, type LedgerRoute, type View } from './store.js';

// Every view, run and event has an address in the URL's fragment, so that it can be bookmarked,
// reloaded and opened in another tab: `#/live?run=<id>`, `#/ledger?seq=<n>&agent=<id>&type=<t>`,
// `#/prompts?agent=<id>`, `#/approvals`... The store stays the truth for the views; this file
// keeps the address and the store in step, both ways. The fragment never reaches a server.

/** What an address holds: the view and, per view, what is selected or filtered in it. */
export interface Route {
  view: View;
  runId: string | null;
  promptAgentId: string | null;
  ledger: LedgerRoute;
}

/** The ledger view's filters and their names in the address. */
const LEDGER_PARAMS = { agentId: 'agent', type: 'type', runId: 'run', from: 'from', to: 'to' } as const;

/** Reads an address (`#/ledger?seq=5`); null when it names no view (an empty fragment, a key). */
export function parseRoute(hash: string): Route | null {
  const match = /^#\/([a-z]+)(?:\?(.*))?$/.exec(hash);
  const view = match?.[1] as View | undefined;
  if (!view || !VIEW_IDS.includes(view)) return null;
  const params = new URLSearchParams(match![2] ?? '');
  const ledger: LedgerRoute = { ...EMPTY_LEDGER_ROUTE };
  if (view === 'ledger') {
    for (const [field, name] of Object.entries(LEDGER_PARAMS))
      ledger[field as keyof typeof LEDGER_PARAMS] = params.get(name) ?? '';
    const seq = Number(params.get('seq'));
    ledger.seq = Number.isSafeInteger(seq) && seq > 0 ? seq : null;
    ledger.hideEval = params.get('eval') === 'hide';
  }
  return {
    view,
    runId: view === 'live' ? params.get('run') : null,
    promptAgentId: view === 'prompts' ? params.get('agent') : null,
    ledger,
  };
}

/** The address of what the store shows now. */
export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  if (route.view === 'live' && route.runId) params.set('run', route.runId);
  if (route.view === 'prompts' && route.promptAgentId) params.set('agent', route.promptAgentId);
  if (route.view === 'ledger') {
    const l = route.ledger;
    if (l.seq !== null) params.set('seq', String(l.seq));
    for (const [field, name] of Object.entries(LEDGER_PARAMS)) {
      const value = l[field as keyof typeof LEDGER_PARAMS];
      if (value) params.set(name, value);
    }
    if (l.hideEval) params.set('eval', 'hide');
  }
  const query = params.toString();
  return `#/${route.view}${query ? `?${query}` : ''}`;
}

/** The route the store is on. */
function currentRoute(): Route {
  const s = useStore.getState();
  return { view: s.view, runId: s.selectedRunId, promptAgentId: s.promptAgentId, ledger: s.ledgerRoute };
}

/** Puts the store where an address says. */
function applyRoute(route: Route): void {
  useStore.setState({
    view: route.view,
    // A run stays selected when another view is open, as it does without addresses.
    ...(route.view === 'live' ? { selectedRunId: route.runId } : {}),
    ...(route.view === 'prompts' ? { promptAgentId: route.promptAgentId } : {}),
    ...(route.view === 'ledger' ? { ledgerRoute: route.ledger } : {}),
  });
}

/**
 * Keeps the address and the store in step. The address the page opened on puts the store
 * there; moving to another view, run or event adds a history entry (so Back returns to it);
 * a change of filters replaces the entry it is on. Back and Forward put the store where the
 * address they reach says.
 */
export function useRouteSync(): void {
  useEffect(() => {
    const opened = parseRoute(location.hash);
    if (opened) applyRoute(opened);
    let shown = formatRoute(currentRoute());
    history.replaceState(history.state, '', shown);
    const unsubscribe = useStore.subscribe(() => {
      const next = formatRoute(currentRoute());
      if (next === shown) return;
      const before = parseRoute(shown);
      const after = parseRoute(next)!;
      const moved =
        !before || before.view !== after.view || before.runId !== after.runId || before.ledger.seq !== after.ledger.seq;
      if (moved) history.pushState(null, '', next);
      else history.replaceState(history.state, '', next);
      shown = next;
    });
    const onPop = () => {
      const route = parseRoute(location.hash);
      if (!route) return;
      shown = formatRoute(route);
      applyRoute(route);
    };
    window.addEventListener('popstate', onPop);
    return () => {
      unsubscribe();
      window.removeEventListener('popstate', onPop);
    };
  }, []);
}
