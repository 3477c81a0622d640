/**
 * The discrete-event core: an integer-millisecond virtual clock and a future-event list.
 *
 * Knows nothing of Kubernetes. Follows SimPy's shape (simpy/core.py): events are ordered by
 * (time, priority, sequence), `run({until})` stops exactly at its boundary, and an exception
 * raised by an event stops the run instead of being swallowed.
 */
import { EventHeap, MAX_PRIORITY, MAX_TIME } from './event-heap.js';
import { Priority } from './priorities.js';

/** A scheduled callback. Cancelling marks it; the run loop skips it when it comes up. */
export class Timer {
  cancelled = false;
  constructor(
    /** Virtual time (ms) at which the callback runs. */
    readonly time: number,
    readonly callback: () => void,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}

export type RunState = 'drained' | 'until-reached' | 'step-limit';

/** Outcome of {@link Simulation.run}; a run never throws for control flow. */
export interface RunResult {
  /** `drained`: nothing left to do; `until-reached`: stopped at the horizon with events pending;
   *  `step-limit`: stopped after `maxSteps` events (usually a controller requeueing forever). */
  readonly state: RunState;
  /** Virtual time when the run stopped (ms). */
  readonly now: number;
  /** Events executed by this call. */
  readonly steps: number;
}

export interface RunOptions {
  /** Horizon in ms, inclusive: events at exactly `until` run. */
  until?: number;
  /** Stop after this many executed events. Default unlimited. */
  maxSteps?: number;
}

export class Simulation {
  private readonly heap = new EventHeap<Timer>();
  private clock = 0;
  private executed = 0;

  /** Current virtual time in integer milliseconds. */
  get now(): number {
    return this.clock;
  }

  /** Events executed since the simulation was created. */
  get stepsExecuted(): number {
    return this.executed;
  }

  /** Entries in the future-event list, cancelled ones included until they are popped. */
  get pending(): number {
    return this.heap.size;
  }

  /** Runs `callback` after `delay` ms (rounded to an integer, at least 0). */
  schedule(delay: number, callback: () => void, priority: number = Priority.Timer): Timer {
    return this.scheduleAt(this.clock + (delay > 0 ? Math.round(delay) : 0), callback, priority);
  }

  /** Runs `callback` at absolute virtual time `time` (never earlier than now). */
  scheduleAt(time: number, callback: () => void, priority: number = Priority.Timer): Timer {
    if (!(priority >= 0 && priority <= MAX_PRIORITY && Number.isInteger(priority))) {
      throw new RangeError(`schedule: priority must be an integer in [0, ${MAX_PRIORITY}], got ${priority}`);
    }
    const at = time < this.clock ? this.clock : Math.round(time);
    if (!(at <= MAX_TIME)) throw new RangeError(`schedule: time must be at most ${MAX_TIME} ms (about 1,100 years), got ${time}`);
    const timer = new Timer(at, callback);
    this.heap.push(at, priority, timer);
    return timer;
  }

  /**
   * Executes events in (time, priority, sequence) order until the list is empty, the horizon
   * passes or the step limit is hit. When the list drains before `until`, the clock advances to
   * `until` so that consecutive runs tile the timeline exactly.
   */
  run(options: RunOptions = {}): RunResult {
    // The clock never moves backwards, and stays an integer.
    const until = options.until === undefined ? Infinity : Math.max(this.clock, Math.floor(options.until));
    const maxSteps = options.maxSteps ?? Infinity;
    const heap = this.heap;
    let steps = 0;
    while (heap.size > 0) {
      const timer = heap.peek() as Timer;
      if (timer.cancelled) {
        heap.pop();
        continue;
      }
      if (timer.time > until) {
        this.clock = until;
        return { state: 'until-reached', now: this.clock, steps };
      }
      if (steps >= maxSteps) return { state: 'step-limit', now: this.clock, steps };
      heap.pop();
      this.clock = timer.time;
      steps++;
      this.executed++;
      timer.callback();
    }
    if (until !== Infinity) this.clock = until;
    return { state: 'drained', now: this.clock, steps };
  }
}
