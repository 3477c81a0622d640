/**
 * NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity; matching in
 * k8s.io/component-helpers/scheduling/corev1/nodeaffinity).
 *
 * Filter: `spec.nodeSelector` (every pair must match the node's labels) AND the required
 * node-affinity terms (ORed; each term's expressions ANDed). PreFilter skips the filter when the
 * pod has neither, and narrows the candidates when every required term pins nodes by
 * `metadata.name` (how DaemonSet pods target their node), so only those nodes are evaluated.
 * Score: the sum of the weights of the preferred terms the node matches, normalised so the best
 * node gets 100.
 *
 * Deliberate gap: no scheduler-enforced `addedAffinity` (a profile argument, empty by default).
 */
import { type NodeSelectorSubject, matchesLabelMap, nodeSelectorTermMatches, nodeSelectorTermsMatch } from '../../api/label-selector.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { NodeSelectorTerm, Pod, PreferredSchedulingTerm } from '../../api/types/pod.js';
import { ActionType, type ClusterEventRegistration } from '../cluster-events.js';
import { type FilterPlugin, MAX_NODE_SCORE, type PreFilterPlugin, type PreFilterResult, type Rejections, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { InputEpoch } from '../score-memo.js';
import { deepEqual } from '../../util/objects.js';
import { defaultNormalizeScore } from './normalize-score.js';

/** Filter reason: the node does not satisfy nodeSelector or required node affinity. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** PreFilter rejection: the required terms pin disjoint node names. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

/** The required node-affinity terms of a pod spec. */
function requiredTerms(spec: DeepReadonly<Pod>['spec']): readonly DeepReadonly<NodeSelectorTerm>[] | undefined {
  return spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
}

/** nodeSelector AND required node affinity, as one predicate (GetRequiredNodeAffinity). */
export class RequiredNodeAffinity {
  private readonly nodeSelector: DeepReadonly<Record<string, string>> | undefined;
  private readonly terms: readonly DeepReadonly<NodeSelectorTerm>[] | undefined;

  constructor(pod: DeepReadonly<Pod>) {
    this.nodeSelector = pod.spec.nodeSelector;
    this.terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  }

  match(node: NodeSelectorSubject): boolean {
    if (this.nodeSelector !== undefined && !matchesLabelMap(this.nodeSelector, node.labels)) return false;
    return this.terms === undefined || nodeSelectorTermsMatch(this.terms, node);
  }
}

/**
 * The node names the required terms allow when every term pins `metadata.name In [...]`
 * (several such requirements in one term intersect; terms union); undefined when some term
 * does not pin names and so allows any node. An empty set means the terms contradict.
 */
export function requiredNodeNames(terms: readonly DeepReadonly<NodeSelectorTerm>[]): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (const term of terms) {
    let termNames: Set<string> | undefined;
    for (const requirement of term.matchFields ?? []) {
      if (requirement.key !== 'metadata.name' || requirement.operator !== 'In') continue;
      const values = requirement.values ?? [];
      termNames = termNames === undefined ? new Set(values) : new Set(values.filter((value) => termNames?.has(value)));
    }
    if (termNames === undefined) return undefined;
    names = names === undefined ? termNames : new Set([...names, ...termNames]);
  }
  return names;
}

/** Sum of the weights of the preferred terms the node matches (PreferredSchedulingTerms.Score). */
export function preferredSchedulingTermsScore(terms: readonly DeepReadonly<PreferredSchedulingTerm>[], node: NodeSelectorSubject): number {
  let score = 0;
  for (const term of terms) if (nodeSelectorTermMatches(term.preference, node)) score += term.weight;
  return score;
}

/** PreFilter, Filter and Score plugin; see the file header. */
export class NodeAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'NodeAffinity';
  readonly events: readonly ClusterEventRegistration[] = [{ resource: 'Node', actionType: ActionType.Add | ActionType.Update }];
  private required: RequiredNodeAffinity | undefined;
  private preferred: readonly DeepReadonly<PreferredSchedulingTerm>[] = [];
  /** The preferred terms `preferred` was derived from (pods of a template share them). */
  private preferredSeen: readonly DeepReadonly<PreferredSchedulingTerm>[] | undefined | null = null;
  private readonly epoch = new InputEpoch<DeepReadonly<Pod>['spec']>(
    (a, b) => deepEqual(a.nodeSelector, b.nodeSelector) && deepEqual(requiredTerms(a), requiredTerms(b)),
  );

  /**
   * Node-local: a verdict depends on the node's labels and name and on the pod's nodeSelector
   * and required terms. (The score is normalised over the nodes scored, so it is never memoised.)
   */
  nodeMemoEpoch(pod: PodInfo): number {
    return this.epoch.note(pod.pod.spec);
  }

  preFilter(pod: PodInfo): PreFilterResult {
    const { nodeSelector, affinity } = pod.pod.spec;
    const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (terms === undefined && (nodeSelector === undefined || Object.keys(nodeSelector).length === 0)) return 'skip';
    this.required = new RequiredNodeAffinity(pod.pod);
    if (terms === undefined || terms.length === 0) return undefined;
    const nodeNames = requiredNodeNames(terms);
    if (nodeNames === undefined) return undefined;
    return nodeNames.size === 0 ? { rejection: ERR_REASON_CONFLICT } : { nodeNames };
  }

  filter(_pod: PodInfo, nodes: NodeInfo[], count: number, rejections: Rejections): number {
    const required = this.required as RequiredNodeAffinity;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const node = nodes[i];
      if (required.match(node)) nodes[kept++] = node;
      else rejections.reject(ERR_REASON_POD);
    }
    return kept;
  }

  preScore(pod: PodInfo): boolean {
    const terms = pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (terms !== this.preferredSeen) {
      this.preferredSeen = terms;
      // Terms of weight 0 are dropped when compiled upstream; with none left every node scores 0.
      this.preferred = (terms ?? []).filter((term) => term.weight !== 0);
    }
    return this.preferred.length > 0;
  }

  score(_pod: PodInfo, nodes: readonly NodeInfo[], count: number, scores: Int32Array): undefined {
    for (let i = 0; i < count; i++) scores[i] = preferredSchedulingTermsScore(this.preferred, nodes[i]);
    return undefined;
  }

  normalizeScore(scores: Int32Array, count: number): void {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores, count);
  }
}
