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
 * blocks on nothing. updateParallelFromMemo does the same for a Parallel set from what its last
 * sync saw (sync-memo.ts), calling step 1 only for the ordinals where it can do something.
 *
 * Errors: an ApiError stops the step it happens in (after the rest of its batch, in Parallel)
 * and is returned with the status computed so far, which the caller still writes, as upstream.
 */
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { ControllerRevision } from '../../api/types/controller-revision.js';
import type { StatefulSet, StatefulSetStatus } from '../../api/types/statefulset.js';
import { type ApiError, isApiError } from '../../errors.js';
import { getStartOrdinal, identityMatches, newVersionedStatefulSetPod, storageMatches } from './identity.js';
import type { StatefulPodControl } from './pod-control.js';
import {
  type PodFacts,
  allowsBurst,
  factsAvailable,
  factsRunningAndReady,
  factsUnavailable,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  podFacts,
} from './pod-state.js';
import { applyRevision } from './revisions.js';
import type { ParallelSyncMemo } from './sync-memo.js';
import { computeReplicaStatusOfFacts, getStatefulSetMaxUnavailable } from './status.js';

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
  // Each pod's facts (its ordinal, revision, readiness) are looked up once here and read from
  // these arrays by every step below.
  const recount = (lists: readonly (readonly PodFacts[])[]): void => {
    Object.assign(status, computeReplicaStatusOfFacts(lists, minReadySeconds, current, update, c.now));
  };

  const replicaCount = set.spec.replicas ?? 1;
  const start = getStartOrdinal(set);
  const replicas: ReadonlyPod[] = new Array<ReadonlyPod>(replicaCount);
  const replicaFacts: PodFacts[] = new Array<PodFacts>(replicaCount);
  let condemned: ReadonlyPod[] = [];
  let condemnedFacts: PodFacts[] = [];
  for (const pod of pods) {
    // podInOrdinalRange; a pod whose ordinal does not parse is ignored.
    const facts = podFacts(pod);
    const ordinal = facts.ordinal;
    if (ordinal >= start && ordinal < start + replicaCount) {
      replicas[ordinal - start] = pod;
      replicaFacts[ordinal - start] = facts;
    } else if (ordinal >= 0) {
      condemned.push(pod);
      condemnedFacts.push(facts);
    }
  }
  for (let i = 0; i < replicaCount; i++) {
    if (replicas[i] !== undefined) continue;
    replicas[i] = newVersionedStatefulSetPod(currentSet, updateSet, current, update, start + i) as ReadonlyPod;
    replicaFacts[i] = podFacts(replicas[i]);
  }
  // descendingOrdinal: highest ordinal first, stable on ties (as Array.prototype.sort is).
  if (condemned.length > 1) {
    const order = condemnedFacts.map((_, i) => i).sort((a, b) => condemnedFacts[b].ordinal - condemnedFacts[a].ordinal);
    condemned = order.map((i) => condemned[i]);
    condemnedFacts = order.map((i) => condemnedFacts[i]);
  }

  // The first unavailable pod: lowest replica, else lowest condemned.
  let firstUnavailablePod: ReadonlyPod | undefined;
  for (let i = 0; i < replicas.length; i++) {
    if (factsUnavailable(replicaFacts[i], minReadySeconds, c.now)) {
      firstUnavailablePod = replicas[i];
      break;
    }
  }
  for (let i = condemned.length - 1; i >= 0 && firstUnavailablePod === undefined; i--) {
    if (factsUnavailable(condemnedFacts[i], minReadySeconds, c.now)) firstUnavailablePod = condemned[i];
  }

  // A StatefulSet being deleted only gets its status updated.
  if (set.metadata.deletionTimestamp !== undefined) {
    recount([pods.map(podFacts)]);
    return { status };
  }

  const monotonic = !allowsBurst(set);
  const done = (step: StepResult): UpdateResult => {
    recount([replicaFacts, condemnedFacts]);
    return { status, error: step.error };
  };

  const replicaStep = runForAll(replicas.length, (i) => processReplica(c, set, updateSet, monotonic, replicas[i], replicaFacts[i], minReadySeconds), monotonic);
  if (replicaStep.exit) return done(replicaStep);

  const claimStep = runForAll(condemned.length, (i) => {
    if (!c.podControl.claimsMatchRetentionPolicy(updateSet, condemned[i])) c.podControl.updatePodClaimForRetentionPolicy(updateSet, condemned[i]);
    return false;
  }, monotonic);
  if (claimStep.exit) return done(claimStep);

  const condemnedStep = runForAll(condemned.length, (i) => processCondemned(c, firstUnavailablePod, monotonic, condemned, i, minReadySeconds), monotonic);
  if (condemnedStep.exit) return done(condemnedStep);

  recount([replicaFacts, condemnedFacts]);
  // OnDelete: pods are updated only when someone deletes them.
  if (set.spec.updateStrategy?.type === 'OnDelete') return { status };
  return updateStatefulSetAfterInvariantEstablished(c, set, replicas, update, status, minReadySeconds, replicaFacts);
}

