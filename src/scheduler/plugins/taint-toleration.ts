/**
 * TaintToleration (pkg/scheduler/framework/plugins/tainttoleration).
 *
 * Filter: a node with a NoSchedule or NoExecute taint the pod does not tolerate is rejected,
 * naming the first such taint. Score: the number of PreferNoSchedule taints the pod does not
 * tolerate, counting only tolerations with an empty or PreferNoSchedule effect; normalised in
 * reverse, so the node with the most intolerable soft taints scores 0 and untainted nodes 100.
 */
import { findUntoleratedTaint, isTaintTolerated } from '../../api/taints.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { TaintEffect, Toleration } from '../../api/types/pod.js';
import { ActionType, type ClusterEventRegistration } from '../cluster-events.js';
import { type FilterPlugin, MAX_NODE_SCORE, type Rejections, type ScorePlugin } from '../framework.js';
import { type NodeInfo, type NodeTable, NodeTraits } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { InputEpoch } from '../score-memo.js';
import { deepEqual } from '../../util/objects.js';
import { defaultNormalizeScore } from './normalize-score.js';

/** Effects the filter enforces (helper.DoNotScheduleTaintsFilterFunc). */
const DO_NOT_SCHEDULE: readonly TaintEffect[] = ['NoSchedule', 'NoExecute'];

/** The filter's reason for an untolerated taint. */
export function untoleratedTaintReason(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`;
}

/** Tolerations that can tolerate a PreferNoSchedule taint (getAllTolerationPreferNoSchedule). */
export function getAllTolerationPreferNoSchedule(tolerations: readonly DeepReadonly<Toleration>[] | undefined): DeepReadonly<Toleration>[] {
  return (tolerations ?? []).filter((toleration) => !toleration.effect || toleration.effect === 'PreferNoSchedule');
}

/** PreferNoSchedule taints of the node that none of `tolerations` tolerates. */
export function countIntolerableTaintsPreferNoSchedule(node: NodeInfo, tolerations: readonly DeepReadonly<Toleration>[]): number {
  let count = 0;
  for (const taint of node.taints) {
    if (taint.effect === 'PreferNoSchedule' && !isTaintTolerated(taint, tolerations)) count++;
  }
  return count;
}

/** Filter and Score plugin; see the file header. */
export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = 'TaintToleration';
  readonly events: readonly ClusterEventRegistration[] = [{ resource: 'Node', actionType: ActionType.Add | ActionType.Update }];
  /** The pod tolerations the last PreferNoSchedule list was derived from (pods of a template share them). */
  private tolerationsSeen: readonly DeepReadonly<Toleration>[] | undefined | null = null;
  private preferNoScheduleTolerations: DeepReadonly<Toleration>[] = [];
  private readonly epoch = new InputEpoch<readonly DeepReadonly<Toleration>[] | undefined>(deepEqual);

  /** Node-local: a verdict and a raw score depend on the node's taints and the pod's tolerations. */
  nodeMemoEpoch(pod: PodInfo): number {
    return this.epoch.note(pod.pod.spec.tolerations);
  }

  filter(pod: PodInfo, nodes: NodeInfo[], count: number, rejections: Rejections): number {
    // Only NoSchedule and NoExecute taints can reject: with no node carrying one, all fit.
    if (count === 0 || nodes[0].table.nodesWith(NodeTraits.HardTaint) === 0) return count;
    const tolerations = pod.pod.spec.tolerations;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const node = nodes[i];
      const taint = (node.traits & NodeTraits.HardTaint) === 0 ? undefined : findUntoleratedTaint(node.taints, tolerations, DO_NOT_SCHEDULE);
      if (taint === undefined) nodes[kept++] = node;
      else rejections.reject(untoleratedTaintReason(taint.key, taint.value));
    }
    return kept;
  }

  preScore(pod: PodInfo): boolean {
    const tolerations = pod.pod.spec.tolerations;
    if (tolerations !== this.tolerationsSeen) {
      this.tolerationsSeen = tolerations;
      this.preferNoScheduleTolerations = getAllTolerationPreferNoSchedule(tolerations);
    }
    return true;
  }

  /** With no PreferNoSchedule taint in the table, every node scores 0 (normalised: 100). */
  scoresAlike(table: NodeTable): boolean {
    return table.nodesWith(NodeTraits.SoftTaint) === 0;
  }

  /** Every node scores 0 when no node of the table has a PreferNoSchedule taint. */
  score(_pod: PodInfo, nodes: readonly NodeInfo[], count: number, scores: Int32Array): number | undefined {
    if (count === 0 || nodes[0].table.nodesWith(NodeTraits.SoftTaint) === 0) return 0;
    const tolerations = this.preferNoScheduleTolerations;
    for (let i = 0; i < count; i++) {
      const node = nodes[i];
      scores[i] = (node.traits & NodeTraits.SoftTaint) === 0 ? 0 : countIntolerableTaintsPreferNoSchedule(node, tolerations);
    }
    return undefined;
  }

  normalizeScore(scores: Int32Array, count: number): void {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores, count);
  }
}
