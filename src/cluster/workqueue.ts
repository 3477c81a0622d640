/**
 * A rate-limited delaying work queue with client-go semantics (util/workqueue/queue.go,
 * delaying_queue.go, rate_limiting_queue.go), on the virtual clock:
 * - a key is queued at most once: adding a queued key is a no-op (events coalesce);
 * - a key is never processed twice at once: a key added while being processed is queued again
 *   only when `done` is called;
 * - `addAfter` keeps the earliest pending time per key;
 * - `addRateLimited` waits the rate limiter's delay; `forget` clears the key's failures.
 */
import { Priority } from '../engine/priorities.js';
import type { Simulation, Timer } from '../engine/simulation.js';
import { type RateLimiter, defaultControllerRateLimiter } from './rate-limiter.js';

/**
 * A key's state while it is queued or being processed (client-go's dirty and processing sets, as
 * two flags on one record): a key costs one lookup when added and none when handed out, instead
 * of a lookup in each set at every step (keys are strings, the sets large and the steps frequent).
 */
interface Item {
  readonly key: string;
  /** Added since it was last handed out (client-go: in the dirty set). */
  dirty: boolean;
  /** Handed out by `get` and not yet `done` (client-go: in the processing set). */
  processing: boolean;
}

export class WorkQueue {
  /** The queued items, in order, from `head` on. */
  private readonly queue: Item[] = [];
  private head = 0;
  /**
   * The items of keys that are dirty or processing, and of idle keys (neither) until the next
   * sweep. An idle item stays for the key's next add, rather than leaving at once: a map whose
   * size swings with each burst of work is shrunk by V8 on deletes and grown again on adds, each
   * time rebuilding its table, which made `done`'s delete its costliest line.
   */
  private items = new Map<string, Item>();
  /** Items in `items` that are neither dirty nor processing. */
  private idle = 0;
  /** The item `get` handed out last: `done` usually follows for the same key, without a lookup. */
  private current: Item | undefined;
  private readonly waiting = new Map<string, Timer>();

  /**
   * @param onReady called whenever a key becomes available to `get`; the controller runner
   *   uses it to schedule processing.
   */
  constructor(
    private readonly sim: Simulation,
    private readonly onReady: () => void = () => {},
    private readonly rateLimiter: RateLimiter = defaultControllerRateLimiter(),
  ) {}

  /** Keys waiting to be processed (not counting delayed ones). */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Keys waiting on `addAfter` / `addRateLimited`. */
  get delayed(): number {
    return this.waiting.size;
  }

  add(key: string): void {
    let item = this.items.get(key);
    if (item === undefined) {
      this.items.set(key, (item = { key, dirty: true, processing: false }));
    } else {
      if (item.dirty) return;
      item.dirty = true;
      if (item.processing) return;
      this.idle--;
    }
    this.queue.push(item);
    this.onReady();
  }

  /** Adds `key` after `delayMs`; an earlier pending add wins over a later one. */
  addAfter(key: string, delayMs: number): void {
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.sim.now + Math.round(delayMs);
    const pending = this.waiting.get(key);
    if (pending !== undefined) {
      if (pending.time <= at) return;
      pending.cancel();
    }
    const timer = this.sim.scheduleAt(at, () => {
      this.waiting.delete(key);
      this.add(key);
    }, Priority.Timer);
    this.waiting.set(key, timer);
  }

  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key, this.sim.now));
  }

  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** The next key to process (now marked processing), or undefined when empty. */
  get(): string | undefined {
    if (this.head >= this.queue.length) return undefined;
    const item = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    item.processing = true;
    item.dirty = false;
    this.current = item;
    return item.key;
  }

  /** Marks `key` processed; requeues it if it was added meanwhile. */
  done(key: string): void {
    const current = this.current;
    const item = current !== undefined && current.key === key ? current : this.items.get(key);
    this.current = undefined;
    // Only a key being processed is done: a repeated or stray call changes nothing (and must not
    // count the key idle twice).
    if (item === undefined || !item.processing) return;
    item.processing = false;
    if (item.dirty) {
      this.queue.push(item);
      this.onReady();
    } else if (++this.idle >= IDLE_SWEEP_MIN && this.idle * 2 > this.items.size) {
      this.sweep();
    }
  }

  /**
   * Drops the idle items, keeping their number below the busy ones' (and a fixed minimum): memory
   * stays proportional to the work in hand. A sweep visits fewer than twice as many items as
   * `done` calls made idle ones since the last, so its cost per call is constant.
   */
  private sweep(): void {
    const busy = new Map<string, Item>();
    for (const [key, item] of this.items) if (item.dirty || item.processing) busy.set(key, item);
    this.items = busy;
    this.idle = 0;
  }
}

/** Idle items kept before a sweep, whatever the number of busy ones. */
const IDLE_SWEEP_MIN = 4096;
