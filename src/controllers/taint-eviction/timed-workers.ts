/**
 * Scheduled pod deletions (pkg/controller/tainteviction/timed_workers.go: TimedWorkerQueue): at
 * most one per pod key, each a virtual-time timer that runs the work at its fire time; work due
 * at once runs at once. Cancelling drops it; a worker that ran removes itself.
 */
import type { Time } from '../../api/types/meta.js';
import type { Simulation, Timer } from '../../engine/simulation.js';

export interface TimedWorker<A> {
  readonly args: A;
  readonly createdAt: Time;
  readonly fireAt: Time;
  readonly timer: Timer | undefined;
}

export class TimedWorkerQueue<A> {
  private readonly workers = new Map<string, TimedWorker<A>>();

  constructor(
    private readonly sim: Simulation,
    private readonly work: (key: string, args: A, fireAt: Time) => void,
  ) {}

  /** AddWork: schedules `args` under `key` at `fireAt`, unless work is already scheduled for it. */
  addWork(key: string, args: A, createdAt: Time, fireAt: Time): void {
    if (this.workers.has(key)) return;
    if (fireAt <= this.sim.now) {
      this.work(key, args, fireAt);
      return;
    }
    const timer = this.sim.scheduleAt(fireAt, () => {
      this.workers.delete(key);
      this.work(key, args, fireAt);
    });
    this.workers.set(key, { args, createdAt, fireAt, timer });
  }

  /** CancelWork: returns whether scheduled work was cancelled. */
  cancelWork(key: string): boolean {
    const worker = this.workers.get(key);
    if (worker === undefined) return false;
    worker.timer?.cancel();
    this.workers.delete(key);
    return true;
  }

  getWorker(key: string): TimedWorker<A> | undefined {
    return this.workers.get(key);
  }

  get size(): number {
    return this.workers.size;
  }
}
