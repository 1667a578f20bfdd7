import { useEffect, useState } from 'react';
import type { ToolFlagView } from '../../../shared/api.js';
import type { WardenClient } from '../client.js';
import { useStore } from '../store.js';

/**
 * MCP tools whose definitions read like instructions to the agent: what was found and where,
 * refused until an owner accepts that exact definition here (with a reason) or with
 * `warden mcp accept`. Shown on the roster, beside the agents that would call them. The
 * flagged words are shown as text, never as the tool's description.
 */
export function FlaggedTools({ client }: { client: WardenClient }) {
  const version = useStore((s) => s.toolsVersion);
  const connected = useStore((s) => s.connected);
  const notify = useStore((s) => s.notify);
  const [flags, setFlags] = useState<ToolFlagView[]>([]);
  const [reasons, setReasons] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!connected) return;
    let live = true;
    client.call('tools.flagged', {}).then(
      (found) => live && setFlags(found),
      (error: Error) => notify('error', error.message),
    );
    return () => {
      live = false;
    };
  }, [client, version, connected, notify]);

  if (flags.length === 0) return null;
  const accept = async (flag: ToolFlagView) => {
    const key = `${flag.server}.${flag.tool}`;
    try {
      const accepted = await client.call('tools.accept', {
        server: flag.server,
        tool: flag.tool,
        sha256: flag.sha256,
        reason: reasons[key] ?? '',
      });
      setFlags((all) => all.map((f) => (f.server === flag.server && f.tool === flag.tool ? accepted : f)));
      notify('ok', `${key} accepted: agents may call it`);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };

  return (
    <section className="flagged-tools" aria-label="Flagged tool definitions">
      <h3>Tool definitions flagged</h3>
      <table className="grid">
        <thead>
          <tr>
            <th>Tool</th>
            <th>What its server says</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {flags.map((flag) => {
            const key = `${flag.server}.${flag.tool}`;
            return (
              <tr key={key} data-flagged-tool={key}>
                <td>
                  <strong>{key}</strong>
                  <div className="muted">definition {flag.sha256.slice(0, 12)}</div>
                </td>
                <td>
                  its {flag.field} {flag.why}: <q>{flag.match}</q>
                </td>
                <td>
                  {flag.accepted ? (
                    <span>
                      accepted by {flag.accepted.by}: {flag.accepted.reason}
                    </span>
                  ) : (
                    <form
                      className="accept"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void accept(flag);
                      }}
                    >
                      <span className="status suspended">refused</span>{' '}
                      <input
                        value={reasons[key] ?? ''}
                        onChange={(e) => setReasons({ ...reasons, [key]: e.target.value })}
                        aria-label={`Why ${key} is safe`}
                        placeholder="why it is safe"
                      />
                      <button type="submit" disabled={!(reasons[key] ?? '').trim()}>
                        Accept
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
