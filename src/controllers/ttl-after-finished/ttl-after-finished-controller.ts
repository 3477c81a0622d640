/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished/ttlafterfinished_controller.go):
 * deletes a finished Job `ttlSecondsAfterFinished` after it finished, with foreground cascading
 * deletion (its pods go first) and a uid precondition.
 *
 * A Job is finished when Complete or Failed is True; it finished at that condition's
 * lastTransitionTime. A Job not yet due is looked at again when it will be; just before deleting,
 * the controller re-reads the Job uncached, in case its TTL changed meanwhile. The work queue uses
 * the default controller rate limiter, as upstream.
 */
import { metaKey, splitKey } from '../../api/object-key.js';
import type { Job } from '../../api/types/job.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Informer } from '../../cluster/informer.js';
import { isApiError } from '../../errors.js';
import type { Controller, ControllerContext, Enqueue, ReconcileResult } from '../controller.js';

type ReadonlyJob = DeepReadonly<Job>;

/** jobFinishTime: when Complete or Failed turned True, if the Job finished. */
export function jobFinishTime(job: ReadonlyJob): Time | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.lastTransitionTime;
  }
  return undefined;
}

/** needsCleanup: a finished Job with a TTL, not already being deleted. */
export function needsCleanup(job: ReadonlyJob): boolean {
  return job.metadata.deletionTimestamp === undefined && job.spec.ttlSecondsAfterFinished != null && jobFinishTime(job) !== undefined;
}

/** timeLeft: ms until the TTL expires (≤ 0: expired), for a Job that needs cleanup. */
export function timeLeft(job: ReadonlyJob, now: Time): number {
  return (jobFinishTime(job) ?? now) + (job.spec.ttlSecondsAfterFinished ?? 0) * 1000 - now;
}

export class TtlAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished';
  private readonly jobs: Informer<Job>;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.jobs = ctx.informers.forKind<Job>('Job');
    const enqueue = (job: ReadonlyJob): void => {
      if (needsCleanup(job)) this.queue.add(metaKey(job.metadata));
    };
    this.jobs.addEventHandler({ add: enqueue, update: (_old, job) => enqueue(job) });
  }

  /** processTTL: whether the TTL expired; if it will later, a requeue for then. */
  private expired(job: ReadonlyJob): boolean {
    if (!needsCleanup(job)) return false;
    const left = timeLeft(job, this.ctx.sim.now);
    if (left <= 0) return true;
    this.queue.addAfter(metaKey(job.metadata), left);
    return false;
  }

  reconcile(key: string): ReconcileResult | void {
    const job = this.jobs.getByKey(key);
    if (job === undefined || !this.expired(job)) return;
    // The cached TTL may be stale: decide on the Job as stored.
    const { namespace, name } = splitKey(key);
    const fresh = this.ctx.api.get<Job>('Job', namespace, name);
    if (fresh === undefined || !this.expired(fresh)) return;
    try {
      this.ctx.api.delete('Job', namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } });
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
  }
}

export function ttlAfterFinishedController(ctx: ControllerContext, queue: Enqueue): TtlAfterFinishedController {
  return new TtlAfterFinishedController(ctx, queue);
}
