/**
 * NodeName (pkg/scheduler/framework/plugins/nodename): a pod that names a node fits only there.
 *
 * Pods that already carry spec.nodeName never reach the scheduling queue, so for the default
 * scheduler this filter always passes; it is kept because the node-add pre-check uses it and
 * the profile lists it. PreFilter skips it for pods without a node name (a pure shortcut).
 */
import { ActionType, type ClusterEventRegistration } from '../cluster-events.js';
import type { FilterPlugin, PreFilterPlugin, PreFilterResult, Rejections } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { InputEpoch } from '../score-memo.js';

/** Filter reason: the pod names another node. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** True when the pod names no node or names this one (nodename.Fits). */
export function nodeNameFits(pod: PodInfo, node: NodeInfo): boolean {
  const wanted = pod.pod.spec.nodeName;
  return !wanted || wanted === node.name;
}

/** PreFilter and Filter plugin; see the file header. */
export class NodeName implements PreFilterPlugin, FilterPlugin {
  readonly name = 'NodeName';
  readonly events: readonly ClusterEventRegistration[] = [{ resource: 'Node', actionType: ActionType.Add | ActionType.Update }];
  private readonly epoch = new InputEpoch<string | undefined>();

  /** Node-local: a verdict depends on the node's name and the pod's spec.nodeName. */
  nodeMemoEpoch(pod: PodInfo): number {
    return this.epoch.note(pod.pod.spec.nodeName);
  }

  preFilter(pod: PodInfo): PreFilterResult {
    return pod.pod.spec.nodeName ? undefined : 'skip';
  }

  filter(pod: PodInfo, nodes: NodeInfo[], count: number, rejections: Rejections): number {
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const node = nodes[i];
      if (nodeNameFits(pod, node)) nodes[kept++] = node;
      else rejections.reject(ERR_REASON_NODE_NAME);
    }
    return kept;
  }
}
