/**
 * NodeUnschedulable (pkg/scheduler/framework/plugins/nodeunschedulable): a cordoned node
 * (`spec.unschedulable: true`) takes only pods that tolerate the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint, as DaemonSet pods do.
 */
import { isTaintTolerated } from '../../api/taints.js';
import type { Taint } from '../../api/types/node.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Toleration } from '../../api/types/pod.js';
import { deepEqual } from '../../util/objects.js';
import { ActionType, type ClusterEventRegistration } from '../cluster-events.js';
import type { FilterPlugin, Rejections } from '../framework.js';
import { type NodeInfo, NodeTraits } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { InputEpoch } from '../score-memo.js';

/** Filter reason: the node is cordoned. */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/** The taint a pod must tolerate to land on a cordoned node (v1.TaintNodeUnschedulable). */
const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** Filter plugin; see the file header. */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = 'NodeUnschedulable';
  // Uncordoning is reported as a taint update (NodeSpecUnschedulableChange).
  readonly events: readonly ClusterEventRegistration[] = [{ resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint }];
  private readonly epoch = new InputEpoch<readonly DeepReadonly<Toleration>[] | undefined>(deepEqual);

  /** Node-local: a verdict depends on the node's unschedulable flag and the pod's tolerations. */
  nodeMemoEpoch(pod: PodInfo): number {
    return this.epoch.note(pod.pod.spec.tolerations);
  }

  filter(pod: PodInfo, nodes: NodeInfo[], count: number, rejections: Rejections): number {
    // No cordoned node in the table: every node fits, and nothing needs looking at.
    if (count === 0 || nodes[0].table.nodesWith(NodeTraits.Cordoned) === 0) return count;
    if (isTaintTolerated(UNSCHEDULABLE_TAINT, pod.pod.spec.tolerations)) return count;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const node = nodes[i];
      if (!node.unschedulable) nodes[kept++] = node;
      else rejections.reject(ERR_REASON_UNSCHEDULABLE);
    }
    return kept;
  }
}
