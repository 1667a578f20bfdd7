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
  return (
    <div className="bar ledger-filters">
      <Picker
        name="agent"
        every="every agent"
        found={facets?.agents}
        chosen={route.agentId}
        onPick={(agentId) => onChange({ agentId })}
      />
      <Picker
        name="event type"
        every="every type"
        found={facets?.types}
        chosen={route.type}
        onPick={(type) => onChange({ type })}
      />
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

/**
 * A picker of one filter, filled from the ledger (`found`; undefined while it is read). A value
 * the address names that the ledger has no event of still shows, so it can be cleared.
 */
function Picker(props: {
  name: string;
  every: string;
  found: string[] | undefined;
  chosen: string;
  onPick(value: string): void;
}) {
  const { found, chosen } = props;
  const options = chosen && !found?.includes(chosen) ? [chosen, ...(found ?? [])] : (found ?? []);
  return (
    <select aria-label={props.name} value={chosen} onChange={(e) => props.onPick(e.target.value)}>
      <option value="">{found ? props.every : `${props.name}s…`}</option>
      {options.map((value) => (
        <option key={value} value={value}>
          {value}
        </option>
      ))}
    </select>
  );
}
