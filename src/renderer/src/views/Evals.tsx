import { useEffect, useState } from 'react';
import type { AgentEvalView, ApiResult } from '../../../shared/api.js';
import { TimeChart } from '../charts.js';
import { FailingCases } from './EvalCases.js';
import type { WardenClient } from '../client.js';
import { duration, minute, percent } from '../format.js';
import { useStore, type EvalProgress } from '../store.js';

type Overview = ApiResult<'evals.overview'>;

/**
 * Eval suites: each agent's last result against its minimum, the failing cases of its last run,
 * accuracy over time, rolling accuracy per tier, and the agents their suites suspended.
 * Refreshed by the events that change standings, not by polling.
 */
export function Evals({ client, refresh }: { client: WardenClient; refresh: () => void }) {
  const notify = useStore((s) => s.notify);
  const version = useStore((s) => s.evalsVersion);
  const progress = useStore((s) => s.evalProgress);
  // After a reconnect, events may have been missed: ask again.
  const connected = useStore((s) => s.connected);
  const [overview, setOverview] = useState<Overview | null>(null);
  const [asked, setAsked] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    client.call('evals.overview', {}).then(
      (o) => current && setOverview(o),
      (error: Error) => notify('error', error.message),
    );
    return () => {
      current = false;
    };
  }, [client, version, asked, connected, notify]);

  const run = async (agent?: AgentEvalView) => {
    try {
      const { started } = await client.call('evals.run', agent ? { agentId: agent.agentId } : {});
      notify(
        'ok',
        started.length > 0
          ? `Eval suite${started.length > 1 ? 's' : ''} started: ${started.join(', ')}`
          : 'No suite started: every suite is running already',
      );
    } catch (error) {
      notify('error', (error as Error).message);
    }
    setAsked((n) => n + 1);
  };

  const resume = async (agent: AgentEvalView) => {
    try {
      await client.call('agent.resume', { agentId: agent.agentId });
      notify('ok', `${agent.name} resumed`);
    } catch (error) {
      notify('error', (error as Error).message);
    }
    refresh();
    setAsked((n) => n + 1);
  };

  if (!overview) return <p className="empty">Loading…</p>;
  const agents = overview.agents;
  const suspended = agents.filter((a) => a.hold === 'suspended');
  const withSuite = agents.filter((a) => a.cases > 0);
  // The failing cases shown: the agent picked, else a suspended one, else the first with failures.
  const failing = (a: AgentEvalView) => a.last !== null && a.last.passed < a.last.total;
  const shown =
    agents.find((a) => a.agentId === selected) ??
    suspended.find(failing) ??
    agents.find(failing) ??
    agents.find((a) => a.last) ??
    null;

  return (
    <section className="evals">
      <header className="bar">
        <h2>Evals</h2>
        <button className="primary" onClick={() => void run()} disabled={withSuite.length === 0}>
          Run evals
        </button>
        <span className="muted">
          Each golden case runs as a real run of its agent, writes simulated; an agent below its minimum is suspended.
        </span>
      </header>

      {suspended.length > 0 && (
        <section aria-labelledby="evals-suspended">
          <h3 id="evals-suspended">Suspended by their eval suites</h3>
          {suspended.map((a) => (
            <article key={a.agentId} className="card alert" data-suspended={a.agentId}>
              <div className="card-head">
                <strong>{a.name}</strong>
                <span className="status suspended">suspended</span>
              </div>
              <p>{a.suspension?.reason ?? 'Suspended by its eval suite.'}</p>
              <div className="actions">
                <button className="primary" aria-label={`Resume ${a.name}`} onClick={() => void resume(a)}>
                  Resume
                </button>
                <button onClick={() => setSelected(a.agentId)}>Show failing cases</button>
                <span className="muted">
                  {a.suspension && `since ${minute(a.suspension.ts)}`} · starts no new task until a person resumes it
                </span>
              </div>
            </article>
          ))}
        </section>
      )}

      <table className="grid suites">
        <thead>
          <tr>
            <th>Agent</th>
            <th>Suite</th>
            <th>Last run</th>
            <th className="num">Passed</th>
            <th>Accuracy / minimum</th>
            <th>Rolling {overview?.window.days ?? 14} days</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <SuiteRow
              key={a.agentId}
              agent={a}
              progress={progress[a.agentId]}
              minCases={overview?.window.minCases ?? 50}
              onRun={() => void run(a)}
              onShowCases={() => setSelected(a.agentId)}
            />
          ))}
        </tbody>
      </table>

      {withSuite.some((a) => a.trend.length > 0) && (
        <section aria-labelledby="evals-trend">
          <h3 id="evals-trend">Accuracy over time</h3>
          <div className="charts">
            {withSuite
              .filter((a) => a.trend.length > 0)
              .map((a) => (
                <TimeChart
                  key={a.agentId}
                  title={a.name}
                  description={`Accuracy of each suite run of ${a.name}, against its minimum of ${percent(a.minAccuracy, 0)}`}
                  rows={a.trend}
                  x={(r) => minute(r.ts).slice(5)}
                  series={[{ name: 'accuracy', value: (r) => r.accuracy }]}
                  format={(v) => percent(v, 0)}
                  domain={[0, 1]}
                  threshold={a.minAccuracy}
                  legend={false}
                  height={130}
                >
                  <span className="muted">
                    {a.trend.length} run{a.trend.length === 1 ? '' : 's'} ·{' '}
                    <span className="bad">min {percent(a.minAccuracy, 0)}</span>
                  </span>
                </TimeChart>
              ))}
          </div>
        </section>
      )}

      <div className="columns">
        <section aria-labelledby="evals-cases">
          <header className="bar">
            <h3 id="evals-cases">Failing cases of the last run</h3>
            <label htmlFor="evals-cases-agent">Agent</label>
            <select id="evals-cases-agent" value={shown?.agentId ?? ''} onChange={(e) => setSelected(e.target.value)}>
              {agents
                .filter((a) => a.last)
                .map((a) => (
                  <option key={a.agentId} value={a.agentId}>
                    {a.name}
                  </option>
                ))}
            </select>
          </header>
          {shown?.last ? (
            <FailingCases client={client} agent={shown} evalRunId={shown.last.evalRunId} />
          ) : (
            <p className="empty">No suite has run yet: Run evals runs every agent&apos;s golden dataset.</p>
          )}
        </section>
        <section aria-labelledby="evals-tiers">
          <h3 id="evals-tiers">Rolling accuracy by tier ({overview?.window.days ?? 14} days)</h3>
          <TierTable overview={overview} />
        </section>
      </div>
    </section>
  );
}

