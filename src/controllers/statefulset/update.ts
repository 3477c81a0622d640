/**
 * One StatefulSet sync's pod work (pkg/controller/statefulset/stateful_set_control.go:
 * updateStatefulSet, processReplica, processCondemned, runForAll, slowStartBatch,
 * updateStatefulSetAfterInvariantEstablished), with MaxUnavailableStatefulSet on as in 1.35.
 *
 * The pods are split into replicas (ordinals in range, missing ones filled with new pod objects at
 * the right revision) and condemned pods (out of range, highest ordinal first). Then:
 * 1. every replica, in ascending ordinal: a failed or succeeded pod is deleted (recreated on a
 *    later sync); a missing pod is created after its claims — with OrderedReady the sync stops
 *    after one creation, and stops at the first pod that is terminating, not Running+Ready or not
 *    available; an existing pod's identity, storage and claim owners are repaired;
 * 2. condemned pods get their claims' owner references for the retention policy;
 * 3. condemned pods are deleted, highest ordinal first — with OrderedReady one per sync, and
 *    only when the pod is healthy or is the first unhealthy pod;
 * 4. RollingUpdate only: with U replicas unavailable and maxUnavailable M, up to M − U pods not at
 *    the update revision are deleted, from the highest ordinal down to the partition. With 5
 *    replicas, partition 3 and M = 1: ordinal 4 goes first, then — once its replacement is
 *    available — ordinal 3; ordinals 0–2 keep the current revision.
 * Parallel runs steps 1–3 over all pods in slow-start batches (1, 2, 4, …, at most 500) and
 * blocks on nothing.
 *
 * Errors: an ApiError stops the step it happens in (after the rest of its batch, in Parallel)
 * and is returned with the status computed so far, which the caller still writes, as upstream.
 */
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { ControllerRevision } from '../../api/types/controller-revision.js';
import type { StatefulSet, StatefulSetStatus } from '../../api/types/statefulset.js';
import { type ApiError, isApiError } from '../../errors.js';
import { getOrdinal, getPodRevision, getStartOrdinal, identityMatches, newVersionedStatefulSetPod, storageMatches } from './identity.js';
import type { StatefulPodControl } from './pod-control.js';
import {
  allowsBurst, byDescendingOrdinal, isCreated, isFailed, isPending, isRunningAndAvailable, isRunningAndReady, isSucceeded, isTerminating, isUnavailable,
} from './pod-state.js';
import { applyRevision } from './revisions.js';
import { computeReplicaStatus, getStatefulSetMaxUnavailable } from './status.js';

type ReadonlySet = DeepReadonly<StatefulSet>;
type ReadonlyPod = DeepReadonly<Pod>;
type ReadonlyRevision = DeepReadonly<ControllerRevision>;

/** MaxBatchSize: a realistic bound on requests in flight in Parallel mode. */
export const MAX_BATCH_SIZE = 500;

export interface UpdateResult {
  readonly status: StatefulSetStatus;
  /** The write that failed, if any: the sync is retried with back-off. */
  readonly error?: ApiError;
}

/** Where a step stopped: `exit` when the sync must go no further. */
interface StepResult {
  readonly exit: boolean;
  readonly error?: ApiError;
}

/**
 * slowStartBatch as the StatefulSet controller has it: batches of 1, 2, 4, … capped at 500, each
 * call given its index; a batch with an error ends the run after the whole batch.
 */
export function slowStartBatch(initialBatchSize: number, remaining: number, fn: (index: number) => void): { successes: number; error?: ApiError } {
  let successes = 0;
  let index = 0;
  let left = remaining;
  for (let batchSize = Math.min(left, initialBatchSize); batchSize > 0; batchSize = Math.min(Math.min(2 * batchSize, left), MAX_BATCH_SIZE)) {
    let firstError: ApiError | undefined;
    for (let i = 0; i < batchSize; i++) {
      try {
        fn(index++);
        successes++;
      } catch (error) {
        if (!isApiError(error)) throw error;
        firstError ??= error;
      }
    }
    if (firstError !== undefined) return { successes, error: firstError };
    left -= batchSize;
  }
  return { successes };
}

