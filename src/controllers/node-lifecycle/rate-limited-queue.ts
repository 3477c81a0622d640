/**
 * The per-zone tainting queue (pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go):
 * UniqueQueue, a queue of node names ordered by when each is due that accepts a name only once
 * until it is explicitly removed, and RateLimitedTimedQueue, which hands its head to a function
 * only when the zone's rate limiter gives a token.
 *
 * Upstream orders the queue with a heap, which breaks ties between equal times arbitrarily; here
 * ties keep insertion order, so nodes marked in the same pass are tainted in the order the pass
 * looked at them.
 */
import type { Time } from '../../api/types/meta.js';
import { NeverRateLimiter, type RateLimiter, TokenBucket } from './token-bucket.js';

/** EvictionRateLimiterBurst: every zone limiter lets one node through at a time. */
export const EVICTION_RATE_LIMITER_BURST = 1;

/** TimedValue: a node name due at `processAt`. */
export interface TimedValue {
  readonly value: string;
  readonly uid: string;
  readonly addedAt: Time;
  processAt: Time;
}

/** UniqueQueue: each value at most once until Remove; processed values stay in the set. */
export class UniqueQueue {
  private readonly queue: TimedValue[] = [];
  private readonly set = new Set<string>();

  get length(): number {
    return this.queue.length;
  }

  /** Adds `value` unless it was added before and not removed since. */
  add(value: TimedValue): boolean {
    if (this.set.has(value.value)) return false;
    this.insert(value);
    this.set.add(value.value);
    return true;
  }

  /** Replaces the queued entry with the same value (a retry at a later time). */
  replace(value: TimedValue): boolean {
    const i = this.queue.findIndex((v) => v.value === value.value);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    this.insert(value);
    return true;
  }

  /** Takes `value` out of the queue but keeps it in the set, so it is not added again. */
  removeFromQueue(value: string): boolean {
    if (!this.set.has(value)) return false;
    const i = this.queue.findIndex((v) => v.value === value);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  /** Forgets `value` entirely, so it may be added again. */
  remove(value: string): boolean {
    if (!this.set.delete(value)) return false;
    const i = this.queue.findIndex((v) => v.value === value);
    if (i >= 0) this.queue.splice(i, 1);
    return true;
  }

  head(): TimedValue | undefined {
    return this.queue[0];
  }

  private insert(value: TimedValue): void {
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].processAt > value.processAt) i--;
    this.queue.splice(i, 0, value);
  }
}

/** What the function given to try() decided about a value: done, or retry after `retryAfterMs`. */
export type TryResult = { readonly done: true } | { readonly done: false; readonly retryAfterMs: number };

export class RateLimitedTimedQueue {
  private readonly queue = new UniqueQueue();

  constructor(private limiter: RateLimiter) {}

  get length(): number {
    return this.queue.length;
  }

  get qps(): number {
    return this.limiter.qps;
  }

  /**
   * Try: while the limiter gives a token, hands the head to `fn` if it is due. A token is spent
   * even when the head is not due yet, as upstream spends it.
   */
  try(now: Time, fn: (value: TimedValue) => TryResult): void {
    let head = this.queue.head();
    while (head !== undefined) {
      if (!this.limiter.tryAccept(now)) break;
      if (now < head.processAt) break;
      const result = fn(head);
      if (result.done) this.queue.removeFromQueue(head.value);
      else this.queue.replace({ ...head, processAt: now + result.retryAfterMs });
      head = this.queue.head();
    }
  }

  /** Add: queues the node now, unless it was queued (and not removed) before. */
  add(value: string, uid: string, now: Time): boolean {
    return this.queue.add({ value, uid, addedAt: now, processAt: now });
  }

  remove(value: string): boolean {
    return this.queue.remove(value);
  }

  /**
   * SwapLimiter: a new limiter when the rate changes — never-accepting for 0, else a token bucket
   * of burst 1 that starts empty if the old one had no token left (so a swap is no way round the
   * rate).
   */
  swapLimiter(qps: number, now: Time): void {
    if (this.limiter.qps === qps) return;
    if (qps <= 0) {
      this.limiter = new NeverRateLimiter();
      return;
    }
    const next = new TokenBucket(qps, EVICTION_RATE_LIMITER_BURST, now);
    if (!this.limiter.tryAccept(now)) next.tryAccept(now);
    this.limiter = next;
  }

  /** When a Try would next take a token: never while the queue is empty. */
  nextTryAt(now: Time): Time {
    return this.queue.length === 0 ? Infinity : this.limiter.nextTokenAt(now);
  }
}
