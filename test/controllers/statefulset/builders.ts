/**
 * Builders for the StatefulSet tests: manifests, ready pods at a revision, one rolling-update
 * step against a recording pod control, and a cluster running the StatefulSet controller, the
 * volume binder and the garbage collector with a fake kubelet.
 */
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { StatefulSet } from '../../../src/api/types/statefulset.js';
import { garbageCollector } from '../../../src/controllers/garbage-collector/garbage-collector.js';
import type { StatefulPodControl } from '../../../src/controllers/statefulset/pod-control.js';
import { statefulSetController } from '../../../src/controllers/statefulset/statefulset-controller.js';
import { updateStatefulSetAfterInvariantEstablished } from '../../../src/controllers/statefulset/update.js';
import { volumeBinder } from '../../../src/controllers/volume-binder/volume-binder.js';
import { type FakeKubeletOptions, type WorkloadCluster, byName, fakeKubelet, newWorkloadCluster } from '../workload-harness.js';

export interface SetOptions {
  replicas?: number;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  type?: 'RollingUpdate' | 'OnDelete';
  partition?: number;
  maxUnavailable?: number | string;
  minReadySeconds?: number;
  start?: number;
  image?: string;
  claims?: string[];
  whenScaled?: 'Retain' | 'Delete';
  whenDeleted?: 'Retain' | 'Delete';
  revisionHistoryLimit?: number;
  serviceName?: string;
}

/** A StatefulSet manifest `name` with label app=<name>, one container, optional claim templates. */
export function newStatefulSet(name: string, o: SetOptions = {}): StatefulSet {
  const set: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: o.replicas ?? 3,
      serviceName: o.serviceName ?? name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image: o.image ?? 'db:1' }] } },
    },
  };
  if (o.podManagementPolicy !== undefined) set.spec.podManagementPolicy = o.podManagementPolicy;
  if (o.type !== undefined || o.partition !== undefined || o.maxUnavailable !== undefined) {
    set.spec.updateStrategy = { type: o.type ?? 'RollingUpdate' };
    if (o.type !== 'OnDelete') set.spec.updateStrategy.rollingUpdate = { partition: o.partition ?? 0, maxUnavailable: o.maxUnavailable ?? 1 };
  }
  if (o.minReadySeconds !== undefined) set.spec.minReadySeconds = o.minReadySeconds;
  if (o.start !== undefined) set.spec.ordinals = { start: o.start };
  if (o.revisionHistoryLimit !== undefined) set.spec.revisionHistoryLimit = o.revisionHistoryLimit;
  if (o.claims !== undefined) {
    set.spec.volumeClaimTemplates = o.claims.map((claim) => ({ metadata: { name: claim }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }));
  }
  if (o.whenScaled !== undefined || o.whenDeleted !== undefined) {
    set.spec.persistentVolumeClaimRetentionPolicy = { whenScaled: o.whenScaled ?? 'Retain', whenDeleted: o.whenDeleted ?? 'Retain' };
  }
  return set;
}

/** `count` Running+Ready pods `set-0 …` at `revision`; the given ordinals are terminating. */
export function readyPodsAt(count: number, revision: string, terminating: readonly number[] = []): DeepReadonly<Pod>[] {
  return Array.from({ length: count }, (_, i) => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `set-${i}`, namespace: 'default', labels: { 'controller-revision-hash': revision } },
      spec: { containers: [] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] },
    };
    if (terminating.includes(i)) pod.metadata.deletionTimestamp = 1;
    return pod;
  });
}

/** One updateStatefulSetAfterInvariantEstablished over `pods` (the replicas); returns the pods not deleted. */
export function rollingStep(
  o: { replicas: number; partition: number; maxUnavailable: number | string },
  pods: readonly DeepReadonly<Pod>[],
  updateRevision: string,
): DeepReadonly<Pod>[] {
  const deleted = new Set<string>();
  const podControl = { deleteStatefulPod: (pod: DeepReadonly<Pod>) => deleted.add(pod.metadata.name) } as unknown as StatefulPodControl;
  const set = newStatefulSet('set', { replicas: o.replicas, partition: o.partition, maxUnavailable: o.maxUnavailable });
  updateStatefulSetAfterInvariantEstablished({ podControl, now: 10_000 }, set, pods, updateRevision, { replicas: pods.length }, 0);
  return pods.filter((pod) => !deleted.has(pod.metadata.name));
}

/** A cluster with the StatefulSet controller, the volume binder and the garbage collector. */
export function stsCluster(kubelet?: FakeKubeletOptions): WorkloadCluster {
  const cluster = newWorkloadCluster({ controllers: [statefulSetController, volumeBinder, garbageCollector] });
  if (kubelet !== undefined) fakeKubelet(cluster, kubelet);
  return cluster;
}

/** Stored objects of a kind, by name. */
export function all<T extends { metadata: { name: string } }>(cluster: WorkloadCluster, kind: string): DeepReadonly<T>[] {
  return [...cluster.api.list(kind)].sort(byName) as unknown as DeepReadonly<T>[];
}

/** Names of the stored pods, sorted. */
export function podNames(cluster: WorkloadCluster): string[] {
  return all<Pod>(cluster, 'Pod').map((p) => p.metadata.name);
}
