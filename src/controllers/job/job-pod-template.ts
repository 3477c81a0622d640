/**
 * The pods a Job creates (pkg/controller/job/job_controller.go: manageJob's pod template;
 * indexed_job_utils.go: addCompletionIndexEnvVariables, addCompletionIndexAnnotation,
 * addCompletionIndexLabel, addIndexFailureCountAnnotation, podGenerateNameWithIndex).
 *
 * Every pod carries the `batch.kubernetes.io/job-tracking` finalizer until the controller has
 * counted it. An Indexed Job's pods also carry their index as annotation and label (PodIndexLabel,
 * on since 1.28), the hostname `<job>-<index>`, the name prefix `<job>-<index>-`, and the
 * JOB_COMPLETION_INDEX environment variable (read from that label); with backoffLimitPerIndex,
 * the failure counts the index has accumulated.
 */
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_INDEX_FAILURE_COUNT_ANNOTATION, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION, JOB_TRACKING_FINALIZER } from '../../api/defaults/job.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Container, Pod, PodTemplateSpec } from '../../api/types/pod.js';
import { getPodFromTemplate } from '../pod-template.js';
import { getNewIndexFailureCounts, podGenerateNameWithIndex } from './indexed.js';
import { type ReadonlyJob, type ReadonlyPod, hasBackoffLimitPerIndex, isIndexedJob } from './job-pods.js';

const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

type ReadonlyTemplate = DeepReadonly<PodTemplateSpec>;

/** One derived template per (immutable) Job template, as its pods share their spec. */
const derived = new WeakMap<object, ReadonlyTemplate>();

interface EnvVar {
  name: string;
  valueFrom?: { fieldRef: { fieldPath: string } };
}

/** addCompletionIndexEnvVariable: unless the container already defines it. */
function withIndexEnv(container: DeepReadonly<Container>): Container {
  const env = ((container as { env?: readonly EnvVar[] }).env ?? []) as EnvVar[];
  if (env.some((v) => v.name === COMPLETION_INDEX_ENV)) return container as Container;
  const fieldPath = `metadata.labels['${JOB_COMPLETION_INDEX_ANNOTATION}']`;
  return { ...(container as Container), env: [...env, { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath } } }] } as Container;
}

/** The Job's template with the tracking finalizer and, when Indexed, the index variable. */
export function jobPodTemplate(job: ReadonlyJob): ReadonlyTemplate {
  const template = job.spec.template;
  // completionMode is immutable, so the template object decides the result.
  const cached = derived.get(template);
  if (cached !== undefined) return cached;
  const finalizers = [...(template.metadata?.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  let spec = template.spec;
  if (isIndexedJob(job)) {
    spec = { ...spec, containers: spec.containers.map(withIndexEnv) } as typeof spec;
    if (template.spec.initContainers !== undefined) spec = { ...spec, initContainers: template.spec.initContainers.map(withIndexEnv) } as typeof spec;
  }
  const result: ReadonlyTemplate = { metadata: { ...(template.metadata ?? {}), finalizers }, spec };
  derived.set(template, result);
  return result;
}

/**
 * A new pod of the Job: from the derived template, or for an index, with the index's metadata,
 * hostname and name prefix; `replaced` is the failed pod whose counts the index inherits.
 */
export function newJobPod(job: ReadonlyJob, template: ReadonlyTemplate, index?: number, replaced?: ReadonlyPod): Pod {
  if (index === undefined) return getPodFromTemplate(template, job);
  const text = String(index);
  const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}), [JOB_COMPLETION_INDEX_ANNOTATION]: text };
  if (hasBackoffLimitPerIndex(job)) {
    const counts = getNewIndexFailureCounts(job, replaced);
    annotations[JOB_INDEX_FAILURE_COUNT_ANNOTATION] = String(counts.failures);
    if (counts.ignored > 0) annotations[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(counts.ignored);
  }
  const labels = { ...(template.metadata?.labels ?? {}), [JOB_COMPLETION_INDEX_ANNOTATION]: text };
  const spec = { ...template.spec, hostname: `${job.metadata.name}-${index}` };
  const pod = getPodFromTemplate({ metadata: { ...template.metadata, labels, annotations }, spec }, job);
  pod.metadata.generateName = podGenerateNameWithIndex(job.metadata.name, index);
  return pod;
}
