/**
 * A pod's resource requests as the scheduler counts them
 * (k8s.io/component-helpers/resource: PodRequests; pkg/scheduler/framework/types.go:
 * calculateResource; pkg/scheduler/util/pod_resources.go: GetNonzeroRequests).
 *
 * Effective requests = max(sum of the app containers, the largest init container), where
 * restartable init containers (sidecars, `restartPolicy: Always`) keep running: they add to the
 * sum and to every later init container's peak. Worked example — init containers
 * [sidecar 200m, setup 500m], app containers [300m, 300m]: sum = 600m + 200m (sidecar) = 800m;
 * init peaks: sidecar 200m, setup 500m + 200m = 700m; effective max(800m, 700m) = 800m.
 *
 * Non-zero form: for scoring only, a container that does not mention cpu counts 100 m and one
 * that does not mention memory counts 200 MiB, so that pods without requests still spread.
 * An explicit `0` stays 0.
 *
 * Deliberate gap: pod overhead (RuntimeClass) is not modelled.
 */
import type { DeepReadonly } from '../api/types/meta.js';
import type { Container, Pod } from '../api/types/pod.js';
import { type PodResources, Resource } from './node-info.js';

/** Millicores a container that does not request cpu counts for scoring (DefaultMilliCPURequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Bytes a container that does not request memory counts for scoring (DefaultMemoryRequest, 200 MiB). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** One container's requests, actual and non-zero. */
class ContainerRequests {
  readonly requests: Resource;
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;

  constructor(container: DeepReadonly<Container>) {
    const list = container.resources?.requests;
    this.requests = Resource.fromList(list);
    this.nonZeroMilliCpu = list?.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : this.requests.milliCpu;
    this.nonZeroMemory = list?.memory === undefined ? DEFAULT_MEMORY_REQUEST : this.requests.memory;
  }
}

/** Mutable running totals while folding containers. */
class Totals {
  readonly requests = new Resource();
  nonZeroMilliCpu = 0;
  nonZeroMemory = 0;

  add(other: ContainerRequests | Totals): void {
    this.requests.add(other.requests);
    this.nonZeroMilliCpu += other.nonZeroMilliCpu;
    this.nonZeroMemory += other.nonZeroMemory;
  }

  setMax(other: Totals): void {
    this.requests.setMax(other.requests);
    this.nonZeroMilliCpu = Math.max(this.nonZeroMilliCpu, other.nonZeroMilliCpu);
    this.nonZeroMemory = Math.max(this.nonZeroMemory, other.nonZeroMemory);
  }
}

/**
 * Resources by container list: the pods of one template share their spec (pod-template.ts), so
 * their requests are parsed once. Exact because stored objects are never mutated, and the result
 * depends on nothing but the two lists.
 */
const memo = new WeakMap<object, { readonly initContainers: unknown; readonly resources: PodResources }>();

/** The resources a pod takes on its node (see the file header for the rules). */
export function computePodResources(pod: DeepReadonly<Pod>): PodResources {
  const { containers, initContainers } = pod.spec;
  if (containers === undefined) return sumPodResources(pod);
  const known = memo.get(containers);
  if (known !== undefined && known.initContainers === initContainers) return known.resources;
  const resources = sumPodResources(pod);
  memo.set(containers, { initContainers, resources });
  return resources;
}

function sumPodResources(pod: DeepReadonly<Pod>): PodResources {
  const total = new Totals();
  for (const container of pod.spec.containers ?? []) total.add(new ContainerRequests(container));
  const initContainers = pod.spec.initContainers ?? [];
  if (initContainers.length > 0) {
    const sidecars = new Totals();
    const initPeak = new Totals();
    for (const container of initContainers) {
      const requests = new ContainerRequests(container);
      const running = new Totals();
      if (container.restartPolicy === 'Always') {
        total.add(requests);
        sidecars.add(requests);
        running.add(sidecars);
      } else {
        running.add(requests);
        running.add(sidecars);
      }
      initPeak.setMax(running);
    }
    total.setMax(initPeak);
  }
  return { requests: total.requests, nonZeroMilliCpu: total.nonZeroMilliCpu, nonZeroMemory: total.nonZeroMemory };
}
