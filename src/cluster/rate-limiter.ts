/**
 * Work-queue rate limiters (client-go util/workqueue/default_rate_limiters.go), on the virtual
 * clock. `when(item)` returns how long the item must wait before it is retried.
 */

export interface RateLimiter {
  /** Delay in ms before `item` may be processed again; counts a failure. */
  when(item: string, now: number): number;
  /** Clears the item's failure history. */
  forget(item: string): void;
  /** Failures recorded for the item since it was last forgotten. */
  numRequeues(item: string): number;
}

/** baseDelay × 2^failures, capped at maxDelay, per item. */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseDelayMs: number,
    private readonly maxDelayMs: number,
  ) {}

  when(item: string): number {
    const exponent = this.failures.get(item) ?? 0;
    this.failures.set(item, exponent + 1);
    const delay = this.baseDelayMs * 2 ** exponent;
    return delay > this.maxDelayMs ? this.maxDelayMs : delay;
  }

  forget(item: string): void {
    // Every reconcile that succeeds forgets its key; most keys never failed, and most of the time
    // no key has: an empty map is not searched.
    if (this.failures.size > 0) this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/** A token bucket shared by all items: `qps` tokens per second, `burst` at most. */
export class BucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last = 0;

  constructor(
    private readonly qps: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  when(_item: string, now: number): number {
    // Refill for the time elapsed, then reserve one token (possibly going into debt).
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.qps);
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The longest delay of several limiters (MaxOfRateLimiter). */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(item: string, now: number): number {
    let delay = 0;
    for (const limiter of this.limiters) delay = Math.max(delay, limiter.when(item, now));
    return delay;
  }

  forget(item: string): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: string): number {
    let requeues = 0;
    for (const limiter of this.limiters) requeues = Math.max(requeues, limiter.numRequeues(item));
    return requeues;
  }
}

/** DefaultControllerRateLimiter: 5 ms doubling to 1000 s per item, and 10 qps / burst 100 overall. */
export function defaultControllerRateLimiter(): RateLimiter {
  return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(5, 1000 * 1000), new BucketRateLimiter(10, 100));
}
