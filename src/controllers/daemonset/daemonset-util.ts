/**
 * The DaemonSet helpers of pkg/controller/daemon/util/daemonset_util.go: the tolerations every
 * daemon pod gets, the pod template with its revision labels, the node-name affinity that pins a
 * pod to its node, the node a pod is meant for, and the surge / unavailability budgets.
 */
import { DEPRECATED_TEMPLATE_GENERATION, parseTemplateGeneration } from '../../api/defaults/daemonset.js';
import { getScaledValueFromIntOrPercent } from '../../api/int-or-percent.js';
import type { DaemonSet } from '../../api/types/daemonset.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Affinity, NodeSelectorRequirement, Pod, PodSpec, PodTemplateSpec, Toleration } from '../../api/types/pod.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-history.js';

/** extensions.DaemonSetTemplateGenerationKey: the template generation on each daemon pod. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** apps.DefaultDaemonSetUniqueLabelKey (= ControllerRevisionHashLabelKey). */
export const DAEMONSET_HASH_LABEL = CONTROLLER_REVISION_HASH_LABEL;
/** metav1.ObjectNameField: the one field a node selector term may match. */
export const OBJECT_NAME_FIELD = 'metadata.name';

type ReadonlyDS = DeepReadonly<DaemonSet>;

/** GetTemplateGeneration: the generation from the deprecated annotation (undefined when absent or unparsable). */
export function getTemplateGeneration(ds: ReadonlyDS): number | undefined {
  return parseTemplateGeneration(ds.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION]);
}

/**
 * The tolerations AddOrUpdateDaemonPodTolerations adds, in its order. The NoExecute ones carry no
 * tolerationSeconds: daemon pods survive a node going not-ready or unreachable forever.
 */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
/** Only for hostNetwork pods, which need no pod network to run. */
const NETWORK_UNAVAILABLE_TOLERATION: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

/** Toleration.MatchToleration: the same key, operator, value and effect (absent = ""). */
function matchToleration(a: DeepReadonly<Toleration>, b: DeepReadonly<Toleration>): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
}

function sameToleration(a: DeepReadonly<Toleration>, b: DeepReadonly<Toleration>): boolean {
  return matchToleration(a, b) && a.tolerationSeconds === b.tolerationSeconds;
}

/**
 * AddOrUpdateTolerationInPodSpec: a toleration matching `toleration` is replaced by it in place
 * (so a user's not-ready toleration with tolerationSeconds becomes the forever one); otherwise it
 * is appended.
 */
function addOrUpdateToleration(tolerations: DeepReadonly<Toleration>[], toleration: Toleration): DeepReadonly<Toleration>[] {
  let updated = false;
  const next: DeepReadonly<Toleration>[] = [];
  for (const existing of tolerations) {
    if (matchToleration(toleration, existing)) {
      if (sameToleration(toleration, existing)) return tolerations;
      next.push(toleration);
      updated = true;
    } else {
      next.push(existing);
    }
  }
  if (!updated) next.push(toleration);
  return next;
}

/** AddOrUpdateDaemonPodTolerations: the pod spec's tolerations plus the daemon ones (a new list). */
export function addOrUpdateDaemonPodTolerations(spec: DeepReadonly<PodSpec>): Toleration[] {
  let tolerations: DeepReadonly<Toleration>[] = [...(spec.tolerations ?? [])];
  for (const toleration of DAEMON_TOLERATIONS) tolerations = addOrUpdateToleration(tolerations, toleration);
  if (spec.hostNetwork === true) tolerations = addOrUpdateToleration(tolerations, NETWORK_UNAVAILABLE_TOLERATION);
  return tolerations as Toleration[];
}

/**
 * CreatePodTemplate: the template with the daemon tolerations and the `pod-template-generation`
 * (when known) and `controller-revision-hash` (when non-empty) labels. Shares what it does not change.
 */
export function createPodTemplate(template: DeepReadonly<PodTemplateSpec>, generation: number | undefined, hash: string): DeepReadonly<PodTemplateSpec> {
  const labels: Record<string, string> = { ...template.metadata?.labels };
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash.length > 0) labels[DAEMONSET_HASH_LABEL] = hash;
  return {
    ...template,
    metadata: { ...template.metadata, labels },
    spec: { ...template.spec, tolerations: addOrUpdateDaemonPodTolerations(template.spec) },
  };
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: required node affinity reduced to one term,
 * `metadata.name In [node]`, so the scheduler can only bind the pod to its node; preferred terms
 * and other affinities are kept.
 */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: DeepReadonly<Affinity> | undefined, nodeName: string): Affinity {
  const requirement: NodeSelectorRequirement = { key: OBJECT_NAME_FIELD, operator: 'In', values: [nodeName] };
  const required = { nodeSelectorTerms: [{ matchFields: [requirement] }] };
  const nodeAffinity = affinity?.nodeAffinity;
  return {
    ...(affinity as Affinity | undefined),
    nodeAffinity: { ...(nodeAffinity as Affinity['nodeAffinity']), requiredDuringSchedulingIgnoredDuringExecution: required },
  };
}

/**
 * GetTargetNodeName: spec.nodeName once bound, else the single `metadata.name In [x]` value of the
 * required node affinity; undefined where upstream returns an error (the pod is then ignored).
 */
export function getTargetNodeName(pod: DeepReadonly<Pod>): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms === undefined || terms.length === 0) return undefined;
  for (const term of terms) {
    for (const requirement of term.matchFields ?? []) {
      if (requirement.key === OBJECT_NAME_FIELD && requirement.operator === 'In') {
        const values = requirement.values ?? [];
        return values.length === 1 ? values[0] : undefined;
      }
    }
  }
  return undefined;
}

/** IsPodUpdated: the pod carries the current hash, or the current template generation. */
export function isPodUpdated(pod: DeepReadonly<Pod>, hash: string, templateGeneration: number | undefined): boolean {
  const labels = pod.metadata.labels;
  const templateMatches = templateGeneration !== undefined && labels?.[TEMPLATE_GENERATION_LABEL] === String(templateGeneration);
  const hashMatches = hash.length > 0 && labels?.[DAEMONSET_HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}

/** SurgeCount: maxSurge resolved against `numberToSchedule` nodes (percent rounds up); 0 without RollingUpdate. */
export function surgeCount(ds: ReadonlyDS, numberToSchedule: number): number {
  const strategy = ds.spec.updateStrategy;
  if (strategy?.type !== 'RollingUpdate' || strategy.rollingUpdate === undefined) return 0;
  const maxSurge = strategy.rollingUpdate.maxSurge;
  return maxSurge === undefined ? 0 : getScaledValueFromIntOrPercent(maxSurge, numberToSchedule, true);
}

/** UnavailableCount: maxUnavailable resolved against `numberToSchedule` nodes (percent rounds up). */
export function unavailableCount(ds: ReadonlyDS, numberToSchedule: number): number {
  const strategy = ds.spec.updateStrategy;
  if (strategy?.type !== 'RollingUpdate' || strategy.rollingUpdate === undefined) return 0;
  // Defaulting always sets it; upstream resolves the zero IntOrString, which is 0.
  return getScaledValueFromIntOrPercent(strategy.rollingUpdate.maxUnavailable ?? 0, numberToSchedule, true);
}

/** AllowsSurge: whether more than one pod may run on a node (maxSurge resolves above 0 for one node). */
export function allowsSurge(ds: ReadonlyDS): boolean {
  return surgeCount(ds, 1) > 0;
}
