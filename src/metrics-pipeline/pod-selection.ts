/**
 * The pods of a namespace a label selector matches, through informer indexes rather than a scan
 * of every pod: the smallest bucket of the selector's `matchLabels` pairs in the pod-label index
 * (shared with the EndpointSlice controller), or the namespace's pods when the selector has only
 * expressions; then the whole selector is checked on each candidate.
 */
import { type LabelPredicate, compiledLabelSelector } from '../api/label-selector.js';
import type { DeepReadonly, LabelSelector } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import { type Informer, objectNamespace } from '../cluster/informer.js';
import { INDEX_POD_LABELS, labelIndexValue, podLabelValues, podLabelsOf } from '../controllers/endpointslice/indexes.js';

export const INDEX_POD_NAMESPACE = 'metrics-pipeline/podNamespace';

/** An HPA asks with the same (immutable) selector every sync: compiled once. */
function predicateOf(selector: DeepReadonly<LabelSelector> | undefined): LabelPredicate {
  return compiledLabelSelector(selector);
}

/** Adds the indexes {@link selectPods} reads; call before any pod exists. */
export function indexPods(pods: Informer<Pod>): Informer<Pod> {
  return pods.addIndex(INDEX_POD_LABELS, podLabelValues, podLabelsOf).addIndex(INDEX_POD_NAMESPACE, objectNamespace);
}

/** The pods of `namespace` that `selector` matches, in index order. */
export function selectPods(pods: Informer<Pod>, namespace: string, selector: DeepReadonly<LabelSelector> | undefined): DeepReadonly<Pod>[] {
  const matches = predicateOf(selector);
  let candidates: ReadonlyMap<string, DeepReadonly<Pod>> | undefined;
  const labels = selector?.matchLabels ?? {};
  for (const key of Object.keys(labels)) {
    const bucket = pods.byIndex(INDEX_POD_LABELS, labelIndexValue(namespace, key, labels[key]));
    if (candidates === undefined || bucket.size < candidates.size) candidates = bucket;
    if (bucket.size === 0) break;
  }
  candidates ??= pods.byIndex(INDEX_POD_NAMESPACE, namespace);
  const out: DeepReadonly<Pod>[] = [];
  for (const pod of candidates.values()) if (matches(pod.metadata.labels)) out.push(pod);
  return out;
}