/**
 * updateStatefulSet for a Parallel set from what its last sync saw (sync-memo.ts), which the
 * caller has brought up to date and checked to fit this sync: the same steps in the same order,
 * with the same writes, but processReplica runs only for the ordinals the memo says may need it
 * (those without a pod, and those whose pod is not left alone), and the counts come from the
 * memo. The other ordinals would be no-ops: their pods exist and are consistent, so the claim
 * checks and repairs would write nothing, and Parallel waits on nothing.
 */
export function updateParallelFromMemo(
  c: UpdateContext,
  set: ReadonlySet,
  currentRevision: ReadonlyRevision,
  updateRevision: ReadonlyRevision,
  collisionCount: number,
  memo: ParallelSyncMemo,
): UpdateResult {
  const currentSet = applyRevision(set, currentRevision);
  const updateSet = applyRevision(set, updateRevision);
  const minReadySeconds = set.spec.minReadySeconds ?? 0;
  const current = currentRevision.metadata.name;
  const update = updateRevision.metadata.name;
  const status: StatefulSetStatus = { observedGeneration: set.metadata.generation, currentRevision: current, updateRevision: update, collisionCount, replicas: 0 };
  const recount = (): void => void Object.assign(status, memo.counts(minReadySeconds, c.now));
  const { replicas: replicaCount, start } = memo;

  // The ordinals processReplica must see, in order, and the new pods of the empty ones.
  const attention = [...memo.pending].sort((a, b) => a - b);
  const newPods = new Map<number, { readonly pod: ReadonlyPod; readonly facts: PodFacts }>();
  for (const slot of attention) {
    if (memo.slots[slot] !== undefined) continue;
    const pod = newVersionedStatefulSetPod(currentSet, updateSet, current, update, start + slot) as ReadonlyPod;
    newPods.set(slot, { pod, facts: podFacts(pod) });
  }
  const condemnedEntries = [...memo.condemned.values()].sort((a, b) => b.facts.ordinal - a.facts.ordinal);
  const condemned = condemnedEntries.map((entry) => entry.pod);

  const replicaStep = slowStartOver(attention, replicaCount, (slot) => {
    const created = memo.slots[slot];
    const entry = created === undefined ? newPods.get(slot) : { pod: created, facts: podFacts(created) };
    if (entry !== undefined) processReplica(c, set, updateSet, false, entry.pod, entry.facts, minReadySeconds);
  });
  if (replicaStep.error !== undefined) {
    recount();
    return { status, error: replicaStep.error };
  }
  const claimStep = runForAll(condemned.length, (i) => {
    if (!c.podControl.claimsMatchRetentionPolicy(updateSet, condemned[i])) c.podControl.updatePodClaimForRetentionPolicy(updateSet, condemned[i]);
    return false;
  }, false);
  if (claimStep.exit) {
    recount();
    return { status, error: claimStep.error };
  }
  // Parallel: the first unhealthy pod plays no part.
  const condemnedStep = runForAll(condemned.length, (i) => processCondemned(c, undefined, false, condemned, i, minReadySeconds), false);
  recount();
  if (condemnedStep.exit) return { status, error: condemnedStep.error };
  if (set.spec.updateStrategy?.type === 'OnDelete') return { status };

  // updateStatefulSetAfterInvariantEstablished over the memo's replicas and the new pods.
  const { updateMin, maxUnavailable } = rollingBounds(set, replicaCount);
  const unavailable = memo.unavailable(minReadySeconds, c.now);
  if (unavailable > maxUnavailable) return { status };
  const toDelete = maxUnavailable - unavailable;
  // Nothing to delete when every pod is at the update revision or terminating and no new pod is
  // at another revision: the walk below would pass every ordinal by.
  let anyOutdatedNew = false;
  for (const entry of newPods.values()) if (entry.facts.revision !== update) anyOutdatedNew = true;
  if (!memo.hasOutdated() && !anyOutdatedNew) return { status };
  let deleted = 0;
  for (let target = replicaCount - 1; target >= updateMin && deleted < toDelete; target--) {
    let pod = memo.slots[target];
    if (pod !== undefined) {
      if (memo.updatedOrTerminating(target)) continue;
    } else {
      const entry = newPods.get(target);
      if (entry === undefined || entry.facts.revision === update || entry.facts.terminating) continue;
      pod = entry.pod;
    }
    const error = deleteOutdated(c, pod, status);
    if (error !== undefined) return { status, error };
    deleted++;
  }
  return { status };
}

