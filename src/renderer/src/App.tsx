import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Push } from '../../shared/api.js';
import { wardenClient, type WardenClient } from './client.js';
import { throttled } from './debounce.js';
import { useRouteSync } from './route.js';
import { useStore, type View } from './store.js';
import { Approvals } from './views/Approvals.js';
import { Evals } from './views/Evals.js';
import { Kpis } from './views/Kpis.js';
import { Ledger } from './views/Ledger.js';
import { Live } from './views/Live.js';
import { Prompts } from './views/Prompts.js';
import { Providers } from './views/Providers.js';
import { Roster } from './views/Roster.js';

const VIEWS: { id: View; label: string; key: string }[] = [
  { id: 'roster', label: 'Roster', key: '1' },
  { id: 'live', label: 'Live', key: '2' },
  { id: 'approvals', label: 'Approvals', key: '3' },
  { id: 'ledger', label: 'Ledger', key: '4' },
  { id: 'evals', label: 'Evals', key: '5' },
  { id: 'kpis', label: 'KPIs', key: '6' },
  { id: 'prompts', label: 'Prompts', key: '7' },
  { id: 'providers', label: 'Providers', key: '8' },
];

/** How each kind of alert is headed, and the view that deals with it. */
const ALERT_TITLES: Record<string, string> = {
  suspension: 'Agent suspended',
  budget: 'Budget spent',
  circuit: 'Circuit tripped',
  guardrail: 'Guardrail',
  server: 'MCP server',
};
const ALERT_VIEWS: Record<string, View> = { suspension: 'evals', budget: 'roster', circuit: 'live' };

/**
 * A standing warning while some agent's provider has no key (the desktop app opens without
 * them): which agents cannot run, and where to enter the key.
 */
