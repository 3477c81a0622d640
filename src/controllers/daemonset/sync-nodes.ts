/**
 * Creating and deleting daemon pods (pkg/controller/daemon/daemon_controller.go: syncNodes):
 * at most BurstReplicas of each per sync, expectations set first, creates in slow-start batches,
 * each pod made from the template with the daemon tolerations and revision labels and pinned to
 * its node by required node affinity (the scheduler binds it there).
 *
 * Nodes whose action was cut by the burst limit, skipped by slow start or failed are handed back
 * as dirty, so the next sync looks at them again (upstream looks at every node anyway).
 */
import type { ApiServer } from '../../cluster/api-server.js';
import type { ControllerExpectations } from '../../cluster/expectations.js';
import type { DaemonSet } from '../../api/types/daemonset.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod, PodTemplateSpec } from '../../api/types/pod.js';
import { ApiError, isApiError } from '../../errors.js';
import { getPodFromTemplate } from '../pod-template.js';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../slow-start.js';
import { replaceDaemonSetPodNodeNameNodeAffinity } from './daemonset-util.js';
import type { NodePod } from './rolling-update.js';

/** BurstReplicas: the most pods created, and the most deleted, in one sync (a registry-DoS guard). */
export const BURST_REPLICAS = 250;

export interface SyncNodesRequest {
  readonly api: ApiServer;
  readonly expectations: ControllerExpectations;
  readonly key: string;
  readonly ds: DeepReadonly<DaemonSet>;
  /** CreatePodTemplate's result for the current hash and template generation. */
  readonly template: DeepReadonly<PodTemplateSpec>;
  readonly deletes: readonly NodePod[];
  /** Nodes to create a pod on. */
  readonly creates: readonly string[];
}

export interface SyncNodesResult {
  /** The first API failure, other than deleting a pod already gone. */
  readonly error?: ApiError;
  /** Nodes whose action did not happen. */
  readonly retryNodes: readonly string[];
}

/** A pod for `node`: the template's spec with the node-name affinity. */
export function newDaemonPod(template: DeepReadonly<PodTemplateSpec>, ds: DeepReadonly<DaemonSet>, node: string): Pod {
  const pod = getPodFromTemplate(template, ds);
  pod.spec = { ...pod.spec, affinity: replaceDaemonSetPodNodeNameNodeAffinity(template.spec.affinity, node) };
  return pod;
}

export function syncNodes(r: SyncNodesRequest): SyncNodesResult {
  const createDiff = Math.min(r.creates.length, BURST_REPLICAS);
  const deleteDiff = Math.min(r.deletes.length, BURST_REPLICAS);
  r.expectations.setExpectations(r.key, createDiff, deleteDiff);
  const retryNodes: string[] = [...r.creates.slice(createDiff), ...r.deletes.slice(deleteDiff).map(([node]) => node)];

  let attempted = 0;
  const { successes, error } = slowStartBatch(createDiff, SLOW_START_INITIAL_BATCH_SIZE, () => {
    const node = r.creates[attempted++];
    try {
      r.api.create(newDaemonPod(r.template, r.ds, node));
    } catch (failure) {
      retryNodes.push(node);
      throw failure;
    }
  });
  // Failed and skipped creations will never be observed.
  if (createDiff > successes) r.expectations.lowerExpectations(r.key, createDiff - successes, 0);
  for (let i = attempted; i < createDiff; i++) retryNodes.push(r.creates[i]);
  if (error !== undefined && !(error instanceof ApiError)) throw error;
  let firstError = error as ApiError | undefined;

  for (let i = 0; i < deleteDiff; i++) {
    const [node, name] = r.deletes[i];
    try {
      r.api.delete('Pod', r.ds.metadata.namespace, name);
    } catch (failure) {
      r.expectations.deletionObserved(r.key);
      if (!isApiError(failure)) throw failure;
      if (failure.reason !== 'NotFound') {
        firstError ??= failure;
        retryNodes.push(node);
      }
    }
  }
  return firstError === undefined ? { retryNodes } : { error: firstError, retryNodes };
}
