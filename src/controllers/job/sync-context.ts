/**
 * What one sync of a Job works with (pkg/controller/job/job_controller.go: syncJobCtx) and what
 * it needs from the controller. The Job is a working copy whose status the sync rewrites; its
 * spec and metadata stay the shared, read-only ones.
 */
import type { Job, JobCondition, JobStatus } from '../../api/types/job.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { ApiServer } from '../../cluster/api-server.js';
import type { ControllerExpectations } from '../../cluster/expectations.js';
import type { BackoffRecord } from './backoff.js';
import type { FinalizerExpectations } from './finalizer-expectations.js';
import type { OrderedIntervals } from './intervals.js';
import type { ReadonlyPod } from './job-pods.js';

export interface UncountedStatus {
  succeeded: string[];
  failed: string[];
}

/** A Job with a status this sync may change; the rest is the informer's object. */
export interface WorkingJob extends Omit<DeepReadonly<Job>, 'status'> {
  status: Omit<JobStatus, 'uncountedTerminatedPods'> & { uncountedTerminatedPods: UncountedStatus };
}

export interface SyncJobCtx {
  readonly key: string;
  readonly job: WorkingJob;
  /** The Job's pods that still matter: not finished, or finished but not yet counted. */
  readonly pods: readonly ReadonlyPod[];
  readonly activePods: readonly ReadonlyPod[];
  /** The interim or terminal condition this sync is heading for. */
  finishedCondition?: JobCondition;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
  newBackoffRecord: BackoffRecord;
  readonly expectedRmFinalizers: ReadonlySet<string>;
  /** status.uncountedTerminatedPods as the sync started. */
  readonly uncounted: { readonly succeeded: ReadonlySet<string>; readonly failed: ReadonlySet<string> };
  podsWithDelayedDeletionPerIndex?: ReadonlyMap<number, ReadonlyPod>;
  terminating: number;
  ready: number;
}

/** The controller's services a sync uses. */
export interface JobSyncHost {
  readonly api: ApiServer;
  readonly now: Time;
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations: FinalizerExpectations;
  /** podBackoffStore: the back-off record of each Job key. */
  readonly backoffRecords: Map<string, BackoffRecord>;
  /** queue.AddAfter. */
  enqueueAfter(key: string, delayMs: number): void;
  /** getPodsForJob: the Job's pods after adoption and release. */
  podsForJob(job: DeepReadonly<Job>): ReadonlyPod[];
}