/** runForAll: in order, stopping at the first exit (OrderedReady), or in slow-start batches (Parallel). */
function runForAll(count: number, fn: (index: number) => boolean, monotonic: boolean): StepResult {
  if (monotonic) {
    for (let i = 0; i < count; i++) {
      try {
        if (fn(i)) return { exit: true };
      } catch (error) {
        if (!isApiError(error)) throw error;
        return { exit: true, error };
      }
    }
    return { exit: false };
  }
  const { error } = slowStartBatch(1, count, (i) => void fn(i));
  return error !== undefined ? { exit: true, error } : { exit: false };
}

/** What one sync's pod work needs. */
export interface UpdateContext {
  readonly podControl: StatefulPodControl;
  readonly now: Time;
}

/** updateStatefulSet: see the file header. */
export function updateStatefulSet(
  c: UpdateContext,
  set: ReadonlySet,
  currentRevision: ReadonlyRevision,
  updateRevision: ReadonlyRevision,
  collisionCount: number,
  pods: readonly ReadonlyPod[],
): UpdateResult {
  const currentSet = applyRevision(set, currentRevision);
  const updateSet = applyRevision(set, updateRevision);
  const minReadySeconds = set.spec.minReadySeconds ?? 0;
  const current = currentRevision.metadata.name;
  const update = updateRevision.metadata.name;
  // The counts are filled in before every return (recount): from all pods for a set being
  // deleted, from the replicas and condemned pods otherwise — the same pods, as upstream's two
  // updateStatus calls count them.
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation,
    currentRevision: current,
    updateRevision: update,
    collisionCount,
    replicas: 0,
  };
  const recount = (lists: readonly (readonly ReadonlyPod[])[]): void => {
    Object.assign(status, computeReplicaStatus(lists, minReadySeconds, current, update, c.now));
  };

  const replicaCount = set.spec.replicas ?? 1;
  const start = getStartOrdinal(set);
  const replicas: ReadonlyPod[] = new Array<ReadonlyPod>(replicaCount);
  const condemned: ReadonlyPod[] = [];
  for (const pod of pods) {
    // podInOrdinalRange; a pod whose ordinal does not parse is ignored.
    const ordinal = getOrdinal(pod);
    if (ordinal >= start && ordinal < start + replicaCount) replicas[ordinal - start] = pod;
    else if (ordinal >= 0) condemned.push(pod);
  }
  for (let i = 0; i < replicaCount; i++) {
    replicas[i] ??= newVersionedStatefulSetPod(currentSet, updateSet, current, update, start + i) as ReadonlyPod;
  }
  condemned.sort(byDescendingOrdinal);

  // The first unavailable pod: lowest replica, else lowest condemned.
  let firstUnavailablePod: ReadonlyPod | undefined;
  for (const pod of replicas) {
    if (isUnavailable(pod, minReadySeconds, c.now)) {
      firstUnavailablePod = pod;
      break;
    }
  }
  for (let i = condemned.length - 1; i >= 0 && firstUnavailablePod === undefined; i--) {
    if (isUnavailable(condemned[i], minReadySeconds, c.now)) firstUnavailablePod = condemned[i];
  }

  // A StatefulSet being deleted only gets its status updated.
  if (set.metadata.deletionTimestamp !== undefined) {
    recount([pods]);
    return { status };
  }

  const monotonic = !allowsBurst(set);
  const done = (step: StepResult): UpdateResult => {
    recount([replicas, condemned]);
    return { status, error: step.error };
  };

  const replicaStep = runForAll(replicas.length, (i) => processReplica(c, set, updateSet, monotonic, replicas, i, minReadySeconds), monotonic);
  if (replicaStep.exit) return done(replicaStep);

  const claimStep = runForAll(condemned.length, (i) => {
    if (!c.podControl.claimsMatchRetentionPolicy(updateSet, condemned[i])) c.podControl.updatePodClaimForRetentionPolicy(updateSet, condemned[i]);
    return false;
  }, monotonic);
  if (claimStep.exit) return done(claimStep);

  const condemnedStep = runForAll(condemned.length, (i) => processCondemned(c, firstUnavailablePod, monotonic, condemned, i, minReadySeconds), monotonic);
  if (condemnedStep.exit) return done(condemnedStep);

  recount([replicas, condemned]);
  // OnDelete: pods are updated only when someone deletes them.
  if (set.spec.updateStrategy?.type === 'OnDelete') return { status };
  return updateStatefulSetAfterInvariantEstablished(c, set, replicas, update, status, minReadySeconds);
}

