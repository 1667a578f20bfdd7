import { diffLines } from 'diff';
import { useEffect, useMemo, useState } from 'react';
import type { PromptVersionView } from '../../../shared/api.js';
import { PROMPT_MAX_CHARS } from '../../../shared/api-methods.js';
import type { WardenClient } from '../client.js';
import { count, minute } from '../format.js';
import { useStore } from '../store.js';

/** What the selected version is compared with: the version before it, or the one runs use now. */
type Base = 'previous' | 'current';

/** One line of a diff, as text: added, removed, or the same in both. */
interface DiffLine {
  kind: 'add' | 'del' | 'same';
  text: string;
}

/** The lines that changed from `before` to `after` (jsdiff's line diff, split into single lines). */
export function lineDiff(before: string, after: string): DiffLine[] {
  return diffLines(before, after).flatMap((change) => {
    const kind = change.added ? 'add' : change.removed ? 'del' : 'same';
    const lines = change.value.split('\n');
    // A change that ends with a newline leaves an empty last piece that is no line of its own.
    if (lines.at(-1) === '') lines.pop();
    return lines.map((text) => ({ kind, text }));
  });
}

/**
 * An agent's system prompt through time: every version in the ledger with who changed it and
 * why, a version's text and its diff, a new version with a reason, and a rollback (itself a new
 * version). Refreshed by `prompt.changed` events, whoever made them.
 */
export function Prompts({ client }: { client: WardenClient }) {
  const agents = useStore((s) => s.agents);
  const notify = useStore((s) => s.notify);
  const version = useStore((s) => s.promptsVersion);
  const connected = useStore((s) => s.connected);
  const chosen = useStore((s) => s.promptAgentId);
  const openPrompts = useStore((s) => s.openPrompts);
  const agentId = chosen ?? agents[0]?.id ?? null;
  const [loaded, setLoaded] = useState<{ agentId: string; versions: PromptVersionView[] } | null>(null);
  // The version picked in the list; null follows the current one.
  const [selected, setSelected] = useState<number | null>(null);
  const [base, setBase] = useState<Base>('previous');

  useEffect(() => {
    if (!agentId) return;
    let live = true;
    client.call('prompts.history', { agentId }).then(
      (versions) => live && setLoaded({ agentId, versions }),
      (error: Error) => notify('error', error.message),
    );
    return () => {
      live = false;
    };
  }, [client, agentId, version, connected, notify]);

  const versions = loaded?.agentId === agentId ? loaded.versions : null;
  const current = versions?.at(-1) ?? null;
  const shown = versions?.find((v) => v.version === selected) ?? current;

  const pick = (id: string) => {
    openPrompts(id);
    setSelected(null);
  };

  return (
    <section className="prompts">
      <header className="bar">
        <h2>Prompts</h2>
        <label>
          Agent{' '}
          <select aria-label="Agent" value={agentId ?? ''} onChange={(e) => pick(e.target.value)}>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.id}
              </option>
            ))}
          </select>
        </label>
        {current && (
          <span className="muted">
            runs use v{current.version} · {current.sha256.slice(0, 12)}
          </span>
        )}
      </header>
      {!agentId ? (
        <p className="empty">No agents in the roster.</p>
      ) : !versions ? (
        <p className="empty">Loading…</p>
      ) : versions.length === 0 || !current || !shown ? (
        <p className="empty">No prompt recorded for {agentId} yet.</p>
      ) : (
        <div className="prompt-columns">
          <VersionList
            versions={versions}
            shown={shown.version}
            current={current.version}
            onSelect={(v) => setSelected(v === current.version ? null : v)}
          />
          <div className="prompt-detail">
            <VersionDetail
              key={`shown:${shown.agentId}:${shown.version}`}
              shown={shown}
              versions={versions}
              current={current}
              base={base}
              onBase={setBase}
              onRollback={async (reason) => {
                await client.call('prompts.rollback', { agentId: current.agentId, to: shown.version, reason });
                notify('ok', `${current.agentId}: v${shown.version} is current again, as a new version`);
                setSelected(null);
              }}
            />
            <Editor
              key={`editor:${current.agentId}:${current.version}`}
              current={current}
              onSave={async (text, reason) => {
                const saved = await client.call('prompts.set', { agentId: current.agentId, text, reason });
                notify('ok', `${current.agentId}: prompt v${saved.version} saved`);
                setSelected(null);
                setBase('previous');
              }}
            />
          </div>
        </div>
      )}
    </section>
  );
}

