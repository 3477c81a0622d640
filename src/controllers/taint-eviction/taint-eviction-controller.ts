/**
 * The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go; a separate
 * controller since SeparateTaintEvictionController, GA 1.34, the NoExecuteTaintManager of the
 * node lifecycle controller before): deletes the pods of a node with NoExecute taints.
 *
 * For each pod on a node with NoExecute taints: a taint no toleration matches → the pod is
 * deleted at once; otherwise, with the first matching toleration of each taint, the pod is
 * deleted after the shortest tolerationSeconds among them (never when none has seconds: a
 * DaemonSet pod's not-ready and unreachable tolerations), counted from when the controller saw
 * the taint. A deletion already scheduled keeps its start; the taints going away (a node Ready
 * again) or the tolerations becoming unlimited cancel it. Every pod gets 300 s tolerations for the
 * not-ready and unreachable taints at admission (DefaultTolerationSeconds, api/admission.ts), so a
 * typical pod goes 300 s after its node is tainted.
 *
 * The deletion is an ordinary delete with the pod's grace period, after a DisruptionTarget
 * condition (DeletionByTaintManager): on a node that is down nobody confirms it, so the pod stays
 * Terminating until its node comes back or is deleted (pod GC). A ReplicaSet replaces it at once
 * (a terminating pod is not active); a StatefulSet waits until the object is gone, since two pods
 * must never hold one identity.
 *
 * Events: `PodEvicted` (reason TaintManagerEviction, the taint) when a deletion is carried out,
 * `PodEvictionCancelled` when a scheduled one is dropped — upstream's TaintManagerEviction
 * Kubernetes Events "Marking for deletion" and "Cancelling deletion".
 *
 * Deliberate gaps: the eviction time counts from when the controller saw the taint (upstream's
 * `time.Now()` in handleNodeUpdate), one watch delay after the taint's timeAdded; the five
 * 10 ms retries of a failed delete are not needed (writes do not fail here).
 */
import { setCondition } from '../../api/conditions.js';
import { controllerText } from '../../api/pod-util.js';
import { findUntoleratedTaint } from '../../api/taints.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Node, Taint } from '../../api/types/node.js';
import type { Pod, PodStatus, Toleration } from '../../api/types/pod.js';
import { INDEX_NODE_NAME, type Informer, podNodeName, podSpecOf } from '../../cluster/informer.js';
import { isApiError } from '../../errors.js';
import { deepEqual } from '../../util/objects.js';
import type { Controller, ControllerContext, Enqueue } from '../controller.js';
import { TimedWorkerQueue } from './timed-workers.js';
import { getMatchingTolerations, getMinTolerationTime, getNoExecuteTaints } from './tolerations.js';

/** The condition set on a pod before the controller deletes it (PodDisruptionConditions, GA 1.31). */
export const DELETION_BY_TAINT_MANAGER_CONDITION = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByTaintManager',
  message: 'Taint manager: deleting due to NoExecute taint',
} as const;

/** What a scheduled eviction remembers: the taint it is for (events name it). */
interface EvictionArgs {
  readonly namespace: string | undefined;
  readonly name: string;
  readonly nodeName: string;
  readonly owner: string | undefined;
  readonly taint: string;
}

type ReadonlyPod = DeepReadonly<Pod>;

