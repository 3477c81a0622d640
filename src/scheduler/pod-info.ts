/**
 * A pod plus what every part of the scheduler derives from it once
 * (pkg/scheduler/framework/types.go: PodInfo): its resource requests and its priority.
 * Plugins derive their own per-pod data in PreFilter/PreScore, once per scheduling cycle.
 */
import { objectKey } from '../api/object-key.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import type { PodResources } from './node-info.js';
import { computePodResources } from './pod-resources.js';

/** A pod with its requests and priority, computed once. */
export class PodInfo {
  readonly resources: PodResources;

  /**
   * @param previous an earlier PodInfo of the same pod: its requests are reused when the
   *   containers are the same objects (status writes and bindings keep them), because parsing
   *   quantities is the costly part.
   */
  constructor(
    readonly pod: DeepReadonly<Pod>,
    previous?: PodInfo,
  ) {
    const reuse =
      previous !== undefined &&
      previous.pod.spec.containers === pod.spec.containers &&
      previous.pod.spec.initContainers === pod.spec.initContainers;
    this.resources = reuse ? previous.resources : computePodResources(pod);
    this.priority = pod.spec.priority ?? 0;
  }

  /** spec.priority, 0 when unset (as PrioritySort reads it: corev1helpers.PodPriority). */
  readonly priority: number;

  /**
   * `namespace/name`, built on demand: the queue and the cache look pods up by namespace and
   * name (pod-map.ts), so no hot path builds, let alone hashes, this string.
   */
  get key(): string {
    return objectKey(this.pod.metadata.namespace, this.pod.metadata.name);
  }
}
