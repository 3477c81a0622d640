/**
 * A DaemonSet's ControllerRevisions (pkg/controller/daemon/update.go: constructHistory,
 * controlledHistories, Match, getPatch, snapshot, dedupCurHistories, cleanupHistory).
 *
 * Each revision stores the pod template as a patch that replaces it; the one matching the current
 * template is the current revision and its `controller-revision-hash` label is the hash new pods
 * carry. A template seen before (a rollback) reuses its revision, renumbered to the newest.
 * Unlike a StatefulSet's, a DaemonSet's revision is named `<ds>-<ComputeHash(template,
 * collisionCount)>` and copies the DaemonSet's annotations; a name taken by a different revision
 * bumps status.collisionCount and fails the sync, which retries with the new hash.
 */
import type { ApiServer } from '../../cluster/api-server.js';
import { INDEX_CONTROLLER_UID, INDEX_ORPHANS, type Informer } from '../../cluster/informer.js';
import type { LabelPredicate } from '../../api/label-selector.js';
import type { ControllerRevision } from '../../api/types/controller-revision.js';
import type { DaemonSet } from '../../api/types/daemonset.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { PodTemplateSpec } from '../../api/types/pod.js';
import { newControllerRef } from '../../api/pod-util.js';
import { ApiError, isApiError } from '../../errors.js';
import { canonicalJson, deepCopy } from '../../util/objects.js';
import { claimObjects } from '../controller-ref.js';
import { computeHash } from '../deployment/hash.js';
import { CONTROLLER_REVISION_HASH_LABEL, revisionData, sortControllerRevisions } from '../history/controller-history.js';

type ReadonlyDS = DeepReadonly<DaemonSet>;
type ReadonlyRevision = DeepReadonly<ControllerRevision>;

/** getPatch's bytes, cached per (immutable) template object. */
const patches = new WeakMap<object, string>();
/** A revision's data as canonical JSON, cached per (immutable) data object. */
const revisionJson = new WeakMap<object, string>();

function patchOf(template: DeepReadonly<PodTemplateSpec>): string {
  let patch = patches.get(template);
  if (patch === undefined) {
    patch = canonicalJson(revisionData(template));
    patches.set(template, patch);
  }
  return patch;
}

function dataJson(revision: ReadonlyRevision): string {
  const data = revision.data;
  if (data === null || typeof data !== 'object') return canonicalJson(data);
  let json = revisionJson.get(data);
  if (json === undefined) {
    json = canonicalJson(data);
    revisionJson.set(data, json);
  }
  return json;
}

/** Match: the revision stores exactly the DaemonSet's current template. */
export function matchRevision(ds: ReadonlyDS, revision: ReadonlyRevision): boolean {
  return patchOf(ds.spec.template) === dataJson(revision);
}

/** maxRevision: the highest revision number (0 for none). */
export function maxRevision(revisions: readonly ReadonlyRevision[]): number {
  let max = 0;
  for (const r of revisions) if (r.revision > max) max = r.revision;
  return max;
}

export interface History {
  /** The revision of the current template; its hash label is what new pods carry. */
  readonly current: ReadonlyRevision;
  readonly old: readonly ReadonlyRevision[];
}

/** What constructHistory needs from the controller. */
export interface HistoryAccess {
  readonly api: ApiServer;
  readonly revisions: Informer<ControllerRevision>;
  readonly selector: LabelPredicate;
  /** dedupCurHistories: relabel the DaemonSet's pods that carry another hash. */
  relabelPods(hash: string): void;
}

/** controlledHistories: revisions controlled by the DaemonSet, after releasing and adopting. */
function controlledHistories(h: HistoryAccess, ds: ReadonlyDS): ReadonlyRevision[] {
  const owned = h.revisions.byIndex(INDEX_CONTROLLER_UID, ds.metadata.uid ?? '');
  const orphans = h.revisions.byIndex(INDEX_ORPHANS, ds.metadata.namespace ?? '');
  const candidates: ReadonlyRevision[] = [...owned.values()];
  if (orphans.size > 0) for (const orphan of orphans.values()) candidates.push(orphan);
  return claimObjects<ControllerRevision>({ api: h.api, owner: ds, matches: h.selector, candidates });
}