/** processReplica: returns whether the sync must stop here; throws an ApiError when a write fails. */
function processReplica(
  c: UpdateContext,
  set: ReadonlySet,
  updateSet: ReadonlySet,
  monotonic: boolean,
  replicas: ReadonlyPod[],
  i: number,
  minReadySeconds: number,
): boolean {
  const pod = replicas[i];
  // A failed pod, and a succeeded one (a forcibly stopped pod's phase follows its exit code), is
  // deleted; its replacement is created on a later sync, once it is gone.
  if (isFailed(pod) || isSucceeded(pod)) {
    if (!isTerminating(pod)) c.podControl.deleteStatefulPod(pod);
    return true;
  }
  if (!isCreated(pod)) {
    // A claim still owned by the previous pod of this name is about to be collected: wait.
    if (c.podControl.podClaimIsStale(set, pod)) return true;
    c.podControl.createStatefulPod(set, pod as Pod);
    if (monotonic) return true;
  }
  if (isPending(pod)) c.podControl.createMissingPersistentVolumeClaims(set, pod);
  if (monotonic && isTerminating(pod)) return true;
  if (monotonic && !isRunningAndReady(pod)) return true;
  if (monotonic && !isRunningAndAvailable(pod, minReadySeconds, c.now)) return true;
  // Enforce the invariants; a claim that cannot be checked counts as matching.
  if (identityMatches(set, pod) && storageMatches(set, pod) && c.podControl.claimsMatchRetentionPolicy(updateSet, pod)) return false;
  c.podControl.updateStatefulPod(updateSet, pod);
  return false;
}

/** processCondemned: delete a condemned pod when the ordering allows it. */
function processCondemned(
  c: UpdateContext,
  firstUnhealthyPod: ReadonlyPod | undefined,
  monotonic: boolean,
  condemned: readonly ReadonlyPod[],
  i: number,
  minReadySeconds: number,
): boolean {
  const pod = condemned[i];
  // Monotonic: wait for a terminating pod to be gone before deleting the next.
  if (isTerminating(pod)) return monotonic;
  // Monotonic: an unhealthy pod may go only if it is the first unhealthy one.
  if (monotonic && pod !== firstUnhealthyPod && !isRunningAndReady(pod)) return true;
  if (monotonic && pod !== firstUnhealthyPod && !isRunningAndAvailable(pod, minReadySeconds, c.now)) return true;
  c.podControl.deleteStatefulPod(pod);
  return true;
}

/**
 * updateStatefulSetAfterInvariantEstablished: delete up to maxUnavailable − unavailable outdated
 * pods, highest ordinal first, down to the partition.
 */
export function updateStatefulSetAfterInvariantEstablished(
  c: UpdateContext,
  set: ReadonlySet,
  replicas: readonly ReadonlyPod[],
  updateRevision: string,
  status: StatefulSetStatus,
  minReadySeconds: number,
): UpdateResult {
  const rolling = set.spec.updateStrategy?.rollingUpdate;
  let updateMin = 0;
  let maxUnavailable = 1;
  if (rolling !== undefined && rolling !== null) {
    updateMin = rolling.partition ?? 0;
    maxUnavailable = getStatefulSetMaxUnavailable(rolling.maxUnavailable, replicas.length);
  }
  let unavailable = 0;
  for (const pod of replicas) if (isUnavailable(pod, minReadySeconds, c.now)) unavailable++;
  if (unavailable > maxUnavailable) return { status };
  const toDelete = maxUnavailable - unavailable;
  let deleted = 0;
  for (let target = replicas.length - 1; target >= updateMin && deleted < toDelete; target--) {
    const pod = replicas[target];
    if (getPodRevision(pod) === updateRevision || isTerminating(pod)) continue;
    try {
      c.podControl.deleteStatefulPod(pod);
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (error.reason !== 'NotFound') return { status, error };
    }
    deleted++;
    status.currentReplicas = (status.currentReplicas ?? 0) - 1;
  }
  return { status };
}
