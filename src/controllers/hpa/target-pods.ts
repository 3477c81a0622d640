/**
 * The pods an HPA's target selects (upstream lists the namespace's pods with the scale's
 * selector). Found through informer indexes instead of a namespace scan: the pods controlled by
 * the target — through its ReplicaSets for a Deployment — and the namespace's pods without a
 * controller, each kept only when the selector matches it.
 *
 * Deliberate gap: a pod the selector matches but another controller owns (overlapping selectors
 * of two workloads) is not counted; upstream would count it.
 */
import { compiledLabelSelector, type LabelPredicate } from '../../api/label-selector.js';
import type { DeepReadonly, LabelSelector } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import { INDEX_CONTROLLER_UID, INDEX_ORPHANS, type Informer, type InformerFactory } from '../../cluster/informer.js';
import type { Scale } from './scale-target.js';

export class TargetPods {
  private readonly pods: Informer<Pod>;
  private readonly replicaSets: Informer<ReplicaSet>;

  constructor(informers: InformerFactory) {
    this.pods = informers.forKind<Pod>('Pod');
    this.replicaSets = informers.forKind<ReplicaSet>('ReplicaSet');
  }

  /** The compiled form of `selector` (which must be a stored object's, hence immutable). */
  predicate(selector: DeepReadonly<LabelSelector>): LabelPredicate {
    return compiledLabelSelector(selector);
  }

  /** The target's pods that `selector` matches, controlled ones first, each once. */
  list(scale: Scale, selector: DeepReadonly<LabelSelector>): DeepReadonly<Pod>[] {
    const matches = this.predicate(selector);
    const namespace = scale.object.metadata.namespace ?? '';
    const uid = scale.object.metadata.uid ?? '';
    const result: DeepReadonly<Pod>[] = [];
    if (scale.object.kind === 'Deployment') {
      for (const rs of this.replicaSets.byIndex(INDEX_CONTROLLER_UID, uid).values()) take(result, matches, this.pods.byIndex(INDEX_CONTROLLER_UID, rs.metadata.uid ?? ''));
    } else {
      take(result, matches, this.pods.byIndex(INDEX_CONTROLLER_UID, uid));
    }
    take(result, matches, this.pods.byIndex(INDEX_ORPHANS, namespace));
    return result;
  }
}

/** Appends the pods of `pods` that `matches` accepts. */
function take(result: DeepReadonly<Pod>[], matches: LabelPredicate, pods: ReadonlyMap<string, DeepReadonly<Pod>>): void {
  for (const pod of pods.values()) if (matches(pod.metadata.labels)) result.push(pod);
}
