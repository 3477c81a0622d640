/**
 * Which pods and nodes the scheduler cares about, and the quick node check that decides whether
 * a node event is worth waking a pod for (pkg/scheduler/eventhandlers.go: assignedPod,
 * responsibleForPod, preCheckForNode, AdmissionCheck).
 *
 * Two views of pods, as upstream's two filtered informers: assigned pods that are not terminal
 * feed the cache (a pod that finishes frees its node, as a deletion would); unassigned pods of
 * this scheduler that are neither terminal nor terminating feed the queue.
 */
import { findUntoleratedTaint } from '../api/taints.js';
import { isPodTerminal } from '../api/pod-util.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Pod, TaintEffect } from '../api/types/pod.js';
import type { NodeInfo } from './node-info.js';
import { RequiredNodeAffinity } from './plugins/node-affinity.js';
import { nodeNameFits } from './plugins/node-name.js';
import { fitsRequest } from './plugins/node-resources-fit.js';
import type { PodInfo } from './pod-info.js';
import type { PreEnqueueCheck } from './scheduling-queue.js';

/** The scheduler name this scheduler serves (pods with none count as its own). */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

const NO_SCHEDULE: readonly TaintEffect[] = ['NoSchedule'];

/** Bound to a node and still holding its resources there. */
export function isAssignedPod(pod: DeepReadonly<Pod>): boolean {
  return Boolean(pod.spec.nodeName) && !isPodTerminal(pod);
}

/** Waiting for this scheduler: unbound, ours, not finished and not being deleted. */
export function isPendingPod(pod: DeepReadonly<Pod>): boolean {
  return (
    !pod.spec.nodeName &&
    (pod.spec.schedulerName || DEFAULT_SCHEDULER_NAME) === DEFAULT_SCHEDULER_NAME &&
    !isPodTerminal(pod) &&
    pod.metadata.deletionTimestamp === undefined
  );
}

/**
 * Could the pod fit on this (new or changed) node? Resources, required affinity and node name
 * must fit, and no NoSchedule taint may be untolerated. Like upstream it ignores the
 * unschedulable flag and NoExecute taints: the real cycle will judge those.
 */
export function preCheckForNode(node: NodeInfo): PreEnqueueCheck {
  return (pod: PodInfo) =>
    fitsRequest(pod.resources.requests, node, undefined) &&
    new RequiredNodeAffinity(pod.pod).match(node) &&
    nodeNameFits(pod, node) &&
    findUntoleratedTaint(node.taints, pod.pod.spec.tolerations, NO_SCHEDULE) === undefined;
}
