/**
 * A StatefulSet pod's identity and storage (pkg/controller/statefulset/stateful_set_utils.go):
 * the stable name `<set>-<ordinal>` and the ordinal range `ordinals.start … start + replicas − 1`,
 * the identity labels, hostname and subdomain, one PersistentVolumeClaim per claim template and
 * ordinal named `<template>-<set>-<ordinal>` and mounted as a volume named after its template, the
 * revision label, and building a pod at the current or the update revision.
 *
 * Deliberate difference: upstream builds the claims in a Go map, so a new pod's claim volumes come
 * in random order; here they follow the order of volumeClaimTemplates.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import { newControllerRef } from '../../api/pod-util.js';
import type { PersistentVolumeClaim, PersistentVolumeClaimTemplate } from '../../api/types/persistent-volume-claim.js';
import type { Pod, Volume } from '../../api/types/pod.js';
import type { StatefulSet } from '../../api/types/statefulset.js';
import { deepCopy } from '../../util/objects.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-history.js';

type ReadonlySet = DeepReadonly<StatefulSet>;
type ReadonlyPod = DeepReadonly<Pod>;

/** StatefulSetPodNameLabel: every pod carries its own name, so a Service can select one pod. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** PodIndexLabel (GA in 1.32): the pod's ordinal. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** StatefulSetRevisionLabel: the name of the ControllerRevision a pod was made from. */
export const STATEFULSET_REVISION_LABEL = CONTROLLER_REVISION_HASH_LABEL;

