import { useCallback, useEffect, useMemo } from 'react';
import type { LedgerEvent } from '../../shared/events.js';
import { wardenClient } from './client.js';
import { useStore, type View } from './store.js';
import { Approvals } from './views/Approvals.js';
import { Ledger } from './views/Ledger.js';
import { Live } from './views/Live.js';
import { Roster } from './views/Roster.js';

const VIEWS: { id: View; label: string; key: string }[] = [
  { id: 'roster', label: 'Roster', key: '1' },
  { id: 'live', label: 'Live', key: '2' },
  { id: 'approvals', label: 'Approvals', key: '3' },
  { id: 'ledger', label: 'Ledger', key: '4' },
];

/** The console: four views over one API client, the approval count visible from each. */
export function App() {
  const client = useMemo(() => wardenClient(), []);
  const { view, setView, connected, setConnected, notice, approvals, setAgents, setApprovals, appendLive } = useStore();

  const refresh = useCallback(() => {
    void client.call('roster.list', {}).then(setAgents);
    void client.call('approvals.list', {}).then(setApprovals);
  }, [client, setAgents, setApprovals]);

  useEffect(() => {
    // Events arrive in bursts; the store changes at most once per animation frame.
    let buffer: LedgerEvent[] = [];
    let frame = 0;
    const offEvents = client.onEvents((events) => {
      buffer.push(...events);
      frame ||= requestAnimationFrame(() => {
        const batch = buffer;
        buffer = [];
        frame = 0;
        appendLive(batch);
        if (batch.some((e) => /^(approval|agent|run)\./.test(e.type))) refresh();
      });
    });
    const offStatus = client.onStatus((up) => {
      setConnected(up);
      if (up) refresh();
    });
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).tagName === 'INPUT') return;
      const found = VIEWS.find((v) => v.key === e.key);
      if (found) setView(found.id);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      offEvents();
      offStatus();
      window.removeEventListener('keydown', onKey);
    };
  }, [client, refresh, appendLive, setConnected, setView]);

  return (
    <div className="app">
      <nav>
        <span className="brand">Warden</span>
        {VIEWS.map((v) => (
          <button
            key={v.id}
            className={v.id === view ? 'active' : ''}
            onClick={() => setView(v.id)}
            title={`${v.label} (${v.key})`}
          >
            {v.label}
            {v.id === 'approvals' && approvals.length > 0 && <span className="badge">{approvals.length}</span>}
          </button>
        ))}
        <span className={`conn ${connected ? 'up' : 'down'}`}>{connected ? 'connected' : 'reconnecting…'}</span>
      </nav>
      {notice && <div className={`notice ${notice.kind}`}>{notice.text}</div>}
      <main>
        {view === 'roster' && <Roster client={client} refresh={refresh} />}
        {view === 'live' && <Live client={client} />}
        {view === 'approvals' && <Approvals client={client} refresh={refresh} />}
        {view === 'ledger' && <Ledger client={client} />}
      </main>
    </div>
  );
}