function MissingKeys({ client, onOpen }: { client: WardenClient; onOpen: () => void }) {
  const version = useStore((s) => s.providersVersion);
  const connected = useStore((s) => s.connected);
  // One line per provider or server secret that is missing: who cannot work, and which variable.
  const [missing, setMissing] = useState<{ stored: boolean; lines: { id: string; text: string; variable: string }[] }>({
    stored: false,
    lines: [],
  });
  useEffect(() => {
    if (!connected) return;
    let live = true;
    client.call('providers.list', {}).then(
      (found) => {
        if (!live) return;
        const lines = [
          ...found.providers
            .filter((p) => p.key === 'missing' && p.agentIds.length > 0)
            .map((p) => ({
              id: p.name,
              variable: p.variable ?? '',
              text: `${p.agentIds.join(', ')} cannot run until ${p.name} has its key (${p.variable}).`,
            })),
          ...found.secrets
            .filter((s) => s.key === 'missing')
            .map((s) => ({
              id: s.variable,
              variable: s.variable,
              text: `MCP server ${s.servers.join(', ')} cannot start until ${s.variable} is set.`,
            })),
        ];
        setMissing({ stored: found.store.available, lines });
      },
      // The banner is a hint: without an answer it stays as it was, and the Providers view says why.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, version, connected]);
  if (missing.lines.length === 0) return null;
  return (
    <ul className="alerts" aria-label="Missing keys">
      {missing.lines.map((line) => (
        <li key={line.id} className="alert-budget" data-missing-key={line.id}>
          <strong>Missing key</strong> <span>{line.text}</span>
          {missing.stored ? (
            <button className="link" onClick={onOpen}>
              enter it
            </button>
          ) : (
            <span className="muted"> Set {line.variable} and restart.</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** How often the roster and the approval queue are read again while events stream in. */
const REFRESH_EVERY_MS = 1_000;

/** The console: its views over one API client, the approval count visible from each. */
export function App() {
  // The client first: it takes the session key out of the address before the route reads it.
  const client = useMemo(() => wardenClient(), []);
  useRouteSync();
  const { view, setView, connected, setConnected, notice, approvals, setAgents, setApprovals, appendLive } = useStore();
  const alerts = useStore((s) => s.alerts);
  const addAlerts = useStore((s) => s.addAlerts);
  const dismissAlert = useStore((s) => s.dismissAlert);
  const appendText = useStore((s) => s.appendText);

  const [organisation, setOrganisation] = useState<string | null>(null);

  const refresh = useCallback(() => {
    void client.call('roster.list', {}).then(setAgents);
    void client.call('roster.organisation', {}).then((o) => setOrganisation(o.name));
    void client.call('approvals.list', {}).then(setApprovals);
  }, [client, setAgents, setApprovals]);
  // What runs and approvals change, read again at most once a second however fast events come
  // (at once for the first, then once at the end of the second for any that came meanwhile).
  const follow = useMemo(
    () =>
      throttled(REFRESH_EVERY_MS, () => {
        void client.call('roster.list', {}).then(setAgents);
        void client.call('approvals.list', {}).then(setApprovals);
      }),
    [client, setAgents, setApprovals],
  );

  useEffect(() => {
    // Events and streamed text arrive in bursts; the store changes at most once per animation
    // frame, taking them in the order they came (text, then the event that completes it).
    let buffer: Push[] = [];
    let frame = 0;
    const flush = () => {
      const batch = buffer;
      buffer = [];
      frame = 0;
      let changed = false;
      for (const push of batch) {
        if (push.type === 'text') appendText(push.pieces);
        else {
          appendLive(push.events);
          changed ||= push.events.some((e) => /^(approval|agent|run)\./.test(e.type));
        }
      }
      if (changed) follow();
    };
    const offPush = client.onPush((push) => {
      buffer.push(push);
      frame ||= requestAnimationFrame(flush);
    });
    const offStatus = client.onStatus((up) => {
      setConnected(up);
      if (!up) return;
      refresh();
      // Alerts of the last day, raised while this console was closed (a suspension by warden eval).
      const from = new Date(Date.now() - 86_400_000).toISOString();
      void client
        .call('ledger.page', { type: 'alert.raised', order: 'desc', limit: 10, from })
        .then((page) => addAlerts(page.events));
    });
    const onKey = (e: KeyboardEvent) => {
      if (['INPUT', 'SELECT', 'TEXTAREA'].includes((e.target as HTMLElement).tagName)) return;
      const found = VIEWS.find((v) => v.key === e.key);
      if (found) setView(found.id);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      offPush();
      offStatus();
      window.removeEventListener('keydown', onKey);
    };
  }, [client, refresh, follow, appendLive, appendText, addAlerts, setConnected, setView]);

  return (
    <div className="app">
      <nav>
        <span className="brand">Warden{organisation && <span className="organisation"> · {organisation}</span>}</span>
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
      <MissingKeys client={client} onOpen={() => setView('providers')} />
      {alerts.length > 0 && (
        <ul className="alerts" aria-label="Alerts">
          {alerts.slice(-3).map((a) => (
            <li key={a.seq} className={`alert-${a.kind}`} data-alert={a.kind}>
              <strong>{ALERT_TITLES[a.kind] ?? 'Alert'}</strong> <span>{a.message}</span>
              {ALERT_VIEWS[a.kind] && (
                <button className="link" onClick={() => setView(ALERT_VIEWS[a.kind]!)}>
                  open {ALERT_VIEWS[a.kind]}
                </button>
              )}
              <button className="link" aria-label="Dismiss alert" onClick={() => dismissAlert(a.seq)}>
                dismiss
              </button>
            </li>
          ))}
          {alerts.length > 3 && <li className="muted">and {alerts.length - 3} more</li>}
        </ul>
      )}
      <main>
        {view === 'roster' && <Roster client={client} refresh={refresh} />}
        {view === 'live' && <Live client={client} />}
        {view === 'approvals' && <Approvals client={client} refresh={refresh} />}
        {view === 'ledger' && <Ledger client={client} />}
        {view === 'evals' && <Evals client={client} refresh={refresh} />}
        {view === 'kpis' && <Kpis client={client} />}
        {view === 'prompts' && <Prompts client={client} />}
        {view === 'providers' && <Providers client={client} />}
      </main>
    </div>
  );
}
