import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttled } from '../../src/renderer/src/debounce.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('throttled', () => {
  it('runs at once, then once at the end of the window for any number of calls in it', () => {
    const run = vi.fn();
    const follow = throttled(1_000, run);
    follow();
    expect(run).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 50; i++) follow();
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    expect(run).toHaveBeenCalledTimes(2);
    // Nothing more came: nothing more runs.
    vi.advanceTimersByTime(5_000);
    expect(run).toHaveBeenCalledTimes(2);
    // After a quiet window, the next call runs at once again.
    follow();
    expect(run).toHaveBeenCalledTimes(3);
  });
});
