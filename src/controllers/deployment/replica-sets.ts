/**
 * A Deployment's view of its ReplicaSets (pkg/controller/deployment/util/deployment_util.go and
 * pkg/controller/controller_utils.go): which one is new, which are old, orderings, and counts.
 */
import type { Deployment } from '../../api/types/deployment.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { PodTemplateSpec } from '../../api/types/pod.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import { revisionOf } from './annotations.js';

type ReadonlyRS = DeepReadonly<ReplicaSet>;

/** The label that ties a ReplicaSet's pods to its template (DefaultDeploymentUniqueLabelKey). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

export function specReplicas(rs: ReadonlyRS): number {
  return rs.spec.replicas ?? 1;
}

/** ReplicaSetsByCreationTimestamp: older first, name breaks ties. */
export function compareByCreation(a: ReadonlyRS, b: ReadonlyRS): number {
  const ta = a.metadata.creationTimestamp ?? 0;
  const tb = b.metadata.creationTimestamp ?? 0;
  if (ta !== tb) return ta - tb;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** ReplicaSetsBySizeNewer: larger first; equal sizes newer first (scaling up). */
export function compareBySizeNewer(a: ReadonlyRS, b: ReadonlyRS): number {
  const diff = specReplicas(b) - specReplicas(a);
  return diff !== 0 ? diff : compareByCreation(b, a);
}

/** ReplicaSetsBySizeOlder: larger first; equal sizes older first (scaling down). */
export function compareBySizeOlder(a: ReadonlyRS, b: ReadonlyRS): number {
  const diff = specReplicas(b) - specReplicas(a);
  return diff !== 0 ? diff : compareByCreation(a, b);
}

/** ReplicaSetsByRevision: lower revision first, creation order breaks ties. */
export function compareByRevision(a: ReadonlyRS, b: ReadonlyRS): number {
  const ra = revisionOf(a) ?? 0;
  const rb = revisionOf(b) ?? 0;
  return ra !== rb ? ra - rb : compareByCreation(a, b);
}

/** FilterActiveReplicaSets: spec.replicas > 0. */
export function filterActive(replicaSets: readonly (ReadonlyRS | undefined)[]): ReadonlyRS[] {
  return replicaSets.filter((rs): rs is ReadonlyRS => rs !== undefined && specReplicas(rs) > 0);
}

/**
 * Scalar fields of a pod template that are pointers in Go (k8s.io/api/core/v1/types.go), where
 * an explicit zero (`false`, `0`, `""`) differs from nil. Every other scalar of a PodTemplateSpec
 * is a plain Go field, and its zero value is the same struct as the field left out. Keyed by field
 * name: these names are pointers wherever they occur in a template, except `value`, a pointer only
 * in a DNS option (an env var's or a toleration's is a plain string) — see POINTER_IN.
 */
const POINTER_SCALARS: ReadonlySet<string> = new Set([
  // PodSpec
  'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'automountServiceAccountToken', 'shareProcessNamespace',
  'priority', 'enableServiceLinks', 'preemptionPolicy', 'runtimeClassName', 'setHostnameAsFQDN', 'hostUsers',
  // SecurityContext, PodSecurityContext, WindowsSecurityContextOptions, SeccompProfile, AppArmorProfile
  'runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'privileged',
  'procMount', 'fsGroup', 'fsGroupChangePolicy', 'supplementalGroupsPolicy', 'seLinuxChangePolicy', 'hostProcess',
  'gmsaCredentialSpecName', 'gmsaCredentialSpec', 'runAsUserName', 'localhostProfile',
  // volumes, projections, env sources, mounts
  'defaultMode', 'mode', 'optional', 'sizeLimit', 'expirationSeconds', 'recursiveReadOnly', 'mountPropagation',
  // Toleration, TopologySpreadConstraint, ObjectMeta
  'tolerationSeconds', 'minDomains', 'nodeAffinityPolicy', 'nodeTaintsPolicy', 'deletionGracePeriodSeconds',
]);

/** Field names that are pointers only inside the named parent field. */
const POINTER_IN: Readonly<Record<string, string>> = { value: 'options' };

function isPlainZero(value: unknown, key: string, parent: string): boolean {
  if (value !== false && value !== 0 && value !== '') return false;
  return !POINTER_SCALARS.has(key) && POINTER_IN[key] !== parent;
}

/**
 * Canonical form of a template for comparison, as apimachinery's semantic equality sees the Go
 * struct: empty maps and lists count as absent, and so does a plain (non-pointer) scalar at its
 * zero value. `parent` is the name of the field holding `value` (an array passes its own name to
 * its elements).
 *
 * Approximated: an empty object is dropped wherever it is, which is right for maps and plain
 * structs (resources, metadata) but not for pointer structs, where `securityContext: {}` differs
 * from none in Go.
 */
function semanticForm(value: unknown, parent = ''): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((item) => semanticForm(item, parent));
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, v] of Object.entries(value)) {
    if (isPlainZero(v, key, parent)) continue;
    const form = semanticForm(v, key);
    if (form !== undefined) {
      out[key] = form;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** Normalised text of each template seen; stored objects never change, so identity is a safe key. */
const templateTexts = new WeakMap<object, string>();

function withoutHashLabel(template: DeepReadonly<PodTemplateSpec>): string {
  let text = templateTexts.get(template);
  if (text === undefined) {
    const labels = { ...template.metadata?.labels };
    delete labels[POD_TEMPLATE_HASH_LABEL];
    text = JSON.stringify(semanticForm({ ...template, metadata: { ...template.metadata, labels } }));
    templateTexts.set(template, text);
  }
  return text;
}

/**
 * EqualIgnoreHash: templates equal apart from the pod-template-hash label, with nil and empty
 * maps or lists treated as equal (apimachinery's semantic equality).
 */
export function equalIgnoreHash(a: DeepReadonly<PodTemplateSpec>, b: DeepReadonly<PodTemplateSpec>): boolean {
  return withoutHashLabel(a) === withoutHashLabel(b);
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template matches the Deployment's. */
export function findNewReplicaSet(d: DeepReadonly<Deployment>, replicaSets: readonly ReadonlyRS[]): ReadonlyRS | undefined {
  // Upstream sorts by creation and takes the first match; the earliest match by the same order
  // is the same ReplicaSet (the order is total: creation, then name), found without a sorted copy
  // (this runs on every sync, twice).
  let oldest: ReadonlyRS | undefined;
  for (const rs of replicaSets) {
    if (oldest !== undefined && compareByCreation(rs, oldest) >= 0) continue;
    if (equalIgnoreHash(rs.spec.template, d.spec.template)) oldest = rs;
  }
  return oldest;
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active. */
export function findActiveOrLatest(newRS: ReadonlyRS | undefined, oldRSs: readonly ReadonlyRS[]): ReadonlyRS | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => compareByCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** IsSaturated: the new ReplicaSet is sized for, annotated for and running all replicas. */
export function isSaturated(d: DeepReadonly<Deployment>, rs: ReadonlyRS | undefined, desiredAnnotation: number | undefined): boolean {
  if (rs === undefined || desiredAnnotation === undefined) return false;
  const replicas = d.spec.replicas ?? 1;
  return specReplicas(rs) === replicas && desiredAnnotation === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/** Σ spec.replicas (GetReplicaCountForReplicaSets). */
export function sumSpecReplicas(replicaSets: readonly (ReadonlyRS | undefined)[]): number {
  let total = 0;
  for (const rs of replicaSets) if (rs !== undefined) total += specReplicas(rs);
  return total;
}

/** Σ status.replicas (GetActualReplicaCountForReplicaSets). */
export function sumStatusReplicas(replicaSets: readonly (ReadonlyRS | undefined)[]): number {
  let total = 0;
  for (const rs of replicaSets) if (rs !== undefined) total += rs.status?.replicas ?? 0;
  return total;
}

/** Σ status.readyReplicas. */
export function sumReadyReplicas(replicaSets: readonly (ReadonlyRS | undefined)[]): number {
  let total = 0;
  for (const rs of replicaSets) if (rs !== undefined) total += rs.status?.readyReplicas ?? 0;
  return total;
}

/** Σ status.availableReplicas. */
export function sumAvailableReplicas(replicaSets: readonly (ReadonlyRS | undefined)[]): number {
  let total = 0;
  for (const rs of replicaSets) if (rs !== undefined) total += rs.status?.availableReplicas ?? 0;
  return total;
}

/** Σ status.terminatingReplicas (1.33+, informational). */
export function sumTerminatingReplicas(replicaSets: readonly (ReadonlyRS | undefined)[]): number {
  let total = 0;
  for (const rs of replicaSets) if (rs !== undefined) total += rs.status?.terminatingReplicas ?? 0;
  return total;
}