/** The versions, newest first: number, time, who, why, hash prefix, and which one runs use. */
function VersionList({
  versions,
  shown,
  current,
  onSelect,
}: {
  versions: PromptVersionView[];
  shown: number;
  current: number;
  onSelect: (version: number) => void;
}) {
  return (
    <table className="grid prompt-versions" aria-label="Prompt versions">
      <thead>
        <tr>
          <th>Version</th>
          <th>Time (UTC)</th>
          <th>By</th>
          <th>Reason</th>
          <th>SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {[...versions].reverse().map((v) => (
          <tr
            key={v.seq}
            data-version={v.version}
            className={v.version === shown ? 'selected' : ''}
            onClick={() => onSelect(v.version)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(v.version);
              }
            }}
            tabIndex={0}
            aria-selected={v.version === shown}
          >
            <td>
              v{v.version}
              {v.version === current && <span className="status running current-tag">current</span>}
            </td>
            <td>{minute(v.ts)}</td>
            <td className="by">
              {/* Who is often a path (roster:agents/x.yaml): let it wrap after a slash, not mid-word. */}
              {v.by.split('/').map((part, i) => (
                <span key={i}>
                  {i > 0 && (
                    <>
                      /<wbr />
                    </>
                  )}
                  {part}
                </span>
              ))}
            </td>
            <td className="reason">{v.reason}</td>
            <td>
              <code title={v.sha256}>{v.sha256.slice(0, 12)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The selected version: its text, its diff against the one before it (or the current), and its rollback. */
function VersionDetail({
  shown,
  versions,
  current,
  base,
  onBase,
  onRollback,
}: {
  shown: PromptVersionView;
  versions: PromptVersionView[];
  current: PromptVersionView;
  base: Base;
  onBase: (base: Base) => void;
  onRollback: (reason: string) => Promise<void>;
}) {
  const notify = useStore((s) => s.notify);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const previous = [...versions].reverse().find((v) => v.version < shown.version) ?? null;
  const other = base === 'previous' ? previous : shown.version === current.version ? null : current;
  const lines = useMemo(() => (other ? lineDiff(other.text, shown.text) : []), [other, shown]);
  const added = lines.filter((l) => l.kind === 'add').length;
  const removed = lines.filter((l) => l.kind === 'del').length;
  const isCurrent = shown.version === current.version;

  const rollback = async () => {
    setBusy(true);
    try {
      await onRollback(reason.trim());
      setReason('');
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card prompt-version" data-shown-version={shown.version}>
      <div className="card-head">
        <h3>
          v{shown.version} {isCurrent && <span className="status running">current</span>}
        </h3>
        <span className="muted">
          {minute(shown.ts)} · {shown.by} · {count(shown.text.length)} chars
        </span>
      </div>
      <p className="prompt-reason">{shown.reason}</p>
      <pre className="prompt-text" aria-label="Prompt text">
        {shown.text}
      </pre>
      <div className="bar">
        <h3>Diff</h3>
        <select aria-label="Compare with" value={base} onChange={(e) => onBase(e.target.value as Base)}>
          <option value="previous">with the version before it</option>
          <option value="current">with the current version</option>
        </select>
        {other && (
          <span className="muted" data-diff-summary>
            v{other.version} → v{shown.version}: <span className="good">+{added}</span>{' '}
            <span className="bad">−{removed}</span> lines
          </span>
        )}
      </div>
      {!other ? (
        <p className="muted">
          {base === 'previous' ? 'The first version: nothing came before it.' : 'This is the current version.'}
        </p>
      ) : added + removed === 0 ? (
        <p className="muted">Same text as v{other.version}.</p>
      ) : (
        <pre className="prompt-diff" aria-label="Differences">
          {lines.map((line, i) => (
            <span key={i} className={`line ${line.kind}`}>
              {line.kind === 'add' ? '+ ' : line.kind === 'del' ? '- ' : '  '}
              {line.text}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
      {!isCurrent && (
        <form
          className="actions"
          onSubmit={(e) => {
            e.preventDefault();
            void rollback();
          }}
        >
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Why roll back? (required)"
            aria-label="Rollback reason"
            maxLength={2000}
          />
          <button type="submit" className="danger" disabled={busy || !reason.trim()}>
            Roll back to this version
          </button>
        </form>
      )}
    </article>
  );
}

/** A new version: the current text to edit, and the reason it changes (required, for the record). */
function Editor({
  current,
  onSave,
}: {
  current: PromptVersionView;
  onSave: (text: string, reason: string) => Promise<void>;
}) {
  const notify = useStore((s) => s.notify);
  const [text, setText] = useState(current.text);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const changed = text !== current.text;
  const problem = !text.trim()
    ? 'A prompt cannot be empty.'
    : text.length > PROMPT_MAX_CHARS
      ? `At most ${count(PROMPT_MAX_CHARS)} characters.`
      : null;

  const save = async () => {
    setBusy(true);
    try {
      await onSave(text, reason.trim());
    } catch (error) {
      notify('error', (error as Error).message);
      setBusy(false);
    }
  };

  return (
    <form
      className="card prompt-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="card-head">
        <h3>New version</h3>
        <span className="muted">
          from v{current.version} · {count(text.length)} / {count(PROMPT_MAX_CHARS)} chars
        </span>
      </div>
      <textarea
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-label="Prompt text to save"
        spellCheck={false}
        rows={6}
      />
      {problem && <p className="bad">{problem}</p>}
      <div className="actions">
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="Why this change? (required)"
          aria-label="Change reason"
          maxLength={2000}
        />
        <button
          type="submit"
          className="primary"
          disabled={busy || !changed || problem !== null || !reason.trim()}
          title={!changed ? 'Edit the text first' : !reason.trim() ? 'Give a reason' : undefined}
        >
          Save as v{current.version + 1}
        </button>
        {changed && (
          <button type="button" onClick={() => setText(current.text)} disabled={busy}>
            Discard edits
          </button>
        )}
      </div>
    </form>
  );
}
