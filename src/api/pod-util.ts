/**
 * Pod predicates every controller shares: ready, available, active, terminating
 * (pkg/api/v1/pod/util.go, pkg/controller/controller_utils.go), and controller references
 * (k8s.io/apimachinery/pkg/apis/meta/v1/controller_ref.go).
 */
import { getCondition } from './conditions.js';
import type { DeepReadonly, ObjectMeta, OwnerReference, Time } from './types/meta.js';
import type { Pod } from './types/pod.js';

type ReadonlyPod = DeepReadonly<Pod>;

export function isPodReady(pod: ReadonlyPod): boolean {
  return getCondition(pod.status?.conditions, 'Ready')?.status === 'True';
}

/** The Ready condition's lastTransitionTime when the pod is ready, else undefined. */
export function podReadyTime(pod: ReadonlyPod): Time | undefined {
  const ready = getCondition(pod.status?.conditions, 'Ready');
  return ready?.status === 'True' ? ready.lastTransitionTime : undefined;
}

/**
 * Ready, and — when minReadySeconds > 0 — ready since strictly before `now − minReadySeconds`
 * (IsPodAvailable).
 */
export function isPodAvailable(pod: ReadonlyPod, minReadySeconds: number, now: Time): boolean {
  const ready = getCondition(pod.status?.conditions, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  return ready.lastTransitionTime !== undefined && ready.lastTransitionTime + minReadySeconds * 1000 < now;
}

/** Neither Succeeded nor Failed, and not being deleted (IsPodActive). */
export function isPodActive(pod: ReadonlyPod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

export function isPodTerminal(pod: ReadonlyPod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isPodTerminating(pod: ReadonlyPod): boolean {
  return !isPodTerminal(pod) && pod.metadata.deletionTimestamp !== undefined;
}

/** The owner reference with `controller: true`, if any (GetControllerOf). */
export function getControllerOf(meta: DeepReadonly<ObjectMeta>): DeepReadonly<OwnerReference> | undefined {
  const refs = meta.ownerReferences;
  if (refs === undefined) return undefined;
  for (const ref of refs) if (ref.controller === true) return ref;
  return undefined;
}

/** A controller reference pointing at `owner` (NewControllerRef). */
export function newControllerRef(
  owner: { readonly apiVersion: string; readonly kind: string; readonly metadata: DeepReadonly<ObjectMeta> },
): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** An object's controller as events name it, `Kind/name`; undefined when nothing controls it. */
export function controllerText(meta: DeepReadonly<ObjectMeta>): string | undefined {
  const ref = getControllerOf(meta);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}
