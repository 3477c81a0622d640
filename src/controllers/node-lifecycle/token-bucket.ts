/**
 * The rate limiters of the node lifecycle controller's tainting queues (client-go
 * util/flowcontrol/throttle.go over golang.org/x/time/rate): a token bucket that starts full and
 * refills at `qps` up to `burst` tokens, and the limiter that never accepts.
 *
 * Tokens are computed from virtual milliseconds when asked for, never ticked, so a bucket costs
 * nothing while nobody takes from it.
 */
import type { Time } from '../../api/types/meta.js';

/** Below a token by at most this is a whole token: rates like 0.1/s are not exact in binary. */
const EPSILON = 1e-9;

export interface RateLimiter {
  /** TryAccept: takes a token if one is available at `now`. */
  tryAccept(now: Time): boolean;
  /**
   * QPS() as upstream reports it: the never-accepting limiter reports 1 (so a later swap to a
   * rate of exactly 1/s is skipped, as upstream's SwapLimiter skips it).
   */
  readonly qps: number;
  /** The earliest time at or after `now` when tryAccept would succeed; Infinity for never. */
  nextTokenAt(now: Time): Time;
}

/** NewTokenBucketRateLimiter(qps, burst): initially full. With qps 0 only the first `burst` are allowed, ever. */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: Time;

  constructor(
    readonly qps: number,
    private readonly burst: number,
    now: Time,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private available(now: Time): number {
    if (now <= this.last || this.qps <= 0) return this.tokens;
    return Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
  }

  tryAccept(now: Time): boolean {
    const tokens = this.available(now);
    if (tokens < 1 - EPSILON) return false;
    this.tokens = Math.max(0, tokens - 1);
    this.last = Math.max(this.last, now);
    return true;
  }

  nextTokenAt(now: Time): Time {
    const tokens = this.available(now);
    if (tokens >= 1 - EPSILON) return now;
    if (this.qps <= 0) return Infinity;
    return Math.max(now, this.last) + Math.ceil(((1 - tokens) * 1000) / this.qps - EPSILON);
  }
}

/** NewFakeNeverRateLimiter: what SwapLimiter installs for a rate of 0 (tainting stopped). */
export class NeverRateLimiter implements RateLimiter {
  readonly qps = 1;

  tryAccept(): boolean {
    return false;
  }

  nextTokenAt(): Time {
    return Infinity;
  }
}
