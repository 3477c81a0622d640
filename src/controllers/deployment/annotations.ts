/**
 * The annotations a Deployment and its ReplicaSets carry (pkg/controller/deployment/util/
 * deployment_util.go): revision numbers and their history, and the desired/max replica counts a
 * ReplicaSet was last sized for, which proportional scaling reads back.
 */
import type { Deployment } from '../../api/types/deployment.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Longest revision-history annotation kept (maxRevHistoryLengthInChars). */
export const MAX_REVISION_HISTORY_CHARS = 2000;

const SKIPPED_ANNOTATIONS = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
]);

/** Annotations kubectl rollout undo copies from a ReplicaSet back to the Deployment. */
export function isSkippedAnnotation(key: string): boolean {
  return SKIPPED_ANNOTATIONS.has(key);
}

/**
 * A decimal integer with an optional sign (/^[+-]?\d+$/), as a number. Checked character by
 * character rather than by that regular expression: revisions and replica counts are parsed
 * several times on every sync.
 */
function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const first = text.charCodeAt(0);
  let i = first === PLUS || first === MINUS ? 1 : 0;
  if (i >= text.length) return undefined;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return undefined;
  }
  return Number(text);
}

const PLUS = 43;
const MINUS = 45;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/** The revision annotation as a number; 0 when absent, undefined when malformed. */
export function revisionOf(obj: { readonly metadata: DeepReadonly<Deployment['metadata']> }): number | undefined {
  const text = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (text === undefined || text === '') return 0;
  return parseInteger(text);
}

/** MaxRevision: the highest revision among the ReplicaSets (malformed ones skipped). */
export function maxRevision(replicaSets: readonly DeepReadonly<ReplicaSet>[]): number {
  let max = 0;
  for (const rs of replicaSets) {
    const revision = revisionOf(rs);
    if (revision !== undefined && revision > max) max = revision;
  }
  return max;
}

export function getDesiredReplicasAnnotation(rs: DeepReadonly<ReplicaSet>): number | undefined {
  return parseInteger(rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]);
}

export function getMaxReplicasAnnotation(rs: DeepReadonly<ReplicaSet>): number | undefined {
  return parseInteger(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION]);
}

export function replicasAnnotationsNeedUpdate(rs: DeepReadonly<ReplicaSet>, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || annotations[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** SetReplicasAnnotations on a mutable copy; true when something changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  rs.metadata.annotations = { ...rs.metadata.annotations, [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(max) };
  return true;
}

/** copyDeploymentAnnotationsToReplicaSet: the Deployment's own annotations, minus the skipped ones. */
function copyDeploymentAnnotations(d: DeepReadonly<Deployment>, rs: ReplicaSet): boolean {
  let changed = false;
  const annotations = { ...rs.metadata.annotations };
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (isSkippedAnnotation(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  if (changed) rs.metadata.annotations = annotations;
  return changed;
}

/**
 * Whether setNewReplicaSetAnnotations(d, a copy of `rs`, newRevision, exists: true) could report
 * a change — an annotation of the Deployment the ReplicaSet lacks, or a revision below
 * `newRevision` — read without copying anything (the new ReplicaSet is checked on every sync).
 */
export function newReplicaSetAnnotationsChange(d: DeepReadonly<Deployment>, rs: DeepReadonly<ReplicaSet>, newRevision: number): boolean {
  const own = rs.metadata.annotations;
  const theirs = d.metadata.annotations;
  if (theirs !== undefined) {
    for (const key in theirs) if (!isSkippedAnnotation(key) && own?.[key] !== theirs[key]) return true;
  }
  const text = own?.[REVISION_ANNOTATION];
  const oldRevision = text === undefined || text === '' ? 0 : parseInteger(text);
  return oldRevision !== undefined && oldRevision < newRevision;
}

/**
 * SetNewReplicaSetAnnotations on a mutable copy of the new ReplicaSet: copies the Deployment's
 * annotations, raises the revision to `newRevision` (recording the previous one in the history
 * when an old ReplicaSet becomes new again, i.e. a rollback), and — for a ReplicaSet about to be
 * created — sets the replicas annotations. Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: DeepReadonly<Deployment>,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
  desired: number,
  max: number,
): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = { ...rs.metadata.annotations };
  const oldText = annotations[REVISION_ANNOTATION];
  const oldRevision = oldText === undefined || oldText === '' ? 0 : parseInteger(oldText);
  if (oldRevision === undefined) return false;
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
      if (history === '') {
        annotations[REVISION_HISTORY_ANNOTATION] = oldText;
      } else {
        // Drop the oldest entries until the new one fits in the length budget.
        const entries = history.split(',');
        let total = history.length + oldText.length + 1;
        let start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < entries.length) total -= entries[start++].length + 1;
        if (total <= MAX_REVISION_HISTORY_CHARS) annotations[REVISION_HISTORY_ANNOTATION] = [...entries.slice(start), oldText].join(',');
      }
    }
  }
  rs.metadata.annotations = annotations;
  if (!exists && setReplicasAnnotations(rs, desired, max)) changed = true;
  return changed;
}

/**
 * SetDeploymentRevision on a mutable copy; true when it changed. The metadata is replaced, not
 * changed in place: a sync's working copy shares it with the cache until then.
 */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  if (d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return false;
  d.metadata = { ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION_ANNOTATION]: revision } };
  return true;
}
