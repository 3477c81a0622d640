/**
 * batch/v1 Job defaults (pkg/apis/batch/v1/defaults.go: SetDefaults_Job) and the selector the
 * registry generates on create (pkg/registry/batch/job/strategy.go: PrepareForCreate,
 * generateSelector), plus the well-known label, annotation and finalizer names of the batch API
 * (k8s.io/api/batch/v1/types.go) that the Job controller and validation share.
 *
 * Defaults: completions and parallelism both unset → both 1; parallelism 1; backoffLimit 6, or
 * MaxInt32 with backoffLimitPerIndex; completionMode NonIndexed; suspend false; podFailurePolicy
 * onPodConditions status True; podReplacementPolicy Failed with a podFailurePolicy, else
 * TerminatingOrFailed; the Job's labels are its template's when it has none.
 *
 * On create without `manualSelector: true`, the template gets the `batch.kubernetes.io/job-name`
 * and `batch.kubernetes.io/controller-uid` labels (and their legacy unprefixed forms) and the
 * selector matches the controller uid. Upstream copies template labels to a label-less Job when
 * it decodes the stored object, i.e. after the selector was generated, so a Job without labels
 * ends up carrying the generated ones; the order here gives the same result.
 *
 * Deliberate difference: a create is recognised by the absence of the stored object (`old`).
 * The scenario loader checks manifests before the API server has assigned a uid, so the
 * generated labels then carry an empty uid; the API server assigns the uid before admission,
 * as upstream's handler does, so stored Jobs always carry their real one.
 */
import type { Job } from '../types/job.js';
import type { DeepReadonly } from '../types/meta.js';
import { defaultPodTemplateSpec } from './pod.js';

/** Finalizer the Job controller puts on its pods until it has counted them. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Annotation (and label, PodIndexLabel) carrying an Indexed Job pod's completion index. */
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** Failures of the index so far, carried from a failed pod to its replacement (backoffLimitPerIndex). */
export const JOB_INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
/** Failures of the index the podFailurePolicy ignored. */
export const JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
/** math.MaxInt32: the backoffLimit that never trips when failures are limited per index. */
export const MAX_INT32 = 2147483647;

/**
 * generateSelector: the job-name and controller-uid labels on the template (user-set ones are
 * kept, and validation rejects a conflict) and the controller-uid key in the selector. Copies
 * the template metadata and selector instead of writing into them: a caller may build the Job
 * from a template it shares (a CronJob's jobTemplate).
 */
export function generateSelector(obj: Job): void {
  const spec = obj.spec;
  const template = spec.template ?? ({} as Job['spec']['template']);
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  const uid = obj.metadata.uid ?? '';
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!Object.hasOwn(labels, key)) labels[key] = obj.metadata.name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!Object.hasOwn(labels, key)) labels[key] = uid;
  spec.template = { ...template, metadata: { ...(template.metadata ?? {}), labels } };
  const matchLabels: Record<string, string> = { ...(spec.selector?.matchLabels ?? {}) };
  if (!Object.hasOwn(matchLabels, CONTROLLER_UID_LABEL)) matchLabels[CONTROLLER_UID_LABEL] = uid;
  spec.selector = { ...(spec.selector ?? {}), matchLabels };
}

/** Defaults a Job in place (only absent fields); on create also generates its selector. */
export function defaultJob(obj: Job, old?: DeepReadonly<Job>): void {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return;
  // A non-parallel Job may leave both unset; a work-queue Job sets parallelism only.
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? MAX_INT32 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) {
      if (pattern.status == null || (pattern.status as string) === '') pattern.status = 'True';
    }
  }
  spec.podReplacementPolicy ??= spec.podFailurePolicy != null ? 'Failed' : 'TerminatingOrFailed';
  defaultPodTemplateSpec(spec.template);
  if (old === undefined && spec.manualSelector !== true) generateSelector(obj);
  const labels = spec.template?.metadata?.labels;
  if (labels !== undefined && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels };
}
