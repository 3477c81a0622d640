/**
 * Runs a controller: its work queue, and the processing loop that reconciles queued keys
 * (client-go's processNextWorkItem / handleErr).
 *
 * Processing is scheduled at the Controller priority, after every watch delivery of the same
 * instant, so all the events of one instant coalesce into one reconcile per key. Reconciles
 * take no virtual time (deliberate: controller CPU time is negligible next to pod start-up);
 * one drain handles at most the keys queued when it began, so a controller that requeues
 * itself forever still advances the step counter and hits the step limit.
 */
import { Priority } from '../engine/priorities.js';
import { WorkQueue } from '../cluster/workqueue.js';
import { ApiError } from '../errors.js';
import type { EventLog } from '../cluster/event-log.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';

export class ControllerRunner {
  readonly queue: WorkQueue;
  readonly controller: Controller;
  private scheduled = false;
  private reconciles = 0;
  /** One callback for every drain: a drain is scheduled per burst of work, often. */
  private readonly drainCallback = (): void => this.drain();

  constructor(
    private readonly ctx: ControllerContext,
    factory: ControllerFactory,
  ) {
    this.queue = new WorkQueue(ctx.sim, () => this.scheduleDrain());
    this.controller = factory(ctx, this.queue);
  }

  /** Reconciles performed so far. */
  get reconcileCount(): number {
    return this.reconciles;
  }

  private scheduleDrain(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.ctx.sim.schedule(0, this.drainCallback, Priority.Controller);
  }

  private drain(): void {
    this.scheduled = false;
    for (let budget = this.queue.length; budget > 0; budget--) {
      const key = this.queue.get();
      if (key === undefined) break;
      this.process(key);
    }
    if (this.queue.length > 0) this.scheduleDrain();
  }

  private process(key: string): void {
    this.reconciles++;
    try {
      const result = this.controller.reconcile(key);
      this.queue.forget(key);
      if (result?.requeueRateLimited) this.queue.addRateLimited(key);
      else if (result?.requeueAfter !== undefined) this.queue.addAfter(key, result.requeueAfter);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      handleError(this.ctx.events, this.queue, this.controller, key, error);
    } finally {
      this.queue.done(key);
    }
  }
}

function handleError(events: EventLog, queue: WorkQueue, controller: Controller, key: string, error: ApiError): void {
  const slash = key.indexOf('/');
  const subject = { kind: 'Controller', namespace: slash < 0 ? undefined : key.slice(0, slash), name: controller.name };
  const retries = queue.numRequeues(key);
  if (controller.maxRetries !== undefined && retries >= controller.maxRetries) {
    queue.forget(key);
    events.emit('ReconcileDropped', subject, { key, reason: error.reason, message: error.message });
    return;
  }
  // A Conflict only means the cache was a write behind; upstream retries it without an event.
  if (error.reason !== 'Conflict') events.emit('ReconcileError', subject, { key, reason: error.reason, message: error.message, retry: retries + 1 });
  queue.addRateLimited(key);
}
