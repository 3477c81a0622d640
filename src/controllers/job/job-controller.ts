/**
 * The Job controller (pkg/controller/job/job_controller.go): event handlers, the work queue's
 * batching and back-off, pod lookup and claiming, and the cleanup of orphaned tracking
 * finalizers. Each sync is in sync.ts.
 *
 * - Pod events and Job status updates wake a Job after syncJobBatchPeriod (1 s), so a burst of
 *   pod changes makes one sync; a new Job, a spec change or a deletion syncs at once.
 * - A failed sync is retried after 1 s doubling to 1 min (DefaultJobApiBackOff, MaxJobApiBackOff),
 *   the Job controller's own limiter, with a ReconcileError event as the runner would emit.
 * - Pods are found through an index of the pods each Job controls that still matter (not
 *   finished, or finished but not yet counted), plus the namespace's orphans for adoption; a
 *   sync costs the Job's live pods, never the cluster's, nor the Job's thousands of counted ones.
 * - Orphaned pods still carrying the tracking finalizer (their Job gone or finished) are queued
 *   under `pod:<namespace>/<name>` keys in the same queue (upstream: a second queue).
 *
 * Deliberate differences: upstream lists every pod of the namespace to claim; here owned pods
 * that finished and were counted are not listed (nothing reads them any more), and a counted
 * finished pod whose labels stop matching is not released.
 */
import { getControllerOf, isPodTerminal } from '../../api/pod-util.js';
import { compiledLabelSelector, isEmptySelector, type LabelPredicate } from '../../api/label-selector.js';
import { metaKey, splitKey } from '../../api/object-key.js';
import type { Job } from '../../api/types/job.js';
import type { DeepReadonly, OwnerReference } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import { ControllerExpectations } from '../../cluster/expectations.js';
import { INDEX_ORPHANS, type IndexInput, type Informer, ownerReferencesOf } from '../../cluster/informer.js';
import { ItemExponentialFailureRateLimiter } from '../../cluster/rate-limiter.js';
import { ApiError, isApiError } from '../../errors.js';
import { deepEqual } from '../../util/objects.js';
import type { Controller, ControllerContext, Enqueue, ReconcileResult } from '../controller.js';
import type { BackoffRecord } from './backoff.js';
import { isJobFinished } from './conditions.js';
import { FinalizerExpectations } from './finalizer-expectations.js';
import { type ReadonlyJob, type ReadonlyPod, hasJobTrackingFinalizer, managedByExternalController } from './job-pods.js';
import { SYNC_JOB_BATCH_PERIOD_MS } from './manage.js';
import { adoptPod, releasePod, removeTrackingFinalizer } from './pod-patches.js';
import { syncJob } from './sync.js';
import type { JobSyncHost } from './sync-context.js';

/** DefaultJobApiBackOff and MaxJobApiBackOff. */
export const DEFAULT_JOB_API_BACKOFF_MS = 1000;
export const MAX_JOB_API_BACKOFF_MS = 60_000;
/** Pods a Job controls that still matter to it, by the Job's uid. */
export const INDEX_JOB_PODS = 'job/trackedPods';
/** Queue keys of orphaned pods whose tracking finalizer must go. */
export const ORPHAN_POD_KEY_PREFIX = 'pod:';

/** A pod controlled by a Job, unless it finished and was counted (its finalizer is gone). */
export function jobPodIndex(pod: DeepReadonly<Pod>): string | undefined {
  const ref = getControllerOf(pod.metadata);
  if (ref === undefined || ref.kind !== 'Job') return undefined;
  if (isPodTerminal(pod) && !hasJobTrackingFinalizer(pod)) return undefined;
  return ref.uid;
}

/**
 * All {@link jobPodIndex} reads: a status write that keeps the phase (most of them) skips it. The
 * phase is a string, so equal phases are `===` however the status was built.
 */
const JOB_POD_INDEX_INPUT: readonly IndexInput<Pod>[] = [ownerReferencesOf, (pod) => pod.status?.phase, (pod) => pod.metadata.finalizers];