/**
 * constructHistory: finds the current revision (creating it, or renumbering a reused one to the
 * newest) and the old ones. Throws ApiError when the sync must be retried.
 */
export function constructHistory(h: HistoryAccess, ds: ReadonlyDS): History {
  const current: ReadonlyRevision[] = [];
  const old: ReadonlyRevision[] = [];
  for (let revision of controlledHistories(h, ds)) {
    if (revision.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === undefined) {
      // Revisions from before the hash label: the name stands in for the hash.
      const copy = deepCopy(revision) as ControllerRevision;
      copy.metadata.labels = { ...copy.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: copy.metadata.name };
      revision = h.api.update(copy);
    }
    (matchRevision(ds, revision) ? current : old).push(revision);
  }
  const next = maxRevision(old) + 1;
  if (current.length === 0) return { current: snapshot(h.api, ds, next), old };
  const keep = dedupCurHistories(h, current);
  if (keep.revision >= next) return { current: keep, old };
  const copy = deepCopy(keep) as ControllerRevision;
  copy.revision = next;
  return { current: h.api.update(copy), old };
}

/** dedupCurHistories: keeps the highest-numbered duplicate, moves the pods onto its hash, deletes the rest. */
function dedupCurHistories(h: HistoryAccess, current: readonly ReadonlyRevision[]): ReadonlyRevision {
  if (current.length === 1) return current[0];
  let keep = current[0];
  for (const revision of current) if (revision.revision >= keep.revision) keep = revision;
  h.relabelPods(keep.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '');
  for (const revision of current) {
    if (revision.metadata.name !== keep.metadata.name) h.api.delete('ControllerRevision', revision.metadata.namespace, revision.metadata.name);
  }
  return keep;
}

/** snapshot: a new revision of the current template. */
function snapshot(api: ApiServer, ds: ReadonlyDS, revision: number): ReadonlyRevision {
  const hash = computeHash(ds.spec.template, ds.status?.collisionCount);
  const name = `${ds.metadata.name}-${hash}`;
  const history: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ds.metadata.namespace,
      labels: { ...ds.spec.template.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [newControllerRef(ds)],
    },
    data: revisionData(ds.spec.template),
    revision,
  };
  if (ds.metadata.annotations !== undefined) history.metadata.annotations = { ...ds.metadata.annotations };
  try {
    return api.create(history);
  } catch (error) {
    if (!isApiError(error, 'AlreadyExists')) throw error;
  }
  const existing = api.get<ControllerRevision>('ControllerRevision', ds.metadata.namespace, name);
  if (existing !== undefined && matchRevision(ds, existing)) return existing;
  // A different template holds the name: bump collisionCount, unless our count was stale.
  const live = api.get<DaemonSet>('DaemonSet', ds.metadata.namespace, ds.metadata.name);
  if (live === undefined) throw new ApiError('NotFound', `daemonsets.apps "${ds.metadata.name}" not found`);
  if (live.status?.collisionCount !== ds.status?.collisionCount) {
    throw new ApiError('Conflict', `found a stale collision count (${ds.status?.collisionCount}, expected ${live.status?.collisionCount}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`);
  }
  const status = { ...(live.status as NonNullable<DaemonSet['status']>), collisionCount: (live.status?.collisionCount ?? 0) + 1 };
  const { resourceVersion: _rv, ...metadata } = live.metadata;
  api.updateStatus<DaemonSet>({ ...(live as DaemonSet), metadata: metadata as DaemonSet['metadata'], status });
  throw new ApiError('AlreadyExists', `controllerrevisions.apps "${name}" already exists`);
}

/**
 * cleanupHistory: deletes the oldest revisions beyond revisionHistoryLimit, sparing any whose
 * hash a pod of the DaemonSet still carries.
 */
export function cleanupHistory(api: ApiServer, ds: ReadonlyDS, old: readonly ReadonlyRevision[], isLiveHash: (hash: string) => boolean): void {
  let toKill = old.length - (ds.spec.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  for (const revision of sortControllerRevisions(old)) {
    if (toKill <= 0) break;
    if (isLiveHash(revision.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '')) continue;
    try {
      api.delete('ControllerRevision', revision.metadata.namespace, revision.metadata.name);
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
    toKill--;
  }
}
