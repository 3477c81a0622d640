/**
 * A StatefulSet's template history (pkg/controller/statefulset/stateful_set_control.go:
 * getStatefulSetRevisions, truncateHistory; stateful_set_utils.go: newRevision, ApplyRevision,
 * nextRevision), on the ControllerRevision helpers of ../history/controller-history.ts.
 *
 * Each sync computes the revision of the set's current template: an identical last revision is
 * the update revision; an identical older one is renumbered to the next number (a rollback); no
 * identical one means a new revision is created. The current revision is the one
 * status.currentRevision names, or the update revision when there is none yet.
 */
import type { ApiServer } from '../../cluster/api-server.js';
import type { ControllerRevision } from '../../api/types/controller-revision.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod, PodTemplateSpec } from '../../api/types/pod.js';
import type { StatefulSet } from '../../api/types/statefulset.js';
import { isApiError } from '../../errors.js';
import {
  createControllerRevision,
  equalRevision,
  findEqualRevisions,
  newControllerRevision,
  nextRevision,
  revisionData,
  type RevisionData,
  templateOfRevision,
  updateControllerRevision,
} from '../history/controller-history.js';
import { getPodRevision } from './identity.js';

type ReadonlyRevision = DeepReadonly<ControllerRevision>;
type ReadonlySet = DeepReadonly<StatefulSet>;

/** The stored data of a template, computed once per (immutable) template object. */
const dataByTemplate = new WeakMap<object, RevisionData>();
/** The template a revision restores, computed once per (immutable) revision object. */
const templateByRevision = new WeakMap<object, PodTemplateSpec>();

/**
 * newRevision: a revision holding the set's template, labelled with the template's labels and
 * the hash, carrying the set's annotations, controlled by the set.
 */
export function newRevision(set: ReadonlySet, revision: number, collisionCount: number): ControllerRevision {
  let data = dataByTemplate.get(set.spec.template);
  if (data === undefined) {
    data = revisionData(set.spec.template);
    dataByTemplate.set(set.spec.template, data);
  }
  const result = newControllerRevision(set, set.spec.template.metadata?.labels, data, revision, collisionCount);
  if (set.metadata.annotations !== undefined) result.metadata.annotations = { ...set.metadata.annotations };
  return result;
}

/** ApplyRevision: the set as it was at `revision` (its template restored; nothing else changes). */
export function applyRevision(set: ReadonlySet, revision: ReadonlyRevision): ReadonlySet {
  let template = templateByRevision.get(revision);
  if (template === undefined) {
    template = templateOfRevision(revision);
    templateByRevision.set(revision, template);
  }
  return { ...set, spec: { ...set.spec, template } } as ReadonlySet;
}

export interface SetRevisions {
  readonly current: ReadonlyRevision;
  readonly update: ReadonlyRevision;
  readonly collisionCount: number;
}

/**
 * getStatefulSetRevisions over `revisions` (sorted): may create a revision or renumber one.
 * Throws an ApiError when a write fails.
 */
export function getStatefulSetRevisions(api: ApiServer, set: ReadonlySet, revisions: readonly ReadonlyRevision[]): SetRevisions {
  let collisionCount = set.status?.collisionCount ?? 0;
  const candidate = newRevision(set, nextRevision(revisions), collisionCount);
  const equal = findEqualRevisions(revisions, candidate);
  let update: ReadonlyRevision;
  if (equal.length > 0 && equalRevision(revisions[revisions.length - 1], equal[equal.length - 1])) {
    // The template has not changed since the last revision.
    update = revisions[revisions.length - 1];
  } else if (equal.length > 0) {
    // Back to an older template: it becomes the newest revision again.
    update = updateControllerRevision(api, equal[equal.length - 1], candidate.revision);
  } else {
    const created = createControllerRevision(api, set, candidate, collisionCount);
    update = created.revision;
    collisionCount = created.collisionCount;
  }
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}

/**
 * truncateHistory: delete the oldest revisions that are neither current, update, nor used by a
 * pod, until revisionHistoryLimit such revisions remain. A revision already gone is skipped.
 */
export function truncateHistory(
  api: ApiServer,
  set: ReadonlySet,
  pods: readonly DeepReadonly<Pod>[],
  revisions: readonly ReadonlyRevision[],
  current: ReadonlyRevision | undefined,
  update: ReadonlyRevision | undefined,
): void {
  const live = new Set<string>();
  if (current !== undefined) live.add(current.metadata.name);
  if (update !== undefined) live.add(update.metadata.name);
  for (const pod of pods) live.add(getPodRevision(pod));
  const history = revisions.filter((r) => !live.has(r.metadata.name));
  const limit = set.spec.revisionHistoryLimit ?? 10;
  if (limit < 0 || history.length <= limit) return;
  for (const revision of history.slice(0, history.length - limit)) {
    try {
      api.delete('ControllerRevision', revision.metadata.namespace, revision.metadata.name, { preconditions: { uid: revision.metadata.uid } });
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
  }
}