const STATEFUL_POD_NAME = /(.*)-([0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;

/** Parsed pod names: every sync asks for every pod's ordinal, and names repeat. */
const parsedNames = new Map<string, { readonly parent: string; readonly ordinal: number }>();
const MAX_PARSED_NAMES = 100_000;

/** getParentNameAndOrdinal: `web-3` → (`web`, 3); a name without a numeric suffix → ('', −1). */
export function getParentNameAndOrdinal(podName: string): { readonly parent: string; readonly ordinal: number } {
  let parsed = parsedNames.get(podName);
  if (parsed !== undefined) return parsed;
  const match = STATEFUL_POD_NAME.exec(podName);
  // strconv.ParseInt(…, 10, 32) fails beyond int32: the parent is kept, the ordinal is not.
  parsed = match === null ? { parent: '', ordinal: -1 } : { parent: match[1], ordinal: Number(match[2]) <= MAX_INT32 ? Number(match[2]) : -1 };
  if (parsedNames.size < MAX_PARSED_NAMES) parsedNames.set(podName, parsed);
  return parsed;
}

/** getOrdinal: the pod's ordinal, −1 when its name has none. */
export function getOrdinal(pod: { readonly metadata: { readonly name: string } }): number {
  return getParentNameAndOrdinal(pod.metadata.name).ordinal;
}

/** getStartOrdinal: spec.ordinals.start, 0 without ordinals. */
export function getStartOrdinal(set: ReadonlySet): number {
  return set.spec.ordinals?.start ?? 0;
}

/** getEndOrdinal: the last ordinal in range (inclusive). */
export function getEndOrdinal(set: ReadonlySet): number {
  return getStartOrdinal(set) + (set.spec.replicas ?? 1) - 1;
}

/** podInOrdinalRange: whether the pod's ordinal is one the set currently wants. */
export function podInOrdinalRange(pod: { readonly metadata: { readonly name: string } }, set: ReadonlySet): boolean {
  const ordinal = getOrdinal(pod);
  return ordinal >= getStartOrdinal(set) && ordinal <= getEndOrdinal(set);
}

/** getPodName: `<set>-<ordinal>`. */
export function getPodName(set: ReadonlySet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** getPersistentVolumeClaimName: `<claim template>-<set>-<ordinal>`. */
export function getPersistentVolumeClaimName(set: ReadonlySet, claimTemplateName: string, ordinal: number): string {
  return `${claimTemplateName}-${set.metadata.name}-${ordinal}`;
}

/** isMemberOf: the pod's name says it belongs to the set. */
export function isMemberOf(set: ReadonlySet, pod: ReadonlyPod): boolean {
  return getParentNameAndOrdinal(pod.metadata.name).parent === set.metadata.name;
}

/** The set name a pod's identity was last found to match, by (immutable) pod object. */
const identityChecked = new WeakMap<object, string>();

/** identityMatches: the pod's name, namespace and pod-name label are the set's for its ordinal. */
export function identityMatches(set: ReadonlySet, pod: ReadonlyPod): boolean {
  if (identityChecked.get(pod) === set.metadata.name && pod.metadata.namespace === set.metadata.namespace) return true;
  const { parent, ordinal } = getParentNameAndOrdinal(pod.metadata.name);
  const matches =
    ordinal >= 0 &&
    set.metadata.name === parent &&
    pod.metadata.name === getPodName(set, ordinal) &&
    (pod.metadata.namespace ?? 'default') === (set.metadata.namespace ?? 'default') &&
    pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name;
  if (matches) identityChecked.set(pod, set.metadata.name);
  return matches;
}

/** The set (its name and spec) a pod's storage was last found to match, by (immutable) pod object. */
const storageChecked = new WeakMap<object, { readonly name: string; readonly spec: object }>();

/** storageMatches: every claim template is mounted from the pod's own claim. */
export function storageMatches(set: ReadonlySet, pod: ReadonlyPod): boolean {
  const checked = storageChecked.get(pod);
  if (checked !== undefined && checked.spec === set.spec && checked.name === set.metadata.name) return true;
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = pod.spec.volumes ?? [];
  for (const claim of set.spec.volumeClaimTemplates ?? []) {
    // The last volume of a name wins, as in upstream's map.
    let volume: DeepReadonly<Volume> | undefined;
    for (const v of volumes) if (v.name === claim.metadata.name) volume = v;
    if (volume?.persistentVolumeClaim?.claimName !== getPersistentVolumeClaimName(set, claim.metadata.name, ordinal)) return false;
  }
  storageChecked.set(pod, { name: set.metadata.name, spec: set.spec });
  return true;
}

/** One claim the pod needs: the template it comes from and the claim to create. */
export interface PodClaim {
  readonly templateName: string;
  readonly claim: PersistentVolumeClaim;
}

/** The names of the pod's claims, in template order (without building the claims). */
export function claimNames(set: ReadonlySet, pod: { readonly metadata: { readonly name: string } }): string[] {
  const ordinal = getOrdinal(pod);
  return (set.spec.volumeClaimTemplates ?? []).map((template) => getPersistentVolumeClaimName(set, template.metadata.name, ordinal));
}

/**
 * The claim of one template for an ordinal: named for it, in the set's namespace, labelled with
 * the template's labels overlaid by the selector's matchLabels.
 */
export function newPersistentVolumeClaim(set: ReadonlySet, template: DeepReadonly<PersistentVolumeClaimTemplate>, ordinal: number): PersistentVolumeClaim {
  const copy = deepCopy(template) as PersistentVolumeClaimTemplate;
  const selectorLabels = set.spec.selector.matchLabels;
  const labels = copy.metadata.labels !== undefined ? { ...copy.metadata.labels, ...selectorLabels } : selectorLabels !== undefined ? { ...selectorLabels } : undefined;
  const metadata: PersistentVolumeClaim['metadata'] = { ...copy.metadata, name: getPersistentVolumeClaimName(set, template.metadata.name, ordinal), namespace: set.metadata.namespace };
  if (labels !== undefined) metadata.labels = labels;
  else delete metadata.labels;
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec: copy.spec };
}

/** getPersistentVolumeClaims: the pod's claims, one per template (see newPersistentVolumeClaim). */
export function getPersistentVolumeClaims(set: ReadonlySet, pod: { readonly metadata: { readonly name: string } }): PodClaim[] {
  const ordinal = getOrdinal(pod);
  return (set.spec.volumeClaimTemplates ?? []).map((template) => ({ templateName: template.metadata.name, claim: newPersistentVolumeClaim(set, template, ordinal) }));
}

/**
 * updateStorage: the pod's volumes with one persistentVolumeClaim volume per claim template
 * (replacing a same-named volume of the template), then the template's other volumes.
 */
export function storageVolumes(set: ReadonlySet, pod: { readonly metadata: { readonly name: string }; readonly spec: DeepReadonly<Pod['spec']> }): Volume[] {
  const ordinal = getOrdinal(pod);
  const templates = set.spec.volumeClaimTemplates ?? [];
  const names = new Set(templates.map((t) => t.metadata.name));
  const volumes: Volume[] = templates.map((t) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: getPersistentVolumeClaimName(set, t.metadata.name, ordinal) } }));
  for (const volume of pod.spec.volumes ?? []) if (!names.has(volume.name)) volumes.push(deepCopy(volume) as Volume);
  return volumes;
}

