/**
 * Pod garbage collection (pkg/controller/podgc/gc_controller.go): force-deletes pods that no
 * kubelet will ever finish.
 *
 * - Orphaned pods (gcOrphaned): pods bound to a node that does not exist are marked Failed with
 *   a `DisruptionTarget` condition (reason `DeletionByPodGC`), then deleted with grace period 0,
 *   once the node has been absent for the quarantine time and a live read confirms it is still
 *   absent. A node re-created with the same name in the meantime saves its pods.
 * - Unscheduled terminating pods (gcUnscheduledTerminating): pods with a deletionTimestamp and no
 *   node are marked Failed and deleted with grace period 0. The API server removes an unbound
 *   pod at once unless finalizers hold it, so these are pods held by finalizers: the Failed phase
 *   is what lets their finalizers' owners (e.g. the Job controller) let go.
 *
 * Upstream lists every pod and node every 20 s (gcCheckPeriod) and feeds missing node names to
 * a delaying queue. Here it is event-driven: a node's deletion, or a pod bound to a node the
 * informer does not know, enqueues the node name; its reconcile waits out the quarantine with a
 * `requeueAfter`, counted from when the node was first found missing with pods on it. A node's
 * pods are found through a `nodeName` pod index.
 *
 * Work-queue keys: a node name (no slash; node names are DNS subdomains) or a pod's
 * `namespace/name` for an unscheduled terminating pod.
 *
 * Deliberate gaps:
 * - The terminated-pod threshold GC (gcTerminated, `--terminated-pod-gc-threshold`, 12,500) is
 *   out of scope, as is gcTerminating (pods on not-ready nodes with the out-of-service taint).
 * - Upstream's first sighting is up to one 20 s period late and its quarantine is re-armed by
 *   every gc pass; here the quarantine starts at the event and ends exactly 40 s later.
 * - The Failed phase and condition are written by a status update of the live pod, where
 *   upstream uses a server-side apply owned by its field manager.
 */
import { setCondition } from '../../api/conditions.js';
import { metaKey } from '../../api/object-key.js';
import { isPodTerminal } from '../../api/pod-util.js';
import type { Condition, DeepReadonly } from '../../api/types/meta.js';
import type { Node } from '../../api/types/node.js';
import type { Pod, PodStatus } from '../../api/types/pod.js';
import { INDEX_NODE_NAME, type Informer, podNodeName, podSpecOf } from '../../cluster/informer.js';
import { isApiError } from '../../errors.js';
import type { Controller, ControllerContext, Enqueue, ReconcileResult } from '../controller.js';

/**
 * quarantineTime: how long a node must have been missing before its pods are deleted. Guards
 * against a node object that is only briefly absent (deleted and re-registered by its kubelet,
 * or not yet seen by a lagging cache) costing every pod it runs.
 */
export const QUARANTINE_TIME_MS = 40_000;

/** The condition upstream adds to an orphaned pod before deleting it (PodDisruptionConditions, on by default since 1.26). */
export const DELETION_BY_POD_GC_CONDITION: Readonly<Condition> = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByPodGC',
  message: 'PodGC: node no longer exists',
};

type ReadonlyPod = DeepReadonly<Pod>;

/** The pod garbage collector; see the file header for its keys. */
export class PodGarbageCollector implements Controller {
  readonly name = 'podgc';
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  /** When each absent node that still has pods was first found missing. */
  private readonly missingSince = new Map<string, number>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.pods = ctx.informers.forKind<Pod>('Pod').addIndex(INDEX_NODE_NAME, podNodeName, podSpecOf);
    this.nodes = ctx.informers.forKind<Node>('Node');
    this.nodes.addEventHandler({
      // A node back under quarantine must cancel it before the timer fires.
      add: (node) => {
        if (this.missingSince.has(node.metadata.name)) this.queue.add(node.metadata.name);
      },
      delete: (node) => this.queue.add(node.metadata.name),
    });
    this.pods.addEventHandler({
      add: (pod) => this.onPod(pod),
      // A write that keeps the spec and the deletion state (a status write) changes neither test
      // below: its node's disappearance is the node's own event.
      update: (old, pod) => {
        if (old.spec !== pod.spec || old.metadata.deletionTimestamp !== pod.metadata.deletionTimestamp) this.onPod(pod);
      },
    });
  }

  private onPod(pod: ReadonlyPod): void {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) {
      if (pod.metadata.deletionTimestamp !== undefined) this.queue.add(metaKey(pod.metadata));
    } else if (this.nodes.get(undefined, nodeName) === undefined) {
      this.queue.add(nodeName);
    }
  }

  reconcile(key: string): ReconcileResult | void {
    if (key.includes('/')) {
      this.syncUnscheduledTerminating(key);
      return;
    }
    return this.syncMissingNode(key);
  }

  /** gcOrphaned for one node name: quarantine, re-check, then delete the node's pods. */
  private syncMissingNode(nodeName: string): ReconcileResult | void {
    const pods = this.pods.byIndex(INDEX_NODE_NAME, nodeName);
    if (this.nodes.get(undefined, nodeName) !== undefined || pods.size === 0) {
      this.missingSince.delete(nodeName);
      return;
    }
    const now = this.ctx.sim.now;
    const since = this.missingSince.get(nodeName) ?? now;
    this.missingSince.set(nodeName, since);
    const remaining = since + QUARANTINE_TIME_MS - now;
    if (remaining > 0) return { requeueAfter: remaining };
    this.missingSince.delete(nodeName);
    // checkIfNodeExists is a live GET, not a lister read: a stale cache must not cost the pods
    // of a node that has just come back.
    if (this.ctx.api.get<Node>('Node', undefined, nodeName) !== undefined) return;
    for (const pod of [...pods.values()]) this.markFailedAndDeletePod(pod, DELETION_BY_POD_GC_CONDITION);
  }

  /** gcUnscheduledTerminating for one pod. */
  private syncUnscheduledTerminating(key: string): void {
    const pod = this.pods.getByKey(key);
    if (pod === undefined || pod.metadata.deletionTimestamp === undefined || pod.spec.nodeName) return;
    this.markFailedAndDeletePod(pod);
  }

  /**
   * markFailedAndDeletePodWithCondition: a pod not yet terminal is set to Failed (with
   * `condition`, if any), since no kubelet will ever do it; then it is deleted with grace 0.
   */
  private markFailedAndDeletePod(cached: ReadonlyPod, condition?: Readonly<Condition>): void {
    const api = this.ctx.api;
    const { namespace, name, uid } = cached.metadata;
    // Upstream applies the status with force, so it never conflicts: modelled on the live pod.
    const pod = api.get<Pod>('Pod', namespace, name);
    if (pod === undefined || pod.metadata.uid !== uid) return;
    if (!isPodTerminal(pod)) {
      const status: PodStatus = { ...(pod.status as PodStatus), phase: 'Failed' };
      if (condition !== undefined) status.conditions = setCondition(pod.status?.conditions, { ...condition }, this.ctx.sim.now);
      api.updateStatus<Pod>({ ...(pod as Pod), status });
    }
    try {
      api.delete('Pod', namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (error) {
      if (!isApiError(error, 'NotFound') && !isApiError(error, 'Conflict')) throw error;
    }
  }
}

/**
 * Builds the pod garbage collector. Registers the `nodeName` pod index, so it must be built
 * before the first pod reaches the pod informer.
 */
export function podGarbageCollector(ctx: ControllerContext, queue: Enqueue): PodGarbageCollector {
  return new PodGarbageCollector(ctx, queue);
}
