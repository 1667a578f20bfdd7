import { useEffect, useState, type FormEvent } from 'react';
import type { ApiResult, ProviderTestView, ProviderView } from '../../../shared/api.js';
import type { WardenClient } from '../client.js';
import { minute } from '../format.js';
import { useStore } from '../store.js';

type Listing = ApiResult<'providers.list'>;

const KINDS: Record<ProviderView['kind'], string> = {
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  'openai-compatible': 'OpenAI-compatible',
};

/**
 * The model providers of warden.yaml: who uses each, and whether its key is set. In the
 * desktop app a key is entered here and sealed by the OS keychain (or, with no keychain, kept
 * as plain text only if the person ticks that they agree). The key never comes back from
 * Warden: the view shows only where it comes from. Refreshed by `provider.key.*` events.
 */
export function Providers({ client }: { client: WardenClient }) {
  const notify = useStore((s) => s.notify);
  const version = useStore((s) => s.providersVersion);
  const connected = useStore((s) => s.connected);
  const [listing, setListing] = useState<Listing | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [editingSecret, setEditingSecret] = useState<string | null>(null);
  // The last test of each provider, or 'testing' while one is under way.
  const [tests, setTests] = useState<Record<string, ProviderTestView | 'testing'>>({});

  const test = (provider: string) => {
    setTests((t) => ({ ...t, [provider]: 'testing' }));
    client.call('providers.test', { provider }).then(
      (result) => setTests((t) => ({ ...t, [provider]: result })),
      (error: Error) => {
        setTests(({ [provider]: _, ...rest }) => rest);
        notify('error', error.message);
      },
    );
  };

  useEffect(() => {
    let live = true;
    client.call('providers.list', {}).then(
      (found) => live && setListing(found),
      (error: Error) => notify('error', error.message),
    );
    return () => {
      live = false;
    };
  }, [client, version, connected, notify]);

  if (!listing) return <p className="empty">Loading…</p>;
  const { store, providers, secrets } = listing;
  const target = providers.find((p) => p.name === editing) ?? null;
  const secret = secrets.find((s) => s.variable === editingSecret) ?? null;

  return (
    <section className="providers">
      <header className="bar">
        <h2>Providers</h2>
        <span className="muted" data-testid="key-store">
          {!store.available
            ? 'Keys come from the environment here: set the variable warden.yaml names and restart. Keys are entered in the desktop app.'
            : store.protection === 'keychain'
              ? 'Keys you enter are sealed by the OS keychain. A key set in the environment wins.'
              : 'No OS keychain is available: a key is stored only if you agree to keep it as plain text.'}
        </span>
      </header>
      {providers.length === 0 ? (
        <p className="empty">warden.yaml configures no providers: every agent runs on the scripted model.</p>
      ) : (
        <table className="grid" aria-label="Providers">
          <thead>
            <tr>
              <th>Provider</th>
              <th>Kind</th>
              <th>Endpoint</th>
              <th>Agents</th>
              <th>Key</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {providers.map((p) => (
              <tr key={p.name} data-provider={p.name}>
                <td>{p.name}</td>
                <td>{KINDS[p.kind]}</td>
                <td>
                  <code>{p.baseUrl ?? 'not set'}</code>
                </td>
                <td>{p.agentIds.length > 0 ? p.agentIds.join(', ') : <span className="muted">none</span>}</td>
                <td data-key={p.key}>
                  <SourceStatus source={p.key} stored={p.stored} variable={p.variable} />
                  <TestOutcome outcome={tests[p.name]} />
                </td>
                <td>
                  <div className="row-actions">
                    {p.agentIds.length > 0 && p.key !== 'missing' && (
                      <button disabled={tests[p.name] === 'testing'} onClick={() => test(p.name)}>
                        {tests[p.name] === 'testing' ? 'Testing…' : 'Test'}
                      </button>
                    )}
                    {store.available && p.variable !== null && (
                      <StoredActions
                        stored={p.stored !== null}
                        enter="Enter key"
                        replace="Replace key"
                        onEnter={() => setEditing(p.name)}
                        onRemove={() =>
                          client
                            .call('providers.removeKey', { provider: p.name })
                            .then(() => `${p.name}: stored key removed`)
                        }
                      />
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {target && target.variable !== null && (
        <KeyForm
          key={target.name}
          subject={`the key for ${target.name}`}
          variable={target.variable}
          usedBy={target.agentIds.join(', ') || 'no agent yet'}
          replacing={target.stored !== null}
          plainText={store.protection === 'plain-text'}
          onCancel={() => setEditing(null)}
          onSave={async (key, allowPlainText) => {
            await client.call('providers.setKey', { provider: target.name, key, allowPlainText });
            notify('ok', `${target.name}: key stored; its agents can run`);
            setEditing(null);
          }}
        />
      )}
      {secrets.length > 0 && (
        <>
          <h3>Server secrets</h3>
          <table className="grid" aria-label="Server secrets">
            <thead>
              <tr>
                <th>Variable</th>
                <th>MCP servers</th>
                <th>Value</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {secrets.map((s) => (
                <tr key={s.variable} data-secret={s.variable}>
                  <td>
                    <code>{s.variable}</code>
                  </td>
                  <td>{s.servers.join(', ')}</td>
                  <td data-key={s.key}>
                    <SourceStatus source={s.key} stored={s.stored} variable={s.variable} />
                  </td>
                  <td>
                    <div className="row-actions">
                      {store.available && (
                        <StoredActions
                          stored={s.stored !== null}
                          enter="Enter value"
                          replace="Replace"
                          onEnter={() => setEditingSecret(s.variable)}
                          onRemove={() =>
                            client
                              .call('secrets.remove', { variable: s.variable })
                              .then(() => `${s.variable}: stored value removed`)
                          }
                        />
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {secret && (
        <KeyForm
          key={secret.variable}
          subject={`the value of ${secret.variable}`}
          variable={secret.variable}
          usedBy={`MCP server ${secret.servers.join(', ')} (from its next start)`}
          replacing={secret.stored !== null}
          plainText={store.protection === 'plain-text'}
          onCancel={() => setEditingSecret(null)}
          onSave={async (key, allowPlainText) => {
            await client.call('secrets.set', { variable: secret.variable, key, allowPlainText });
            notify('ok', `${secret.variable}: stored; servers use it when they next start`);
            setEditingSecret(null);
          }}
        />
      )}
    </section>
  );
}

/** Enter (or Replace) and, once stored, Remove: what the person can do with a stored key or secret. */
function StoredActions(props: {
  stored: boolean;
  enter: string;
  replace: string;
  onEnter: () => void;
  /** Removes it; resolves with what to tell the person. */
  onRemove: () => Promise<string>;
}) {
  const notify = useStore((s) => s.notify);
  return (
    <>
      <button onClick={props.onEnter}>{props.stored ? props.replace : props.enter}</button>
      {props.stored && (
        <button
          className="danger"
          onClick={() =>
            void props.onRemove().then(
              (done) => notify('ok', done),
              (error: Error) => notify('error', error.message),
            )
          }
        >
          Remove
        </button>
      )}
    </>
  );
}

/** The last test of a provider: answered (how fast, for how much) or why not. */
function TestOutcome({ outcome }: { outcome: ProviderTestView | 'testing' | undefined }) {
  if (outcome === undefined || outcome === 'testing') return null;
  return outcome.ok ? (
    <div className="test-outcome good" data-test="ok">
      answered in {outcome.latencyMs} ms · {outcome.model} · ${outcome.costUsd.toFixed(6)}
    </div>
  ) : (
    <div className="test-outcome bad" data-test="failed">
      {outcome.error?.message ?? 'failed'}
    </div>
  );
}

/** Where a key or secret comes from, never its value. */
function SourceStatus({
  source,
  stored,
  variable,
}: {
  source: ProviderView['key'];
  stored: ProviderView['stored'];
  variable: string | null;
}) {
  switch (source) {
    case 'not-needed':
      return <span className="muted">not needed</span>;
    case 'environment':
      return (
        <span className="status ok" title={stored ? 'a stored value is also kept, and unused' : undefined}>
          from {variable}
        </span>
      );
    case 'stored':
      return (
        <span
          className={`status ${stored?.protection === 'plain-text' ? 'paused' : 'ok'}`}
          title={stored ? `stored ${minute(stored.storedAt)}` : undefined}
        >
          stored · {stored?.protection === 'plain-text' ? 'plain text' : 'keychain'}
        </span>
      );
    case 'missing':
      return (
        <span className="status error">
          missing{stored ? ' (the stored value cannot be opened)' : ''} · {variable}
        </span>
      );
  }
}

/**
 * The key, typed or pasted into a password field and sent once. Without a keychain, Save stays
 * off until the person ticks that the key may be kept as plain text.
 */
function KeyForm({
  subject,
  variable,
  usedBy,
  replacing,
  plainText,
  onSave,
  onCancel,
}: {
  /** What the key is for, as the heading names it: "the key for anthropic". */
  subject: string;
  variable: string;
  /** Who uses it: "reviewer", "servers github, jira". */
  usedBy: string;
  replacing: boolean;
  plainText: boolean;
  onSave: (key: string, allowPlainText: boolean) => Promise<void>;
  onCancel: () => void;
}) {
  const [key, setKey] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = key.trim() !== '' && (!plainText || agreed) && !busy;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    onSave(key, plainText && agreed).then(
      () => setKey(''),
      (failure: Error) => {
        setError(failure.message);
        setBusy(false);
      },
    );
  };

  return (
    <form className="card key-form" aria-label={`Key for ${variable}`} onSubmit={submit}>
      <h3>
        {replacing ? 'Replace' : 'Enter'} {subject}
      </h3>
      <p className="muted">
        Used as {variable} by {usedBy}. It is not shown again, and never written to the ledger, logs or exports.
      </p>
      <input
        type="password"
        aria-label="API key"
        autoComplete="off"
        spellCheck={false}
        value={key}
        onChange={(e) => setKey(e.target.value)}
        autoFocus
      />
      {plainText && (
        <label className="consent">
          <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />
          Store it unencrypted. No OS keychain is available, so only this account&apos;s file permissions will protect
          it.
        </label>
      )}
      {error && <p className="bad">{error}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={!ready}>
          Save key
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
