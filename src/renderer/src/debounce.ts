import { useEffect, useState } from 'react';

/** How long typing must pause before a filter's query runs, ms. */
export const TYPING_PAUSE_MS = 250;

/**
 * The value as it was once it stopped changing for `ms`: a query keyed on it runs once when
 * typing pauses, not on every keystroke. The first value is there at once.
 */
export function useDebounced<T>(value: T, ms = TYPING_PAUSE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
