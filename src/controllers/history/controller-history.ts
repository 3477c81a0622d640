/**
 * ControllerRevisions: the template history of StatefulSets and DaemonSets
 * (pkg/controller/history/controller_history.go; the patch they store follows
 * pkg/controller/statefulset/stateful_set_utils.go: getPatch and pkg/controller/daemon/update.go:
 * getPatch).
 *
 * A revision stores the owner's pod template as a patch that replaces it
 * (`{"spec":{"template":{…,"$patch":"replace"}}}`); two revisions are equal when their data is.
 * The revision's name is `<owner>-<hash>`, the hash varied by the owner's collisionCount when
 * a different revision already holds the name.
 */
import type { ApiServer } from '../../cluster/api-server.js';
import type { ControllerRevision } from '../../api/types/controller-revision.js';
import type { DeepReadonly, KubeObject } from '../../api/types/meta.js';
import type { PodTemplateSpec } from '../../api/types/pod.js';
import { isApiError } from '../../errors.js';
import { canonicalJson, deepCopy } from '../../util/objects.js';
import { fnv32, jsonBytes, safeEncodeString, utf8 } from '../hashing.js';

type ReadonlyRevision = DeepReadonly<ControllerRevision>;

/** Label with the revision's hash, on the revision itself and (DaemonSets) on its pods. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** Kubernetes names are at most 253 characters; the hash and dash take the rest. */
const MAX_PREFIX_LENGTH = 223;

/** What a revision stores: a patch that replaces the owner's template. */
export interface RevisionData {
  spec: { template: PodTemplateSpec & { $patch: 'replace' } };
}

export function revisionData(template: DeepReadonly<PodTemplateSpec>): RevisionData {
  return { spec: { template: { ...(deepCopy(template) as PodTemplateSpec), $patch: 'replace' } } };
}

/** The pod template a revision restores. */
export function templateOfRevision(revision: ReadonlyRevision): PodTemplateSpec {
  const data = revision.data as DeepReadonly<RevisionData> | undefined;
  const { $patch: _replace, ...template } = deepCopy(data?.spec.template ?? {}) as PodTemplateSpec & { $patch?: string };
  return template;
}

/** HashControllerRevision: FNV-1 of the data, then of the collision count in decimal. */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  let hash = fnv32(jsonBytes(data));
  if (collisionCount !== undefined) hash = fnv32(utf8(String(collisionCount)), hash);
  return safeEncodeString(String(hash));
}

/** ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to leave room for the hash. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > MAX_PREFIX_LENGTH ? prefix.slice(0, MAX_PREFIX_LENGTH) : prefix}-${hash}`;
}

/**
 * NewControllerRevision: a revision of `parent` holding `data`, labelled with the template's
 * labels and its hash, controlled by the parent.
 */
export function newControllerRevision(
  parent: DeepReadonly<KubeObject>,
  templateLabels: Readonly<Record<string, string>> | undefined,
  data: RevisionData,
  revision: number,
  collisionCount: number | undefined,
): ControllerRevision {
  const hash = hashControllerRevision(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(parent.metadata.name, hash),
      namespace: parent.metadata.namespace,
      labels: { ...templateLabels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [{ apiVersion: parent.apiVersion, kind: parent.kind, name: parent.metadata.name, uid: parent.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    data,
    revision,
  };
}

/** SortControllerRevisions: by revision number, then creation, then name. */
export function sortControllerRevisions<T extends ReadonlyRevision>(revisions: readonly T[]): T[] {
  return [...revisions].sort(
    (a, b) =>
      a.revision - b.revision ||
      (a.metadata.creationTimestamp ?? 0) - (b.metadata.creationTimestamp ?? 0) ||
      (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
  );
}

/** EqualRevision: same hash label (when both have one) and the same data. */
export function equalRevision(a: ReadonlyRevision | undefined, b: ReadonlyRevision | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ha = a.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const hb = b.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** FindEqualRevisions: the revisions equal to `needle`, in the given order. */
export function findEqualRevisions<T extends ReadonlyRevision>(revisions: readonly T[], needle: ReadonlyRevision): T[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** nextRevision: one more than the highest revision number (1 for no history). */
export function nextRevision(revisions: readonly ReadonlyRevision[]): number {
  let max = 0;
  for (const r of revisions) if (r.revision > max) max = r.revision;
  return max + 1;
}

/**
 * realHistory.CreateControllerRevision: creates the revision; when its name is taken by an
 * equal revision that one is returned, by a different one the collision count goes up and the
 * name is recomputed. Returns the stored revision and the collision count used.
 */
export function createControllerRevision(
  api: ApiServer,
  parent: DeepReadonly<KubeObject>,
  revision: ControllerRevision,
  collisionCount: number,
): { revision: ReadonlyRevision; collisionCount: number } {
  let count = collisionCount;
  // Bounded: each round either stores, finds an equal revision, or moves to a fresh name.
  for (let attempt = 0; attempt < 1000; attempt++) {
    const hash = hashControllerRevision(revision.data, count);
    const candidate: ControllerRevision = {
      ...revision,
      metadata: {
        ...revision.metadata,
        name: controllerRevisionName(parent.metadata.name, hash),
        labels: { ...revision.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      },
    };
    try {
      return { revision: api.create(candidate), collisionCount: count };
    } catch (error) {
      if (!isApiError(error, 'AlreadyExists')) throw error;
      const existing = api.get<ControllerRevision>('ControllerRevision', candidate.metadata.namespace, candidate.metadata.name);
      if (existing !== undefined && equalRevision(existing, candidate)) return { revision: existing, collisionCount: count };
      count++;
    }
  }
  throw new Error(`controller revision for ${parent.kind} ${parent.metadata.name}: no free name after 1000 collisions`);
}

/** realHistory.UpdateControllerRevision: a revision renumbered (an old template reused). */
export function updateControllerRevision(api: ApiServer, revision: ReadonlyRevision, newRevision: number): ReadonlyRevision {
  if (revision.revision === newRevision) return revision;
  const copy = deepCopy(revision) as ControllerRevision;
  copy.revision = newRevision;
  return api.update(copy);
}
