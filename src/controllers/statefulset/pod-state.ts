/**
 * What the StatefulSet controller asks of a pod (pkg/controller/statefulset/stateful_set_utils.go):
 * created, pending, failed or succeeded, terminating, Running and Ready, available, unavailable;
 * and each pod's facts (ordinal, revision, readiness), worked out once per pod object.
 *
 * "Unavailable" follows 1.35: a pod counts as unavailable when it is not available
 * (IsPodAvailable with minReadySeconds) or is terminating, which is what the rolling update and
 * maxUnavailable now wait on instead of merely Running and Ready.
 */
import { getCondition } from '../../api/conditions.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { PersistentVolumeClaim } from '../../api/types/persistent-volume-claim.js';
import type { Pod } from '../../api/types/pod.js';
import type { StatefulSet } from '../../api/types/statefulset.js';
import { getParentNameAndOrdinal, getPodRevision } from './identity.js';

type ReadonlyPod = DeepReadonly<Pod>;

/** isCreated: the API server has it (a pod object built locally has no phase yet). */
export function isCreated(pod: ReadonlyPod): boolean {
  return Boolean(pod.status?.phase);
}

export function isPending(pod: ReadonlyPod): boolean {
  return pod.status?.phase === 'Pending';
}

export function isFailed(pod: ReadonlyPod): boolean {
  return pod.status?.phase === 'Failed';
}

export function isSucceeded(pod: ReadonlyPod): boolean {
  return pod.status?.phase === 'Succeeded';
}

/** isTerminating: its deletion has begun. */
export function isTerminating(pod: ReadonlyPod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/**
 * What the controller reads of a pod, worked out once per (immutable) pod object: every sync of a
 * set reads its ordinal, revision and readiness of every one of its pods, several times over, so
 * a sync of a large set costs one lookup per pod for all of them. Stored objects never change,
 * so the facts of an object never go stale; a changed pod is a new object with facts of its own.
 * Hence: never ask for the facts of an object that may still change — one about to be handed
 * to the API server, which fills in its fields.
 */
export interface PodFacts {
  /** getParentNameAndOrdinal of its name. */
  readonly parent: string;
  readonly ordinal: number;
  /** getPodRevision. */
  readonly revision: string;
  /** The Ready condition is True, and since when. */
  readonly ready: boolean;
  readonly readySince: Time | undefined;
  readonly terminating: boolean;
  /** isCreated: it has a phase. */
  readonly created: boolean;
  /** The phase is Running. */
  readonly running: boolean;
  /** The last selector predicate found to match its labels (statefulset-controller.ts: podsFor). */
  matchedBy?: object;
  /** What StatefulPodControl last found the pod consistent with (pod-control.ts: isConsistent). */
  consistentWith?: ConsistentWith;
}

/** What a pod was last found consistent with (pod-control.ts: isConsistent). */
export interface ConsistentWith {
  /** The StatefulPodControl that looked (each simulated cluster has its own). */
  readonly control: object;
  readonly spec: object;
  readonly uid: string | undefined;
  readonly claims: readonly (DeepReadonly<PersistentVolumeClaim> | undefined)[];
  /** The claim informer's change count when the claims were last seen to be these. */
  claimsSeenAt: number;
}

const factsByPod = new WeakMap<object, PodFacts>();

/** The facts of a pod (see PodFacts). */
export function podFacts(pod: ReadonlyPod): PodFacts {
  let facts = factsByPod.get(pod);
  if (facts === undefined) {
    const { parent, ordinal } = getParentNameAndOrdinal(pod.metadata.name);
    const condition = getCondition(pod.status?.conditions, 'Ready');
    const ready = condition?.status === 'True';
    facts = {
      parent,
      ordinal,
      revision: getPodRevision(pod),
      ready,
      readySince: ready ? condition.lastTransitionTime : undefined,
      terminating: pod.metadata.deletionTimestamp !== undefined,
      created: Boolean(pod.status?.phase),
      running: pod.status?.phase === 'Running',
    };
    factsByPod.set(pod, facts);
  }
  return facts;
}

/** isRunningAndReady of a pod's facts. */
export function factsRunningAndReady(facts: PodFacts): boolean {
  return facts.running && facts.ready;
}

/** isRunningAndAvailable of a pod's facts. */
export function factsAvailable(facts: PodFacts, minReadySeconds: number, now: Time): boolean {
  if (!facts.ready) return false;
  if (minReadySeconds <= 0) return true;
  return facts.readySince !== undefined && facts.readySince + minReadySeconds * 1000 < now;
}

/** isUnavailable of a pod's facts. */
export function factsUnavailable(facts: PodFacts, minReadySeconds: number, now: Time): boolean {
  return !factsAvailable(facts, minReadySeconds, now) || facts.terminating;
}

/** isRunningAndReady: phase Running and the Ready condition True. */
export function isRunningAndReady(pod: ReadonlyPod): boolean {
  return factsRunningAndReady(podFacts(pod));
}

/**
 * isRunningAndAvailable: IsPodAvailable (upstream's name; it does not look at the phase) — Ready,
 * and with minReadySeconds ready since strictly before now − minReadySeconds.
 */
export function isRunningAndAvailable(pod: ReadonlyPod, minReadySeconds: number, now: Time): boolean {
  return factsAvailable(podFacts(pod), minReadySeconds, now);
}

/** isUnavailable: not available, or terminating. */
export function isUnavailable(pod: ReadonlyPod, minReadySeconds: number, now: Time): boolean {
  return factsUnavailable(podFacts(pod), minReadySeconds, now);
}

/** allowsBurst: Parallel pod management (no ordering guarantees). */
export function allowsBurst(set: DeepReadonly<StatefulSet>): boolean {
  return set.spec.podManagementPolicy === 'Parallel';
}
