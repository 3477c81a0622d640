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
  CONTROLLER_REVISION_HASH_LABEL,
  createControllerRevision,
  equalRevision,
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

/** The last candidate revision built for a template (see candidateRevision), by template object. */
interface Candidate {
  readonly set: ReadonlySet;
  readonly revision: number;
  readonly collisionCount: number;
  readonly candidate: ControllerRevision;
}
const candidateByTemplate = new WeakMap<object, Candidate>();

/**
 * newRevision for a sync, built once while its inputs stay the same: every sync of a set builds
 * the candidate for its template, and hashing the template's data is most of a sync's revision
 * work. The candidate depends only on the set's template (an immutable object), identity
 * (apiVersion, kind, name, namespace, uid) and annotations, and on the revision number and
 * collision count; it is only read (createControllerRevision stores a copy of it).
 */
function candidateRevision(set: ReadonlySet, revision: number, collisionCount: number): ControllerRevision {
  const known = candidateByTemplate.get(set.spec.template);
  if (
    known !== undefined &&
    known.revision === revision &&
    known.collisionCount === collisionCount &&
    (known.set === set ||
      (known.set.apiVersion === set.apiVersion &&
        known.set.kind === set.kind &&
        known.set.metadata.name === set.metadata.name &&
        known.set.metadata.namespace === set.metadata.namespace &&
        known.set.metadata.uid === set.metadata.uid &&
        known.set.metadata.annotations === set.metadata.annotations))
  ) {
    return known.candidate;
  }
  const candidate = newRevision(set, revision, collisionCount);
  candidateByTemplate.set(set.spec.template, { set, revision, collisionCount, candidate });
  return candidate;
}

/**
 * FindEqualRevisions against a candidate: equalRevision, except that data the two share by
 * reference is equal without comparing its canonical JSON (a revision created from a candidate
 * shares its data, and is compared with it on every sync). The hash labels are still compared
 * first, as equalRevision does.
 */
function findEqualRevisionsTo<T extends ReadonlyRevision>(revisions: readonly T[], candidate: ReadonlyRevision): T[] {
  const hash = candidate.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  return revisions.filter((r) => {
    if (r.data !== candidate.data) return equalRevision(r, candidate);
    const other = r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
    return hash === undefined || other === undefined || hash === other;
  });
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
  const candidate = candidateRevision(set, nextRevision(revisions), collisionCount);
  const equal = findEqualRevisionsTo(revisions, candidate);
  let update: ReadonlyRevision;
  const last = revisions[revisions.length - 1];
  // A revision is equal to itself: the usual case (the newest revision is the template's) needs
  // no comparison of data.
  if (equal.length > 0 && (last === equal[equal.length - 1] || equalRevision(last, equal[equal.length - 1]))) {
    // The template has not changed since the last revision.
    update = last;
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
 * `pods` may be a function giving them: they are only listed when there is history to trim.
 */
export function truncateHistory(
  api: ApiServer,
  set: ReadonlySet,
  pods: readonly DeepReadonly<Pod>[] | (() => readonly DeepReadonly<Pod>[]),
  revisions: readonly ReadonlyRevision[],
  current: ReadonlyRevision | undefined,
  update: ReadonlyRevision | undefined,
): void {
  const limit = set.spec.revisionHistoryLimit ?? 10;
  // The history is a subset of the revisions: with no more revisions than the limit, nothing
  // can go, and the set's pods need not be looked at.
  if (limit < 0 || revisions.length <= limit) return;
  const live = new Set<string>();
  if (current !== undefined) live.add(current.metadata.name);
  if (update !== undefined) live.add(update.metadata.name);
  for (const pod of typeof pods === 'function' ? pods() : pods) live.add(getPodRevision(pod));
  const history = revisions.filter((r) => !live.has(r.metadata.name));
  if (history.length <= limit) return;
  for (const revision of history.slice(0, history.length - limit)) {
    try {
      api.delete('ControllerRevision', revision.metadata.namespace, revision.metadata.name, { preconditions: { uid: revision.metadata.uid } });
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
  }
}
