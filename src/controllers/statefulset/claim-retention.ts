/**
 * PersistentVolumeClaim retention (StatefulSetAutoDeletePVC, GA in 1.32;
 * pkg/controller/statefulset/stateful_set_utils.go): which owner references a claim must carry
 * so that the garbage collector deletes it when the policy says so.
 *
 *   whenScaled Retain, whenDeleted Retain  → no reference to the set or the pod
 *   whenScaled Retain, whenDeleted Delete  → the set controls the claim
 *   whenScaled Delete, whenDeleted Retain  → the pod controls the claim once the pod is condemned
 *   whenScaled Delete, whenDeleted Delete  → the set while the pod is in range, the pod once condemned
 *
 * A claim carrying a reference to an object of the same kind and name but another uid (a
 * previous pod or set) is stale and left alone; a claim controlled by someone else is only
 * stripped of the set's and the pod's references.
 */
import type { DeepReadonly, OwnerReference } from '../../api/types/meta.js';
import type { PersistentVolumeClaim } from '../../api/types/persistent-volume-claim.js';
import type { Pod } from '../../api/types/pod.js';
import type { StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy } from '../../api/types/statefulset.js';
import { podInOrdinalRange } from './identity.js';

type Ref = DeepReadonly<OwnerReference>;

/** An owner as a reference would name it: apiVersion, kind, name and uid. */
export interface OwnerIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

/** The set and the pod as owners (controllerKind apps/v1 StatefulSet, podKind v1 Pod). */
export function setOwner(set: DeepReadonly<StatefulSet>): OwnerIdentity {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name, uid: set.metadata.uid ?? '' };
}

export function podOwner(pod: { readonly metadata: { readonly name: string; readonly uid?: string } }): OwnerIdentity {
  return { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid ?? '' };
}

/** getPersistentVolumeClaimRetentionPolicy: Retain/Retain when the set has none. */
export function getPersistentVolumeClaimRetentionPolicy(set: DeepReadonly<StatefulSet>): Required<StatefulSetPersistentVolumeClaimRetentionPolicy> {
  const policy = set.spec.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: policy?.whenDeleted ?? 'Retain', whenScaled: policy?.whenScaled ?? 'Retain' };
}

/** matchesRef: same apiVersion, kind and name (the uid is not compared). */
export function matchesRef(ref: Ref, owner: OwnerIdentity): boolean {
  return ref.apiVersion === owner.apiVersion && ref.kind === owner.kind && ref.name === owner.name;
}

/** hasOwnerRef: any reference with the owner's uid, controller or not. */
export function hasOwnerRef(refs: readonly Ref[] | undefined, owner: OwnerIdentity): boolean {
  return (refs ?? []).some((ref) => ref.uid === owner.uid);
}

/** hasStaleOwnerRef: the first reference naming the owner carries another uid. */
export function hasStaleOwnerRef(refs: readonly Ref[] | undefined, owner: OwnerIdentity): boolean {
  const ref = (refs ?? []).find((r) => matchesRef(r, owner));
  return ref !== undefined && ref.uid !== owner.uid;
}

/**
 * hasUnexpectedController: under a deleting policy, a controller other than the set or the pod,
 * or a reference to them with a stale uid.
 */
export function hasUnexpectedController(refs: readonly Ref[] | undefined, set: DeepReadonly<StatefulSet>, pod: OwnerIdentity): boolean {
  const policy = getPersistentVolumeClaimRetentionPolicy(set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Retain') return false;
  const owner = setOwner(set);
  for (const ref of refs ?? []) {
    if (matchesRef(ref, owner)) {
      if (ref.uid !== owner.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod)) {
      if (ref.uid !== pod.uid) return true;
      continue;
    }
    if (ref.controller === true) return true;
  }
  return false;
}

/** hasNonControllerOwner: the set or the pod owns the claim without controlling it. */
export function hasNonControllerOwner(refs: readonly Ref[] | undefined, set: OwnerIdentity, pod: OwnerIdentity): boolean {
  return (refs ?? []).some((ref) => (ref.uid === set.uid || ref.uid === pod.uid) && ref.controller !== true);
}

/** isClaimOwnerUpToDate: whether the claim's references already follow the policy (see the header). */
export function isClaimOwnerUpToDate(claim: DeepReadonly<PersistentVolumeClaim>, set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod> | Pod): boolean {
  const refs = claim.metadata.ownerReferences;
  const owner = setOwner(set);
  const podRef = podOwner(pod);
  // Managed by an earlier incarnation of the set or pod: leave it alone.
  if (hasStaleOwnerRef(refs, owner) || hasStaleOwnerRef(refs, podRef)) return true;
  if (hasUnexpectedController(refs, set, podRef)) return !(hasOwnerRef(refs, owner) || hasOwnerRef(refs, podRef));
  if (hasNonControllerOwner(refs, owner, podRef)) return false;
  const policy = getPersistentVolumeClaimRetentionPolicy(set);
  const setRef = hasOwnerRef(refs, owner);
  const hasPodRef = hasOwnerRef(refs, podRef);
  const scaledDown = !podInOrdinalRange(pod, set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Delete') return setRef && !hasPodRef;
  if (policy.whenScaled === 'Delete' && policy.whenDeleted === 'Retain') return !setRef && scaledDown === hasPodRef;
  if (policy.whenScaled === 'Delete' && policy.whenDeleted === 'Delete') return scaledDown !== setRef && scaledDown === hasPodRef;
  // Retain/Retain, and (as upstream) any unknown policy.
  return !setRef && !hasPodRef;
}

/** addControllerRef: the owner as controller, unless a reference with its uid is already there. */
export function addControllerRef(refs: OwnerReference[], owner: OwnerIdentity): OwnerReference[] {
  if (refs.some((ref) => ref.uid === owner.uid)) return refs;
  return [...refs, { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }];
}

/**
 * updateClaimOwnerRefForSetAndPod: the claim's references with those to the set and the pod
 * scrubbed and re-added as the policy says (none when another controller manages the claim).
 */
export function updateClaimOwnerRefForSetAndPod(refs: readonly Ref[] | undefined, set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod> | Pod): OwnerReference[] {
  const owner = setOwner(set);
  const podRef = podOwner(pod);
  const unexpectedController = hasUnexpectedController(refs, set, podRef);
  let next = (refs ?? []).filter((ref) => !matchesRef(ref, owner) && !matchesRef(ref, podRef)).map((ref) => ({ ...ref }) as OwnerReference);
  if (unexpectedController) return next;
  const policy = getPersistentVolumeClaimRetentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Delete') next = addControllerRef(next, owner);
  else if (policy.whenScaled === 'Delete' && policy.whenDeleted === 'Retain' && scaledDown) next = addControllerRef(next, podRef);
  else if (policy.whenScaled === 'Delete' && policy.whenDeleted === 'Delete') next = addControllerRef(next, scaledDown ? podRef : owner);
  return next;
}
