import { useState } from 'react';
import type { WardenClient } from '../client.js';
import { usd } from '../../../shared/money.js';
import { useStore } from '../store.js';
import { FlaggedTools } from './FlaggedTools.js';
import { lastRunText, statusText } from './roster-health.js';
import { minute } from '../format.js';

/**
 * Every agent with its status (paused by a person, suspended by its evals, running, or waiting
 * for a person), how its last run ended, and today's runs and spend; pause, resume, the kill
 * switch, flagged tool definitions, and a task to start.
 */
export function Roster({ client, refresh }: { client: WardenClient; refresh: () => void }) {
  const agents = useStore((s) => s.agents);
  const notify = useStore((s) => s.notify);
  const setView = useStore((s) => s.setView);
  const openPrompts = useStore((s) => s.openPrompts);
  const [agentId, setAgentId] = useState('');
  const [input, setInput] = useState('{}');

  const act = async (what: Promise<unknown>, done: string) => {
    try {
      await what;
      notify('ok', done);
    } catch (error) {
      notify('error', (error as Error).message);
    }
    refresh();
  };

  const start = () => {
    let task: unknown;
    try {
      task = JSON.parse(input);
    } catch (error) {
      return notify('error', `The task is not valid JSON: ${(error as Error).message}`);
    }
    void act(
      client.call('task.start', { agentId: agentId || agents[0]?.id || '', input: task as never }),
      'Task started',
    );
  };

  return (
    <section>
      <header className="bar">
        <h2>Roster</h2>
        <button
          className="danger"
          onClick={() => void act(client.call('agents.pauseAll', {}), 'Every agent is paused')}
        >
          Pause all
        </button>
      </header>
      <table className="grid">
        <thead>
          <tr>
            <th>Agent</th>
            <th>Tier</th>
            <th>Model</th>
            <th>Autonomy</th>
            <th>Stage</th>
            <th>Status</th>
            <th>Last run</th>
            <th className="num">Runs today</th>
            <th className="num">Spend / budget</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.id} data-agent={a.id}>
              <td>
                <strong>{a.name}</strong>
                <div className="muted">{a.role}</div>
                <button className="link" onClick={() => openPrompts(a.id)} aria-label={`Prompt history of ${a.id}`}>
                  prompt history
                </button>
              </td>
              <td>{a.tier}</td>
              <td>{a.model}</td>
              <td>{a.autonomy}</td>
              <td>{a.lifecycle}</td>
              <td>
                <span className={`status ${a.status}`} data-status={a.status}>
                  {statusText(a.status)}
                </span>
                {a.status === 'suspended' && (
                  <div className="muted">
                    below its eval minimum{' '}
                    <button className="link" onClick={() => setView('evals')}>
                      see Evals
                    </button>
                  </div>
                )}
              </td>
              <td data-last-run={a.lastRun?.state ?? 'none'}>
                {a.lastRun ? (
                  <>
                    <span className={`status ${a.lastRun.state}`}>{lastRunText(a.lastRun)}</span>
                    <div className="muted" title={a.lastRun.runId}>
                      {minute(a.lastRun.finishedAt ?? a.lastRun.startedAt)} UTC
                    </div>
                  </>
                ) : (
                  <span className="muted">no runs yet</span>
                )}
              </td>
              <td className="num">{a.runsToday}</td>
              <td className="num" data-spend-today>
                {usd(a.spentTodayUsd)} / {usd(a.budgetUsdPerDay)}
              </td>
              <td>
                {a.status === 'paused' || a.status === 'suspended' ? (
                  <button onClick={() => void act(client.call('agent.resume', { agentId: a.id }), `${a.name} resumed`)}>
                    Resume
                  </button>
                ) : (
                  <button onClick={() => void act(client.call('agent.pause', { agentId: a.id }), `${a.name} paused`)}>
                    Pause
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FlaggedTools client={client} />
      <form
        className="start"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <label>
          Start a task for{' '}
          <select value={agentId} onChange={(e) => setAgentId(e.target.value)}>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.id}
              </option>
            ))}
          </select>
        </label>
        <input
          value={input}
          onChange={(e) => setInput(e.target.value)}
          aria-label="Task input (JSON)"
          spellCheck={false}
        />
        <button type="submit">Start</button>
      </form>
    </section>
  );
}