function SuiteRow(props: {
  agent: AgentEvalView;
  progress: EvalProgress | undefined;
  /** Cases an agent needs in the rolling window to count. */
  minCases: number;
  onRun: () => void;
  onShowCases: () => void;
}) {
  const { agent: a, progress } = props;
  const last = a.last;
  const below = last !== null && last.accuracy < a.minAccuracy;
  const failed = last ? last.total - last.passed : 0;
  return (
    <tr data-eval-agent={a.agentId} className={below ? 'below' : ''}>
      <td>
        <strong>{a.name}</strong>
        <div className="muted">{a.tier}</div>
      </td>
      {a.cases === 0 ? (
        <td colSpan={5} className="muted">
          No golden dataset (evals/{a.agentId}.jsonl)
        </td>
      ) : (
        <>
          <td>
            {a.suite}
            <div className="muted">{a.cases} cases</div>
          </td>
          <td>{last ? minute(last.ts) : <span className="muted">never</span>}</td>
          <td className="num">
            {last ? (
              <>
                <span data-passed>
                  {last.passed}/{last.total}
                </span>
                {failed > 0 && (
                  <div>
                    <button className="link" onClick={props.onShowCases}>
                      {failed} failing
                    </button>
                  </div>
                )}
              </>
            ) : (
              '—'
            )}
          </td>
          <td>
            {last ? (
              <div className="accuracy">
                <span className={below ? 'bad' : 'good'} data-accuracy>
                  {percent(last.accuracy)}
                </span>
                <span className="muted"> / {percent(a.minAccuracy, 0)}</span>
                {below && <strong className="below-tag">below minimum</strong>}
                <Gauge value={last.accuracy} threshold={a.minAccuracy} />
              </div>
            ) : (
              <span className="muted">min {percent(a.minAccuracy, 0)}</span>
            )}
          </td>
          <td data-rolling>
            {a.rolling.accuracy !== null ? (
              <>
                {percent(a.rolling.accuracy)}
                <div className="muted">{a.rolling.cases} cases</div>
              </>
            ) : (
              <>
                <span className="muted">not enough cases</span>
                <div className="muted">
                  {a.rolling.cases} so far, counts from {props.minCases}
                </div>
              </>
            )}
          </td>
        </>
      )}
      <td>
        {a.hold && <span className={`status ${a.hold}`}>{a.hold}</span>}{' '}
        {a.running && (
          <span className="status running" data-running>
            running{progress ? ` ${progress.graded}/${a.cases}` : '…'}
          </span>
        )}
        {!a.hold && !a.running && <span className="muted">—</span>}
      </td>
      <td>
        <button aria-label={`Run evals for ${a.name}`} disabled={a.cases === 0 || a.running} onClick={props.onRun}>
          Run
        </button>
      </td>
    </tr>
  );
}

/** Accuracy as a bar, with the minimum marked on it. */
function Gauge({ value, threshold }: { value: number; threshold: number }) {
  return (
    <span className="gauge" role="img" aria-label={`${percent(value)} against a minimum of ${percent(threshold, 0)}`}>
      <span className={value < threshold ? 'fill bad' : 'fill'} style={{ width: `${value * 100}%` }} />
      <span className="mark" style={{ left: `${threshold * 100}%` }} />
    </span>
  );
}

/** Rolling accuracy per tier; a tier counts only its agents with enough cases in the window. */
function TierTable({ overview }: { overview: Overview }) {
  const tiers = [...new Set(overview.agents.filter((a) => a.cases > 0).map((a) => a.tier))];
  return (
    <table className="grid">
      <thead>
        <tr>
          <th>Tier</th>
          <th className="num">Cases</th>
          <th className="num">Accuracy</th>
          <th className="num">Mean latency</th>
        </tr>
      </thead>
      <tbody>
        {tiers.map((tier) => {
          const rolling = overview.tiers.find((t) => t.key === tier);
          const cases = overview.agents.filter((a) => a.tier === tier).reduce((n, a) => n + a.rolling.cases, 0);
          return (
            <tr key={tier} data-tier={tier}>
              <td>{tier}</td>
              <td className="num">{rolling?.cases ?? cases}</td>
              <td className="num">
                {rolling?.accuracy != null ? (
                  percent(rolling.accuracy)
                ) : (
                  // A tier counts only the agents that have enough cases of their own.
                  <span className="muted">not enough cases per agent</span>
                )}
              </td>
              <td className="num">{duration(rolling?.meanLatencyMs)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
