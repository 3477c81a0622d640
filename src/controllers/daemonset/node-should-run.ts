/**
 * Which nodes a DaemonSet's pods belong on (pkg/controller/daemon/daemon_controller.go:
 * NodeShouldRunDaemonPod, predicates, NewPod, shouldIgnoreNodeUpdate).
 *
 * A pod is simulated from the template with the node's name and the daemon tolerations; it should
 * run where the template's nodeName (if any), nodeSelector and required node affinity match and
 * no NoSchedule or NoExecute taint is left untolerated. A pod already there may continue unless a
 * NoExecute taint is untolerated. Cordoning is not looked at (daemon pods tolerate
 * `node.kubernetes.io/unschedulable`), nor are resources: the scheduler decides fit.
 */
import { type NodeSelectorSubject, matchesLabelMap, nodeSelectorTermsMatch } from '../../api/label-selector.js';
import { findUntoleratedTaint } from '../../api/taints.js';
import type { DaemonSet } from '../../api/types/daemonset.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Node } from '../../api/types/node.js';
import type { NodeSelectorTerm, PodTemplateSpec, TaintEffect, Toleration } from '../../api/types/pod.js';
import { semanticEqual } from '../../api/validation/meta.js';
import { addOrUpdateDaemonPodTolerations } from './daemonset-util.js';

/** NodeShouldRunDaemonPod's two answers. */
export interface NodeDecision {
  /** A daemon pod should be created here if there is none. */
  readonly shouldRun: boolean;
  /** A daemon pod already here may stay. */
  readonly shouldContinueRunning: boolean;
}

/** The three possible decisions, shared so callers can compare them by identity. */
export const RUN: NodeDecision = Object.freeze({ shouldRun: true, shouldContinueRunning: true });
export const CONTINUE_ONLY: NodeDecision = Object.freeze({ shouldRun: false, shouldContinueRunning: true });
export const DO_NOT_RUN: NodeDecision = Object.freeze({ shouldRun: false, shouldContinueRunning: false });

const SCHEDULE_EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'NoExecute'];
const EXECUTE_EFFECTS: readonly TaintEffect[] = ['NoExecute'];

/** What NewPod's simulated pod brings to the predicates, compiled once per template. */
interface DaemonPodPredicates {
  readonly nodeName: string;
  readonly nodeSelector: DeepReadonly<Record<string, string>> | undefined;
  readonly terms: readonly DeepReadonly<NodeSelectorTerm>[] | undefined;
  readonly tolerations: readonly Toleration[];
}

const compiled = new WeakMap<object, DaemonPodPredicates>();

function predicatesOf(template: DeepReadonly<PodTemplateSpec>): DaemonPodPredicates {
  let predicates = compiled.get(template);
  if (predicates === undefined) {
    const spec = template.spec;
    predicates = {
      nodeName: spec.nodeName ?? '',
      nodeSelector: spec.nodeSelector,
      terms: spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
      tolerations: addOrUpdateDaemonPodTolerations(spec),
    };
    compiled.set(template, predicates);
  }
  return predicates;
}

/** GetRequiredNodeAffinity(pod).Match(node): nodeSelector AND the required terms (ORed). */
function fitsNodeAffinity(p: DaemonPodPredicates, node: NodeSelectorSubject): boolean {
  if (p.nodeSelector !== undefined && !matchesLabelMap(p.nodeSelector, node.labels)) return false;
  return p.terms === undefined || nodeSelectorTermsMatch(p.terms, node);
}

/** NodeShouldRunDaemonPod. */
export function nodeShouldRunDaemonPod(node: DeepReadonly<Node>, ds: DeepReadonly<DaemonSet>): NodeDecision {
  const p = predicatesOf(ds.spec.template);
  const name = node.metadata.name;
  if (p.nodeName !== '' && p.nodeName !== name) return DO_NOT_RUN;
  if (!fitsNodeAffinity(p, { labels: node.metadata.labels, name })) return DO_NOT_RUN;
  const taints = node.spec.taints;
  if (findUntoleratedTaint(taints, p.tolerations, SCHEDULE_EFFECTS) !== undefined) {
    // Scheduled daemon pods keep running unless a NoExecute taint evicts them.
    return findUntoleratedTaint(taints, p.tolerations, EXECUTE_EFFECTS) === undefined ? CONTINUE_ONLY : DO_NOT_RUN;
  }
  return RUN;
}

/**
 * shouldIgnoreNodeUpdate: only labels and taints feed NodeShouldRunDaemonPod, so other node
 * updates (status, heartbeats, cordoning) cannot change where daemon pods belong.
 */
export function shouldIgnoreNodeUpdate(oldNode: DeepReadonly<Node>, curNode: DeepReadonly<Node>): boolean {
  return semanticEqual(oldNode.metadata.labels, curNode.metadata.labels) && semanticEqual(oldNode.spec.taints, curNode.spec.taints);
}