export class TaintEvictionController implements Controller {
  readonly name = 'taint-eviction';
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  /** taintedNodes: each node's NoExecute taints, for nodes that have some. */
  private readonly taintedNodes = new Map<string, DeepReadonly<Taint>[]>();
  private readonly evictions: TimedWorkerQueue<EvictionArgs>;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.evictions = new TimedWorkerQueue(ctx.sim, (_key, args) => this.deletePod(args));
    this.pods = ctx.informers.forKind<Pod>('Pod').addIndex(INDEX_NODE_NAME, podNodeName, podSpecOf);
    this.nodes = ctx.informers.forKind<Node>('Node');
    this.pods.addEventHandler({
      // The informer's key is the pod's metaKey, the queue's key for it.
      add: (pod, key) => this.podUpdated(undefined, pod, key),
      update: (old, pod, key) => this.podUpdated(old, pod, key),
      delete: (_pod, key) => this.queue.add(key),
    });
    this.nodes.addEventHandler({
      add: (node) => this.nodeUpdated(undefined, node),
      update: (old, node) => this.nodeUpdated(old, node),
      delete: (node) => this.queue.add(node.metadata.name),
    });
  }

  /**
   * PodUpdated: only a new pod, or a change of node or tolerations, matters — and only on a node
   * with NoExecute taints or for a pod with an eviction pending (upstream queues every such pod
   * and drops it in handlePodUpdate; a node's own update looks at all its pods anyway).
   */
  private podUpdated(old: ReadonlyPod | undefined, pod: ReadonlyPod, key: string): void {
    if (old !== undefined && old.spec.nodeName === pod.spec.nodeName && deepEqual(old.spec.tolerations, pod.spec.tolerations)) return;
    if (!this.taintedNodes.has(pod.spec.nodeName ?? '') && this.evictions.getWorker(key) === undefined) return;
    this.queue.add(key);
  }

  /** NodeUpdated: only a change of NoExecute taints matters. */
  private nodeUpdated(old: DeepReadonly<Node> | undefined, node: DeepReadonly<Node>): void {
    if (old !== undefined && (old.spec.taints === node.spec.taints || deepEqual(getNoExecuteTaints(old.spec.taints), getNoExecuteTaints(node.spec.taints)))) return;
    this.queue.add(node.metadata.name);
  }

  /** Keys: a node name (no slash), or a pod's namespace/name. */
  reconcile(key: string): void {
    if (key.includes('/')) this.handlePodUpdate(key);
    else this.handleNodeUpdate(key);
  }

  private handlePodUpdate(key: string): void {
    const pod = this.pods.getByKey(key);
    if (pod === undefined) {
      this.cancelWorkWithEvent(key);
      return;
    }
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return;
    // A node without NoExecute taints (or gone) has nothing to evict for; its last change cancelled what was pending.
    const taints = this.taintedNodes.get(nodeName);
    if (taints === undefined) return;
    this.processPodOnNode(key, pod, nodeName, taints, this.ctx.sim.now);
  }

  private handleNodeUpdate(nodeName: string): void {
    const node = this.nodes.get(undefined, nodeName);
    if (node === undefined) {
      this.taintedNodes.delete(nodeName);
      return;
    }
    const taints = getNoExecuteTaints(node.spec.taints);
    if (taints.length === 0) this.taintedNodes.delete(nodeName);
    else this.taintedNodes.set(nodeName, taints);
    const pods = this.pods.byIndex(INDEX_NODE_NAME, nodeName);
    if (pods.size === 0) return;
    const now = this.ctx.sim.now;
    pods.forEach((pod, key) => {
      if (taints.length === 0) this.cancelWorkWithEvent(key);
      else this.processPodOnNode(key, pod, nodeName, taints, now);
    });
  }

  /** processPodOnNode: delete now, schedule, keep or cancel the pod's eviction. */
  private processPodOnNode(key: string, pod: ReadonlyPod, nodeName: string, taints: readonly DeepReadonly<Taint>[], now: Time): void {
    const tolerations = pod.spec.tolerations;
    const { allTolerated, used } = getMatchingTolerations(taints, tolerations);
    if (!allTolerated) {
      this.cancelWorkWithEvent(key);
      const untolerated = findUntoleratedTaint(taints, tolerations, ['NoExecute']);
      this.evictions.addWork(key, this.argsFor(pod, nodeName, untolerated?.key ?? ''), now, now);
      return;
    }
    const min = getMinTolerationTime(used);
    if (min < 0) {
      this.cancelWorkWithEvent(key);
      return;
    }
    let start = now;
    const scheduled = this.evictions.getWorker(key);
    if (scheduled !== undefined) {
      start = scheduled.createdAt;
      // An eviction already counting keeps its start: a new taint does not restart the clock.
      if (start < now) return;
      this.cancelWorkWithEvent(key);
    }
    this.evictions.addWork(key, this.argsFor(pod, nodeName, shortestTaint(taints, used)), start, now + min);
  }

  private argsFor(pod: ReadonlyPod, nodeName: string, taint: string): EvictionArgs {
    return { namespace: pod.metadata.namespace, name: pod.metadata.name, nodeName, owner: ownerOf(pod), taint };
  }

  private cancelWorkWithEvent(key: string): void {
    const worker = this.evictions.getWorker(key);
    if (worker === undefined || !this.evictions.cancelWork(key)) return;
    const { namespace, name, nodeName, owner, taint } = worker.args;
    this.ctx.events.emit('PodEvictionCancelled', { kind: 'Pod', namespace, name, node: nodeName, owner }, { reason: 'TaintManagerEviction', taint });
  }

  /** deletePodHandler / addConditionAndDeletePod: the DisruptionTarget condition, then a normal delete. */
  private deletePod(args: EvictionArgs): void {
    const api = this.ctx.api;
    const pod = api.get<Pod>('Pod', args.namespace, args.name);
    if (pod === undefined) return;
    this.ctx.events.emit('PodEvicted', { kind: 'Pod', namespace: args.namespace, name: args.name, node: pod.spec.nodeName || undefined, owner: args.owner }, { reason: 'TaintManagerEviction', taint: args.taint });
    const conditions = setCondition(pod.status?.conditions, { ...DELETION_BY_TAINT_MANAGER_CONDITION }, this.ctx.sim.now);
    try {
      if (!deepEqual(conditions, pod.status?.conditions)) api.updateStatus<Pod>({ ...(pod as Pod), status: { ...(pod.status as PodStatus), conditions } });
      api.delete('Pod', args.namespace, args.name);
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
  }
}

/** The taint whose matching toleration is the shortest (the one an eviction is for). */
function shortestTaint(taints: readonly DeepReadonly<Taint>[], used: readonly DeepReadonly<Toleration>[]): string {
  let best = 0;
  for (let i = 1; i < used.length; i++) {
    if ((used[i].tolerationSeconds ?? Infinity) < (used[best].tolerationSeconds ?? Infinity)) best = i;
  }
  return taints[best]?.key ?? '';
}

function ownerOf(pod: ReadonlyPod): string | undefined {
  return controllerText(pod.metadata);
}

/** Builds the taint eviction controller; registers the `nodeName` pod index. */
export function taintEvictionController(ctx: ControllerContext, queue: Enqueue): TaintEvictionController {
  return new TaintEvictionController(ctx, queue);
}
