/**
 * What the StatefulSet controller asks of a pod (pkg/controller/statefulset/stateful_set_utils.go):
 * created, pending, failed or succeeded, terminating, Running and Ready, available, unavailable;
 * and the ordinal orders it walks pods in.
 *
 * "Unavailable" follows 1.35: a pod counts as unavailable when it is not available
 * (IsPodAvailable with minReadySeconds) or is terminating, which is what the rolling update and
 * maxUnavailable now wait on instead of merely Running and Ready.
 */
import { getCondition } from '../../api/conditions.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { StatefulSet } from '../../api/types/statefulset.js';
import { getOrdinal } from './identity.js';

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

/** A pod's Ready condition as these checks need it: every sync asks for every pod, repeatedly. */
interface Readiness {
  readonly ready: boolean;
  readonly since: Time | undefined;
}

const NOT_READY: Readiness = { ready: false, since: undefined };
/** By (immutable) pod object. */
const readinessByPod = new WeakMap<object, Readiness>();

function readiness(pod: ReadonlyPod): Readiness {
  let r = readinessByPod.get(pod);
  if (r === undefined) {
    const condition = getCondition(pod.status?.conditions, 'Ready');
    r = condition?.status === 'True' ? { ready: true, since: condition.lastTransitionTime } : NOT_READY;
    readinessByPod.set(pod, r);
  }
  return r;
}

/** isRunningAndReady: phase Running and the Ready condition True. */
export function isRunningAndReady(pod: ReadonlyPod): boolean {
  return pod.status?.phase === 'Running' && readiness(pod).ready;
}

/**
 * isRunningAndAvailable: IsPodAvailable (upstream's name; it does not look at the phase) — Ready,
 * and with minReadySeconds ready since strictly before now − minReadySeconds.
 */
export function isRunningAndAvailable(pod: ReadonlyPod, minReadySeconds: number, now: Time): boolean {
  const r = readiness(pod);
  if (!r.ready) return false;
  if (minReadySeconds <= 0) return true;
  return r.since !== undefined && r.since + minReadySeconds * 1000 < now;
}

/** isUnavailable: not available, or terminating. */
export function isUnavailable(pod: ReadonlyPod, minReadySeconds: number, now: Time): boolean {
  return !isRunningAndAvailable(pod, minReadySeconds, now) || isTerminating(pod);
}

/** allowsBurst: Parallel pod management (no ordering guarantees). */
export function allowsBurst(set: DeepReadonly<StatefulSet>): boolean {
  return set.spec.podManagementPolicy === 'Parallel';
}

/** descendingOrdinal: highest ordinal first; pods without an ordinal last. Stable on ties. */
export function byDescendingOrdinal(a: ReadonlyPod, b: ReadonlyPod): number {
  return getOrdinal(b) - getOrdinal(a);
}
