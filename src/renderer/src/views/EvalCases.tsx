import { useEffect, useState } from 'react';
import type { AgentEvalView, CaseView } from '../../../shared/api.js';
import type { JsonValue } from '../../../shared/json.js';
import type { WardenClient } from '../client.js';
import { duration, minute } from '../format.js';
import { useStore } from '../store.js';

/** The failing cases of one suite run: expected against actual, and why they differ. Text only, never HTML. */
export function FailingCases({
  client,
  agent,
  evalRunId,
}: {
  client: WardenClient;
  agent: AgentEvalView;
  evalRunId: string;
}) {
  const selectRun = useStore((s) => s.selectRun);
  const setView = useStore((s) => s.setView);
  const [cases, setCases] = useState<CaseView[] | null>(null);
  useEffect(() => {
    let current = true;
    setCases(null);
    client.call('evals.cases', { agentId: agent.agentId, evalRunId, failedOnly: true }).then(
      (c) => current && setCases(c),
      () => current && setCases([]),
    );
    return () => {
      current = false;
    };
  }, [client, agent.agentId, evalRunId]);

  const last = agent.last!;
  return (
    <div data-cases={agent.agentId}>
      <p className="muted">
        {agent.name}, suite {last.suite}, run {evalRunId} at {minute(last.ts)}: {last.passed}/{last.total} passed.
      </p>
      {cases === null && <p className="empty">Loading…</p>}
      {cases?.length === 0 && <p className="empty">Every case passed.</p>}
      {cases?.map((c) => (
        <article key={c.seq} className="case" data-case={c.caseId}>
          <div className="card-head">
            <strong>{c.caseId}</strong>
            <span className="muted">
              {c.grader} grader · {duration(c.latencyMs)}{' '}
              <button
                className="link"
                onClick={() => {
                  selectRun(c.runId);
                  setView('live');
                }}
              >
                open its run
              </button>
            </span>
          </div>
          <div className="compare">
            <div>
              <div className="muted">Expected</div>
              <pre data-expected>{show(c.expected)}</pre>
            </div>
            <div>
              <div className="muted">Actual{jsonText(c.output) ? ' (text holding JSON, indented)' : ''}</div>
              <pre data-actual>{show(jsonText(c.output) ?? c.output)}</pre>
            </div>
          </div>
          {c.error && (
            <p className="bad">
              {c.error.code}: {c.error.message}
            </p>
          )}
          <ul className="diff" aria-label="Differences">
            {c.diff.map((line, i) => (
              <li key={i}>
                <code>{line}</code>
              </li>
            ))}
          </ul>
        </article>
      ))}
    </div>
  );
}

/** A model's text that holds a JSON object or list (graders parse it the same way), else null. */
function jsonText(value: JsonValue): JsonValue | null {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return null;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return null;
  }
}

/** A value as a person reads it: strings as they are, anything else as indented JSON. */
function show(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