/** updateIdentity: name, namespace and the pod-name and pod-index labels for the pod's ordinal. */
export function updateIdentity(set: ReadonlySet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = getPodName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...pod.metadata.labels, [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** newStatefulSetPod: a pod of the set's template with the identity and storage of `ordinal`. */
export function newStatefulSetPod(set: ReadonlySet, ordinal: number): Pod {
  const meta = set.spec.template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: getPodName(set, ordinal),
      // GetPodFromTemplate keeps the owner's name as generateName, as real StatefulSet pods show.
      generateName: `${set.metadata.name}-`,
      namespace: set.metadata.namespace,
      ownerReferences: [newControllerRef(set)],
    },
    // The template's containers are shared, not copied: stored objects never change.
    spec: { ...(set.spec.template.spec as Pod['spec']) },
  };
  if (meta.labels !== undefined) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations !== undefined) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers !== undefined) pod.metadata.finalizers = [...meta.finalizers];
  // initIdentity: hostname and subdomain are set at creation only (they are immutable on a pod).
  updateIdentity(set, pod);
  pod.spec.hostname = pod.metadata.name;
  if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
  const volumes = storageVolumes(set, pod);
  if (volumes.length > 0) pod.spec.volumes = volumes;
  return pod;
}

/** setPodRevision. */
export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...pod.metadata.labels, [STATEFULSET_REVISION_LABEL]: revision };
}

/** getPodRevision: the revision label, '' when absent. */
export function getPodRevision(pod: ReadonlyPod): string {
  return pod.metadata.labels?.[STATEFULSET_REVISION_LABEL] ?? '';
}

/**
 * newVersionedStatefulSetPod: a new pod at the current revision when it is below the partition
 * (or, for a RollingUpdate without rollingUpdate, below start + status.currentReplicas), else at
 * the update revision. The condition keeps upstream's operator precedence: (RollingUpdate and no
 * rollingUpdate and below the current replicas) or (rollingUpdate and below the partition).
 */
export function newVersionedStatefulSetPod(currentSet: ReadonlySet, updateSet: ReadonlySet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const strategy = currentSet.spec.updateStrategy;
  const start = getStartOrdinal(currentSet);
  const rollingUpdate = strategy?.rollingUpdate;
  const belowCurrent = strategy?.type === 'RollingUpdate' && (rollingUpdate === undefined || rollingUpdate === null) && ordinal < start + (currentSet.status?.currentReplicas ?? 0);
  const belowPartition = rollingUpdate !== undefined && rollingUpdate !== null && ordinal < start + (rollingUpdate.partition ?? 0);
  const atCurrent = belowCurrent || belowPartition;
  const pod = newStatefulSetPod(atCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, atCurrent ? currentRevision : updateRevision);
  return pod;
}
