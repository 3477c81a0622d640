/**
 * What the Job controller reads from a Job and its pods (pkg/controller/job/job_controller.go:
 * isPodFailed, onlyReplaceFailedPods, pastBackoffLimitOnFailure, activePodsForRemoval,
 * jobSuspended, managedByExternalController; tracking_utils.go: hasJobTrackingFinalizer;
 * indexed_job_utils.go: isIndexedJob, hasBackoffLimitPerIndex, getCompletionIndex and the
 * index failure-count annotations).
 */
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_INDEX_FAILURE_COUNT_ANNOTATION, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION, JOB_TRACKING_FINALIZER } from '../../api/defaults/job.js';
import { isPodReady } from '../../api/pod-util.js';
import type { Job } from '../../api/types/job.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import { deletesBefore } from '../replicaset/pods-to-delete.js';

export type ReadonlyJob = DeepReadonly<Job>;
export type ReadonlyPod = DeepReadonly<Pod>;

/** Index of a pod without a valid completion index. */
export const UNKNOWN_COMPLETION_INDEX = -1;
/** The controller that syncs Jobs whose spec.managedBy is unset or this. */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

export const isIndexedJob = (job: ReadonlyJob): boolean => job.spec.completionMode === 'Indexed';
export const hasBackoffLimitPerIndex = (job: ReadonlyJob): boolean => job.spec.backoffLimitPerIndex != null;
export const jobSuspended = (job: ReadonlyJob): boolean => job.spec.suspend === true;

/** managedByExternalController: another controller owns this Job's status. */
export function managedByExternalController(job: ReadonlyJob): boolean {
  const managedBy = job.spec.managedBy;
  return managedBy != null && managedBy !== JOB_CONTROLLER_NAME;
}

export function hasJobTrackingFinalizer(pod: ReadonlyPod): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/**
 * onlyReplaceFailedPods: podReplacementPolicy Failed, or a podFailurePolicy (which must see a
 * pod's final state): terminating pods are then neither replaced nor counted as failed.
 */
export function onlyReplaceFailedPods(job: ReadonlyJob): boolean {
  return job.spec.podReplacementPolicy === 'Failed' || job.spec.podFailurePolicy != null;
}

/**
 * isPodFailed: phase Failed; otherwise, unless only failed pods are replaced, a deleted pod that
 * did not succeed (an orphan may never reach the Failed phase).
 */
export function isPodFailed(pod: ReadonlyPod, job: ReadonlyJob): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded';
}

/**
 * pastBackoffLimitOnFailure (restartPolicy OnFailure): the restarts of every container, init
 * containers included, of the Running and Pending pods reach backoffLimit (exceed it, when 0).
 */
export function pastBackoffLimitOnFailure(job: ReadonlyJob, pods: readonly ReadonlyPod[]): boolean {
  if (job.spec.template.spec.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const status of pod.status?.initContainerStatuses ?? []) restarts += status.restartCount;
    for (const status of pod.status?.containerStatuses ?? []) restarts += status.restartCount;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Readiness by (immutable) status object: a sync counts the same unchanged pods every second. */
const readiness = new WeakMap<object, boolean>();

export function countReadyPods(pods: readonly ReadonlyPod[]): number {
  let ready = 0;
  for (const pod of pods) {
    const status = pod.status;
    if (status === undefined) continue;
    let isReady = readiness.get(status);
    if (isReady === undefined) readiness.set(status, (isReady = isPodReady(pod)));
    if (isReady) ready++;
  }
  return ready;
}

/** Parsed indexes by (immutable) annotation map: syncs sort and scan the same pods again and again. */
const completionIndexes = new WeakMap<object, number>();

/** getCompletionIndex: the annotation as a non-negative integer, else UNKNOWN_COMPLETION_INDEX. */
export function getCompletionIndex(pod: ReadonlyPod): number {
  const annotations = pod.metadata.annotations;
  if (annotations === undefined) return UNKNOWN_COMPLETION_INDEX;
  let index = completionIndexes.get(annotations);
  if (index === undefined) {
    const value = annotations[JOB_COMPLETION_INDEX_ANNOTATION];
    index = value === undefined || !/^[+-]?\d+$/.test(value) || Number(value) < 0 ? UNKNOWN_COMPLETION_INDEX : Number(value);
    completionIndexes.set(annotations, index);
  }
  return index;
}

/** parseInt32 of an annotation: 0 when absent, unparsable, negative or beyond int32. */
function annotationInt32(pod: ReadonlyPod, key: string): number {
  const value = pod.metadata.annotations?.[key];
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return 0;
  const n = Number(value);
  return n < 0 || n > 2147483647 ? 0 : n;
}

/** getIndexFailureCount: failures of the index counted so far, as the pod carries them. */
export const getIndexFailureCount = (pod: ReadonlyPod): number => annotationInt32(pod, JOB_INDEX_FAILURE_COUNT_ANNOTATION);
export const getIndexIgnoredFailureCount = (pod: ReadonlyPod): number => annotationInt32(pod, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
/** getIndexAbsoluteFailureCount: counted and ignored failures, what the per-index back-off uses. */
export const getIndexAbsoluteFailureCount = (pod: ReadonlyPod): number => getIndexFailureCount(pod) + getIndexIgnoredFailureCount(pod);

/**
 * controller.ActivePods ordering (the order pods are removed in): unscheduled before scheduled,
 * Pending < Unknown < Running, not ready before ready, ready for less time first, more restarts
 * first, newer first. Upstream's sort is unstable; this one is stable over the input order.
 */
export function sortActivePods(pods: readonly ReadonlyPod[]): ReadonlyPod[] {
  const options = { podDeletionCost: false, logarithmicScaleDown: false };
  return [...pods].sort((a, b) => (deletesBefore(a, 0, b, 0, undefined, options) ? -1 : deletesBefore(b, 0, a, 0, undefined, options) ? 1 : 0));
}

/** byCompletionIndex, stable. */
export function sortByCompletionIndex(pods: readonly ReadonlyPod[]): ReadonlyPod[] {
  return [...pods].sort((a, b) => getCompletionIndex(a) - getCompletionIndex(b));
}