export class JobController implements Controller, JobSyncHost {
  readonly name = 'job';
  readonly api: ControllerContext['api'];
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations = new FinalizerExpectations();
  readonly backoffRecords = new Map<string, BackoffRecord>();
  private readonly jobs: Informer<Job>;
  private readonly pods: Informer<Pod>;
  private readonly apiBackoff = new ItemExponentialFailureRateLimiter(DEFAULT_JOB_API_BACKOFF_MS, MAX_JOB_API_BACKOFF_MS);

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.api = ctx.api;
    this.expectations = new ControllerExpectations(() => ctx.sim.now);
    this.jobs = ctx.informers.forKind<Job>('Job');
    this.pods = ctx.informers.forKind<Pod>('Pod').addIndex(INDEX_JOB_PODS, jobPodIndex, JOB_POD_INDEX_INPUT);
    this.jobs.addEventHandler({
      add: (job) => this.queue.add(metaKey(job.metadata)),
      update: (old, job) => this.updateJob(old, job),
      delete: (job) => {
        this.queue.add(metaKey(job.metadata));
        this.cleanupPodFinalizers(job);
      },
    });
    this.pods.addEventHandler({
      add: (pod) => this.addPod(pod),
      update: (old, pod) => this.updatePod(old, pod),
      delete: (pod) => this.deletePod(pod, true),
    });
  }

  get now(): number {
    return this.ctx.sim.now;
  }

  enqueueAfter(key: string, delayMs: number): void {
    this.queue.addAfter(key, delayMs);
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers: watch events → keys

  private enqueueBatched(job: ReadonlyJob): void {
    this.queue.addAfter(metaKey(job.metadata), SYNC_JOB_BATCH_PERIOD_MS);
  }

  private enqueueOrphanPod(pod: ReadonlyPod): void {
    this.queue.add(ORPHAN_POD_KEY_PREFIX + metaKey(pod.metadata));
  }

  /** resolveControllerRef: the Job a controller reference names, if it is still that Job. */
  private resolve(namespace: string | undefined, ref: DeepReadonly<OwnerReference>): ReadonlyJob | undefined {
    if (ref.kind !== 'Job') return undefined;
    const job = this.jobs.get(namespace, ref.name);
    return job !== undefined && job.metadata.uid === ref.uid ? job : undefined;
  }

  private selectorOf(job: ReadonlyJob): LabelPredicate {
    return compiledLabelSelector(job.spec.selector);
  }

  /** getPodJobs: the Jobs of the pod's namespace whose (non-empty) selector matches it. */
  private enqueueMatchingJobs(pod: ReadonlyPod): void {
    for (const job of this.jobs.list()) {
      if (job.metadata.namespace !== pod.metadata.namespace || isEmptySelector(job.spec.selector)) continue;
      if (this.selectorOf(job)(pod.metadata.labels)) this.enqueueBatched(job);
    }
  }

  private updateJob(old: ReadonlyJob, job: ReadonlyJob): void {
    const key = metaKey(job.metadata);
    // A status update (same generation) batches like pod events; a spec change syncs at once.
    if (job.metadata.generation === old.metadata.generation) this.enqueueBatched(job);
    else this.queue.add(key);
    // A backup: a finished Job's pods should have no finalizers left.
    if (isJobFinished(job)) this.cleanupPodFinalizers(job);
    const startTime = job.status?.startTime;
    const deadline = job.spec.activeDeadlineSeconds;
    if (startTime !== undefined && deadline != null && old.spec.activeDeadlineSeconds !== deadline) {
      this.queue.addAfter(key, deadline * 1000 - (this.now - startTime));
    }
  }

  private addPod(pod: ReadonlyPod): void {
    if (pod.metadata.deletionTimestamp !== undefined) {
      // Already being deleted: not a creation to observe.
      this.deletePod(pod, false);
      return;
    }
    const ref = getControllerOf(pod.metadata);
    if (ref !== undefined) {
      const job = this.resolve(pod.metadata.namespace, ref);
      if (job === undefined) return;
      this.expectations.creationObserved(metaKey(job.metadata));
      this.enqueueBatched(job);
      return;
    }
    if (hasJobTrackingFinalizer(pod)) this.enqueueOrphanPod(pod);
    this.enqueueMatchingJobs(pod);
  }

  private updatePod(old: ReadonlyPod, pod: ReadonlyPod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp !== undefined) {
      // A graceful deletion: replace the pod now rather than when the kubelet confirms.
      this.deletePod(pod, false);
      return;
    }
    // The finalizer may have gone in this update or in one folded into it.
    const finalizerRemoved = !hasJobTrackingFinalizer(pod);
    const ref = getControllerOf(pod.metadata);
    const oldRef = getControllerOf(old.metadata);
    const refChanged = !deepEqual(ref, oldRef);
    if (refChanged && oldRef !== undefined) {
      const oldJob = this.resolve(old.metadata.namespace, oldRef);
      if (oldJob !== undefined) {
        if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(metaKey(oldJob.metadata), pod.metadata.uid ?? '');
        this.enqueueBatched(oldJob);
      }
    }
    if (ref !== undefined) {
      const job = this.resolve(pod.metadata.namespace, ref);
      if (job === undefined) return;
      if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(metaKey(job.metadata), pod.metadata.uid ?? '');
      this.enqueueBatched(job);
      return;
    }
    if (hasJobTrackingFinalizer(pod)) this.enqueueOrphanPod(pod);
    if (refChanged || !deepEqual(pod.metadata.labels, old.metadata.labels)) this.enqueueMatchingJobs(pod);
  }

  /** deletePod: `final` for the pod leaving the store, else its deletion starting. */
  private deletePod(pod: ReadonlyPod, final: boolean): void {
    const ref = getControllerOf(pod.metadata);
    const hasFinalizer = hasJobTrackingFinalizer(pod);
    if (ref === undefined) {
      // Perhaps a Job's pod whose reference the garbage collector removed.
      if (hasFinalizer) this.enqueueOrphanPod(pod);
      return;
    }
    const job = this.resolve(pod.metadata.namespace, ref);
    if (job === undefined || isJobFinished(job)) {
      // No sync will remove this finalizer.
      if (hasFinalizer) this.enqueueOrphanPod(pod);
      return;
    }
    const key = metaKey(job.metadata);
    this.expectations.deletionObserved(key);
    if (final || !hasFinalizer) this.finalizerExpectations.finalizerRemovalObserved(key, pod.metadata.uid ?? '');
    this.enqueueBatched(job);
  }

  /** cleanupPodFinalizers: the Job's pods still carrying the finalizer go to the orphan queue. */
  private cleanupPodFinalizers(job: ReadonlyJob): void {
    for (const pod of this.pods.byIndex(INDEX_JOB_PODS, job.metadata.uid ?? '').values()) {
      if (hasJobTrackingFinalizer(pod)) this.enqueueOrphanPod(pod);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sync

  /**
   * getPodsForJob: the pods the Job controls that still match its selector (releasing the
   * others) plus matching orphans it adopts, unless it is being deleted.
   */
  podsForJob(job: DeepReadonly<Job>): ReadonlyPod[] {
    const matches = this.selectorOf(job);
    const deleting = job.metadata.deletionTimestamp !== undefined;
    const pods: ReadonlyPod[] = [];
    for (const pod of this.pods.byIndex(INDEX_JOB_PODS, job.metadata.uid ?? '').values()) {
      if (matches(pod.metadata.labels)) pods.push(pod);
      else if (!deleting) releasePod(this.api, job, pod);
    }
    if (deleting) return pods;
    for (const pod of this.pods.byIndex(INDEX_ORPHANS, job.metadata.namespace ?? '').values()) {
      if (pod.metadata.deletionTimestamp !== undefined || !matches(pod.metadata.labels)) continue;
      const adopted = adoptPod(this.api, job, pod);
      if (adopted !== undefined) pods.push(adopted);
    }
    return pods;
  }

  reconcile(key: string): ReconcileResult | void {
    try {
      const error = key.startsWith(ORPHAN_POD_KEY_PREFIX) ? this.syncOrphanPod(key.slice(ORPHAN_POD_KEY_PREFIX.length)) : this.syncJobKey(key);
      if (error !== undefined) throw error;
      this.apiBackoff.forget(key);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.retry(key, error);
    }
  }

  private syncJobKey(key: string): ApiError | undefined {
    const job = this.jobs.getByKey(key);
    if (job === undefined) {
      this.expectations.deleteExpectations(key);
      this.finalizerExpectations.deleteExpectations(key);
      this.backoffRecords.delete(key);
      return undefined;
    }
    return syncJob(this, key, job);
  }

  /** syncOrphanPod: removes the finalizer of a pod whose Job is gone or finished. */
  private syncOrphanPod(podKey: string): undefined {
    const pod = this.pods.getByKey(podKey);
    if (pod === undefined) return undefined;
    const ref = getControllerOf(pod.metadata);
    if (ref !== undefined) {
      // Not a batch/v1 Job's: not ours to touch.
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return undefined;
      const job = this.resolve(pod.metadata.namespace, ref);
      if (job !== undefined && (managedByExternalController(job) || !isJobFinished(job))) return undefined;
    }
    try {
      removeTrackingFinalizer(this.api, pod);
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
    return undefined;
  }

  /** processNextWorkItem's AddRateLimited with the Job controller's limiter. */
  private retry(key: string, error: ApiError): void {
    const retry = this.apiBackoff.numRequeues(key) + 1;
    const delay = this.apiBackoff.when(key);
    if (error.reason !== 'Conflict') {
      const { namespace } = splitKey(key.startsWith(ORPHAN_POD_KEY_PREFIX) ? key.slice(ORPHAN_POD_KEY_PREFIX.length) : key);
      this.ctx.events.emit('ReconcileError', { kind: 'Controller', namespace: namespace || undefined, name: this.name }, { key, reason: error.reason, message: error.message, retry });
    }
    this.queue.addAfter(key, delay);
  }
}

export function jobController(ctx: ControllerContext, queue: Enqueue): JobController {
  return new JobController(ctx, queue);
}