/**
 * slowStartBatch over `count` indexes of which only `indexes` (ascending) need calling: the
 * others would succeed without doing anything. The batches are the same (1, 2, 4, … of the
 * `count`), and a batch with an error still ends the run after the whole batch.
 */
function slowStartOver(indexes: readonly number[], count: number, fn: (index: number) => void): { error?: ApiError } {
  let next = 0;
  let batchStart = 0;
  let left = count;
  for (let batchSize = Math.min(left, 1); batchSize > 0 && next < indexes.length; batchSize = Math.min(Math.min(2 * batchSize, left), MAX_BATCH_SIZE)) {
    const batchEnd = batchStart + batchSize;
    let firstError: ApiError | undefined;
    for (; next < indexes.length && indexes[next] < batchEnd; next++) {
      try {
        fn(indexes[next]);
      } catch (error) {
        if (!isApiError(error)) throw error;
        firstError ??= error;
      }
    }
    if (firstError !== undefined) return { error: firstError };
    left -= batchSize;
    batchStart = batchEnd;
  }
  return {};
}

/** processReplica: returns whether the sync must stop here; throws an ApiError when a write fails. */
function processReplica(
  c: UpdateContext,
  set: ReadonlySet,
  updateSet: ReadonlySet,
  monotonic: boolean,
  pod: ReadonlyPod,
  facts: PodFacts,
  minReadySeconds: number,
): boolean {
  // A failed pod, and a succeeded one (a forcibly stopped pod's phase follows its exit code), is
  // deleted; its replacement is created on a later sync, once it is gone.
  if (isFailed(pod) || isSucceeded(pod)) {
    if (!isTerminating(pod)) c.podControl.deleteStatefulPod(pod);
    return true;
  }
  // The common case, an existing pod with nothing to repair: the claim creation and the repairs
  // below would write nothing, so only the ordering checks remain (isConsistent says why this
  // holds). It spares every sync the claim checks of every pod.
  if (facts.created && c.podControl.isConsistent(set, pod, facts)) {
    return monotonic && (facts.terminating || !factsRunningAndReady(facts) || !factsAvailable(facts, minReadySeconds, c.now));
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

/** The rolling update's partition (lowest ordinal updated) and maxUnavailable: 0 and 1 without one. */
function rollingBounds(set: ReadonlySet, replicaCount: number): { updateMin: number; maxUnavailable: number } {
  const rolling = set.spec.updateStrategy?.rollingUpdate;
  if (rolling === undefined || rolling === null) return { updateMin: 0, maxUnavailable: 1 };
  return { updateMin: rolling.partition ?? 0, maxUnavailable: getStatefulSetMaxUnavailable(rolling.maxUnavailable, replicaCount) };
}

/**
 * Deletes one outdated pod for the rolling update and counts it out of currentReplicas; a pod
 * already gone counts as deleted. Returns the error that ends the pass, if any.
 */
function deleteOutdated(c: UpdateContext, pod: ReadonlyPod, status: StatefulSetStatus): ApiError | undefined {
  try {
    c.podControl.deleteStatefulPod(pod);
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.reason !== 'NotFound') return error;
  }
  status.currentReplicas = (status.currentReplicas ?? 0) - 1;
  return undefined;
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
  replicaFacts: readonly PodFacts[] = replicas.map(podFacts),
): UpdateResult {
  const { updateMin, maxUnavailable } = rollingBounds(set, replicas.length);
  let unavailable = 0;
  for (const facts of replicaFacts) if (factsUnavailable(facts, minReadySeconds, c.now)) unavailable++;
  if (unavailable > maxUnavailable) return { status };
  const toDelete = maxUnavailable - unavailable;
  let deleted = 0;
  for (let target = replicas.length - 1; target >= updateMin && deleted < toDelete; target--) {
    const pod = replicas[target];
    if (replicaFacts[target].revision === updateRevision || replicaFacts[target].terminating) continue;
    const error = deleteOutdated(c, pod, status);
    if (error !== undefined) return { status, error };
    deleted++;
  }
  return { status };
}
