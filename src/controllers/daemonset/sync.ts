/**
 * The write steps of one DaemonSet sync once expectations are satisfied
 * (pkg/controller/daemon/daemon_controller.go: updateDaemonSet, manage; update.go:
 * rollingUpdate, cleanupHistory): plan the nodes that may need something and create or delete
 * pods, then — when nothing is in flight — the rolling update from the kept totals, then
 * history cleanup. Each step's failure ends the sequence and is returned for a retry.
 */
import type { ApiServer } from '../../cluster/api-server.js';
import type { EventLog } from '../../cluster/event-log.js';
import type { ControllerExpectations } from '../../cluster/expectations.js';
import type { ControllerRevision } from '../../api/types/controller-revision.js';
import type { DaemonSet } from '../../api/types/daemonset.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod, PodTemplateSpec } from '../../api/types/pod.js';
import { ApiError, isApiError } from '../../errors.js';
import type { Enqueue } from '../controller.js';
import type { DaemonSetBook } from './daemonset-book.js';
import type { FailedPodsBackoff } from './failed-pods-backoff.js';
import { cleanupHistory } from './history.js';
import { podsShouldBeOnNode, unscheduledPodsWithoutNode } from './pods-on-node.js';
import { type NodePod, planWithSurge, planWithoutSurge, updatedDesiredNodeCounts } from './rolling-update.js';
import { syncNodes } from './sync-nodes.js';

/** The DaemonSet's pods meant for a node, for this sync (terminal pods being deleted excluded). */
export type PodsOnNode = (node: string) => readonly DeepReadonly<Pod>[];

/** What the write steps of one sync share. */
export interface SyncContext {
  readonly api: ApiServer;
  readonly events: EventLog;
  readonly queue: Enqueue;
  readonly expectations: ControllerExpectations;
  readonly backoff: FailedPodsBackoff;
  readonly now: number;
  readonly key: string;
  readonly ds: DeepReadonly<DaemonSet>;
  readonly book: DaemonSetBook;
  /** The current revision's hash. */
  readonly hash: string;
  /** CreatePodTemplate for the current revision. */
  readonly template: DeepReadonly<PodTemplateSpec>;
  readonly podsOn: PodsOnNode;
}

/** updateDaemonSet: manage, then the rolling update, then history cleanup; returns the first error. */
export function updateDaemonSet(c: SyncContext, oldRevisions: readonly DeepReadonly<ControllerRevision>[]): ApiError | undefined {
  const manageError = manage(c);
  if (manageError !== undefined) return manageError;
  if (c.expectations.satisfiedExpectations(c.key) && c.ds.spec.updateStrategy?.type === 'RollingUpdate') {
    const rollingError = rollingUpdate(c);
    if (rollingError !== undefined) return rollingError;
  }
  try {
    cleanupHistory(c.api, c.ds, oldRevisions, (hash) => (c.book.hashes.get(hash) ?? 0) > 0);
  } catch (error) {
    if (!isApiError(error)) throw error;
    return error;
  }
  return undefined;
}

/** manage: podsShouldBeOnNode for each node that may need something, then syncNodes. */
function manage(c: SyncContext): ApiError | undefined {
  const { book, ds } = c;
  const context = { ds, hash: c.hash, now: c.now, backoff: c.backoff };
  const creates: string[] = [];
  const deletes: NodePod[] = [];
  const nodes = new Set(book.dirty);
  for (const node of book.waiting) nodes.add(node);
  for (const node of nodes) {
    book.dirty.delete(node);
    const pods = c.podsOn(node);
    const decision = book.decisions.get(node);
    if (decision === undefined) {
      // The node is gone: its unbound pods can never be scheduled.
      for (const pod of unscheduledPodsWithoutNode(pods)) deletes.push([node, pod]);
      continue;
    }
    const plan = podsShouldBeOnNode(node, decision, pods, context);
    if (plan.create) creates.push(node);
    for (const pod of plan.deletes) deletes.push([node, pod]);
    for (const event of plan.events) {
      c.events.emit(event.type, { kind: 'DaemonSet', namespace: ds.metadata.namespace, name: ds.metadata.name }, { pod: event.pod, node });
    }
    if (plan.retryAfterMs !== undefined) {
      // A failed pod waits for its back-off: keep the node marked and look again then.
      book.dirty.add(node);
      c.queue.addAfter(c.key, plan.retryAfterMs);
    }
  }
  return writePods(c, deletes, creates);
}

/** rollingUpdate: the old pods to delete (and, with surge, the nodes to create new pods on). */
function rollingUpdate(c: SyncContext): ApiError | undefined {
  const desired = c.book.totals.desired;
  const { maxSurge, maxUnavailable } = updatedDesiredNodeCounts(c.ds, desired);
  if (maxSurge === 0) return writePods(c, planWithoutSurge(c.book, maxUnavailable), []);
  const missing = c.book.missingNode;
  // Upstream's lister Get fails for a node that is gone while its old pod still waits for the pod GC.
  if (missing !== undefined) return new ApiError('NotFound', `couldn't get node for nodeName "${missing}": node "${missing}" not found`);
  const { deletes, creates } = planWithSurge(c.book, maxSurge, desired);
  return writePods(c, deletes, creates);
}

/** syncNodes, handing the nodes whose action did not happen back to the book. */
function writePods(c: SyncContext, deletes: readonly NodePod[], creates: readonly string[]): ApiError | undefined {
  const result = syncNodes({ api: c.api, expectations: c.expectations, key: c.key, ds: c.ds, template: c.template, deletes, creates });
  for (const node of result.retryNodes) c.book.dirty.add(node);
  return result.error;
}
