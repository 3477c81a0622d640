/**
 * What kubectl computes on the client before it writes: the three-way patch of `kubectl apply`
 * (staging/src/k8s.io/kubectl/pkg/cmd/apply, apimachinery jsonmergepatch) and the revision
 * `kubectl rollout undo` goes back to (kubectl/pkg/polymorphichelpers/rollback.go).
 *
 * Deliberate simplification: apply merges lists as JSON merge patch does (a list in the manifest
 * replaces the live list) instead of strategic merge's merge-by-key; since the API server
 * defaults the result again, containers and ports come out the same unless another actor added
 * entries to the same list.
 */
import type { ControllerRevision } from '../api/types/controller-revision.js';
import type { Deployment } from '../api/types/deployment.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { PodTemplateSpec } from '../api/types/pod.js';
import type { ReplicaSet } from '../api/types/replicaset.js';
import { isSkippedAnnotation, revisionOf } from '../controllers/deployment/annotations.js';
import { POD_TEMPLATE_HASH_LABEL, equalIgnoreHash } from '../controllers/deployment/replica-sets.js';
import { templateOfRevision } from '../controllers/history/controller-history.js';
import { deepCopy, deepEqual } from '../util/objects.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * CreateThreeWayMergePatch: set every field of `modified` that differs from `current`, and delete
 * (null) every field `original` (the last applied manifest) had and `modified` no longer has.
 * Fields only `current` has — set by controllers or other clients — are left alone.
 */
export function threeWayMergePatch(original: unknown, modified: unknown, current: unknown): Json {
  const patch: Json = {};
  const mod = isObject(modified) ? modified : {};
  const cur = isObject(current) ? current : {};
  const orig = isObject(original) ? original : {};
  for (const [key, value] of Object.entries(mod)) {
    if (isObject(value) && isObject(cur[key])) {
      const sub = threeWayMergePatch(orig[key], value, cur[key]);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (!deepEqual(value, cur[key])) {
      patch[key] = deepCopy(value);
    }
  }
  for (const key of Object.keys(orig)) {
    if (!(key in mod) && key in cur) patch[key] = null;
  }
  return patch;
}

export type RollbackPlan =
  | { readonly kind: 'rollback'; readonly revision: number; readonly template: PodTemplateSpec; readonly annotations: Record<string, string> }
  | { readonly kind: 'skipped'; readonly revision: number }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Which ReplicaSet `kubectl rollout undo --to-revision=N` restores: revision N, or with 0 the
 * second-highest revision (the one before the current). The Deployment gets that template
 * without its pod-template-hash label; its annotations become its own bookkeeping ones plus the
 * ReplicaSet's others (the whole set, replacing what was there).
 */
export function planRollback(d: DeepReadonly<Deployment>, replicaSets: readonly DeepReadonly<ReplicaSet>[], toRevision: number): RollbackPlan {
  if (d.spec.paused) return { kind: 'error', message: `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${d.metadata.name}' and try again` };
  const byRevision = new Map<number, DeepReadonly<ReplicaSet>>();
  for (const rs of replicaSets) {
    const revision = revisionOf(rs);
    if (revision !== undefined && revision > 0) byRevision.set(revision, rs);
  }
  let revision = toRevision;
  if (revision === 0) {
    const sorted = [...byRevision.keys()].sort((a, b) => b - a);
    if (sorted.length < 2) return { kind: 'error', message: 'no rollout history found for deployment ' + JSON.stringify(d.metadata.name) };
    revision = sorted[1];
  }
  const rs = byRevision.get(revision);
  if (rs === undefined) return { kind: 'error', message: `unable to find specified revision ${revision} in history` };
  if (equalIgnoreHash(rs.spec.template, d.spec.template)) return { kind: 'skipped', revision };
  const template = deepCopy(rs.spec.template) as PodTemplateSpec;
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  // kubectl replaces /metadata/annotations: the Deployment keeps its own bookkeeping annotations
  // and takes every other annotation from the ReplicaSet (rollback.go: getDeploymentPatch).
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) if (isSkippedAnnotation(key)) annotations[key] = value;
  for (const [key, value] of Object.entries(rs.metadata.annotations ?? {})) if (!isSkippedAnnotation(key)) annotations[key] = value;
  return { kind: 'rollback', revision, template, annotations };
}

/**
 * `kubectl rollout undo` of a DaemonSet or StatefulSet (rollback.go: DaemonSetRollbacker,
 * StatefulSetRollbacker): the owner's ControllerRevisions are its history; revision 0 means the
 * one before the highest. The revision's data is a patch that replaces the template, so the plan
 * is that template; an owner already at that template is skipped.
 */
export function planRevisionRollback(
  owner: DeepReadonly<KubeObject & { spec: { template: PodTemplateSpec } }>,
  revisions: readonly DeepReadonly<ControllerRevision>[],
  toRevision: number,
): RollbackPlan {
  const numbers = [...new Set(revisions.map((r) => r.revision))].sort((a, b) => b - a);
  if (toRevision === 0 && numbers.length <= 1) return { kind: 'error', message: 'no last revision to roll back to' };
  const revision = toRevision === 0 ? numbers[1] : toRevision;
  const found = revisions.find((r) => r.revision === revision);
  if (found === undefined) return { kind: 'error', message: `unable to find specified revision ${revision} in history` };
  const template = templateOfRevision(found);
  if (deepEqual(template, owner.spec.template)) return { kind: 'skipped', revision };
  return { kind: 'rollback', revision, template, annotations: {} };
}

