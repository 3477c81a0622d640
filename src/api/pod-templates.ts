/**
 * Where each kind keeps the pod template its pods are made from: `spec.template` for the
 * workloads, `spec.jobTemplate.spec.template` for a CronJob. What `kubectl set image` edits and
 * what a Pod's image change means for each kind.
 */
import type { KubeObject } from './types/meta.js';
import type { PodSpec, PodTemplateSpec } from './types/pod.js';

/** Kinds with a pod template at `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

/** The pod template of a workload (a mutable view into `obj`), or undefined for other kinds. */
export function podTemplateOf(obj: KubeObject): PodTemplateSpec | undefined {
  const spec = (obj as KubeObject & { spec?: { template?: PodTemplateSpec; jobTemplate?: { spec?: { template?: PodTemplateSpec } } } }).spec;
  if (TEMPLATE_KINDS.has(obj.kind)) return spec?.template;
  if (obj.kind === 'CronJob') return spec?.jobTemplate?.spec?.template;
  return undefined;
}

/** The pod spec a `set image` edits: a Pod's own, or its workload's template's. */
export function podSpecOf(obj: KubeObject): PodSpec | undefined {
  if (obj.kind === 'Pod') return (obj as KubeObject & { spec?: PodSpec }).spec;
  return podTemplateOf(obj)?.spec;
}

/** Kinds whose images `kubectl set image` changes. */
export const IMAGE_KINDS: readonly string[] = ['Pod', ...TEMPLATE_KINDS, 'CronJob'];
