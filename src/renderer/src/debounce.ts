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

/** `run` at once, then at most once per `ms`: calls in between make one more call at the end of the window. */
export function throttled(ms: number, run: () => void): () => void {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) return;
    const wait = last + ms - performance.now();
    if (wait <= 0) {
      last = performance.now();
      run();
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      last = performance.now();
      run();
    }, wait);
  };
}
