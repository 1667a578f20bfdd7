import type { JsonValue } from '../../shared/json.js';

/** How much of one value (a tool's result, a run's output) an event keeps whole, in characters of JSON. */
export const LEDGER_VALUE_CHARS = 64 * 1024;

/**
 * A value as an event keeps it: whole while its JSON fits, else the first
 * {@link LEDGER_VALUE_CHARS} characters of its JSON with an ellipsis and `truncated: true`.
 * The ledger never stores an oversized value whole; whoever asked for it got it whole.
 */
export function forLedger(value: JsonValue): { value: JsonValue; truncated?: true } {
  const json = JSON.stringify(value);
  if (json.length <= LEDGER_VALUE_CHARS) return { value };
  return { value: `${json.slice(0, LEDGER_VALUE_CHARS)}…`, truncated: true };
}
