/**
 * The run queue: at most `limit` runs in flight, the rest wait their turn, first come first
 * served. Handoff children run inside their parent's slot, so a full queue of parents never
 * waits forever on their children.
 */
export class RunQueue {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Runs `task` when a slot is free, and frees the slot when it ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight += 1;
    try {
      return await task();
    } finally {
      this.inFlight -= 1;
      this.waiting.shift()?.();
    }
  }

  /** Runs in flight now. */
  get running(): number {
    return this.inFlight;
  }

  /** Runs waiting for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }
}
