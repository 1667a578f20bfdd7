import { useState } from 'react';
import type { LedgerRoute } from '../store.js';

/** What the pickers offer: the agents that have events and the event types that occur. */
export interface Facets {
  agents: string[];
  types: string[];
}

/**
 * The ledger view's filters: pickers for agent and event type filled from the ledger, the run,
 * a period, eval events shown or hidden; and the two jumps, to a seq and to a date. Every
 * change goes to the view at once (and into the address); the view reads the ledger once typing
 * pauses.
 */
export function LedgerFilters(props: {
  route: LedgerRoute;
  facets: Facets | null;
  onChange(change: Partial<LedgerRoute>): void;
  onJumpToSeq(seq: number): void;
  onJumpToDate(local: string): void;
}) {
  const { route, facets, onChange } = props;
  const [seq, setSeq] = useState('');
  const [date, setDate] = useState('');
  // A value the address names that the ledger has no event of still shows, so it can be cleared.
  const options = (found: string[] | undefined, chosen: string) =>
    chosen && !found?.includes(chosen) ? [chosen, ...(found ?? [])] : (found ?? []);
  return (
    <div className="bar ledger-filters">
      <select
        aria-label="agent"
        data-picker="agent"
        value={route.agentId}
        onChange={(e) => onChange({ agentId: e.target.value })}
      >
        <option value="">{facets ? 'every agent' : 'agents…'}</option>
        {options(facets?.agents, route.agentId).map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <select
        aria-label="event type"
        data-picker="type"
        value={route.type}
        onChange={(e) => onChange({ type: e.target.value })}
      >
        <option value="">{facets ? 'every type' : 'types…'}</option>
        {options(facets?.types, route.type).map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <input
        placeholder="run id"
        aria-label="run id"
        value={route.runId}
        onChange={(e) => onChange({ runId: e.target.value.trim() })}
      />
      {(['from', 'to'] as const).map((key) => (
        <input
          key={key}
          type="datetime-local"
          aria-label={key}
          title={key === 'to' ? 'to (exclusive), local time' : 'from, local time'}
          value={route[key]}
          onChange={(e) => onChange({ [key]: e.target.value })}
        />
      ))}
      <label className="toggle" title="Leave out eval runs' events and the suites' results">
        <input
          type="checkbox"
          data-hide-eval
          checked={route.hideEval}
          onChange={(e) => onChange({ hideEval: e.target.checked })}
        />{' '}
        hide eval events
      </label>
      <form
        className="jump push"
        aria-label="Jump to a seq"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(seq);
          if (Number.isSafeInteger(n) && n > 0) props.onJumpToSeq(n);
        }}
      >
        <input
          type="number"
          min={1}
          step={1}
          placeholder="seq"
          aria-label="jump to seq"
          value={seq}
          onChange={(e) => setSeq(e.target.value)}
        />
        <button type="submit">Go to seq</button>
      </form>
      <form
        className="jump"
        aria-label="Jump to a date"
        onSubmit={(e) => {
          e.preventDefault();
          if (date) props.onJumpToDate(date);
        }}
      >
        <input
          type="datetime-local"
          step={1}
          aria-label="jump to date"
          title="local time"
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
        <button type="submit">Go to date</button>
      </form>
    </div>
  );
}
