/**
 * Invariant checkers for controller authors' property tests: attach one to a run
 * (`runScenario(scenario, { instrument: (cluster) => checker.attach(cluster) })`), and read
 * `violations` afterwards. Each watches API commits as they happen, so a violation names the
 * exact virtual time it occurred.
 */
import type { WatchEvent } from '../cluster/api-server.js';
import { getControllerOf } from '../api/pod-util.js';
import type { Deployment } from '../api/types/deployment.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { ReplicaSet } from '../api/types/replicaset.js';
import { maxSurge, maxUnavailable } from '../controllers/deployment/fenceposts.js';
import { rolloutDone } from '../metrics/rollouts.js';
import { WorkloadPods } from '../metrics/workload-pods.js';
import type { SimCluster } from '../sim/cluster.js';

export interface InvariantViolation {
  /** Virtual seconds. */
  readonly t: number;
  readonly invariant: string;
  readonly detail: string;
}

/**
 * The guarantees of a RollingUpdate Deployment (k8s-semantics.md §1.2, §1.4), checked on the
 * named Deployment:
 * - `surge`: the ReplicaSets' spec.replicas never add up to more than replicas + maxSurge;
 * - `availability`: once the Deployment has first completed, the pods actually available never
 *   drop below replicas − maxUnavailable (while nothing else disrupts them).
 */
export class RollingUpdateInvariants {
  readonly violations: InvariantViolation[] = [];
  private readonly specs = new Map<string, number>();
  private deployment: DeepReadonly<Deployment> | undefined;
  private settled = false;

  constructor(
    private readonly namespace: string,
    private readonly name: string,
  ) {}

  attach(cluster: SimCluster): void {
    const pods = new WorkloadPods(cluster.sim);
    cluster.api.observe((commit) => {
      pods.observe(commit);
      this.observe(commit, cluster.sim.now);
    });
    pods.onChange((workload) => {
      const d = this.deployment;
      if (d === undefined || workload !== d.metadata.uid || !this.settled) return;
      const floor = (d.spec.replicas ?? 1) - maxUnavailable(d);
      const available = pods.countsOf(workload).available;
      if (available < floor) this.violate(cluster.sim.now, 'availability', `${available} pods available, below replicas − maxUnavailable = ${floor}`);
    });
  }

  private observe(commit: WatchEvent, now: number): void {
    const obj = commit.object;
    if (obj.kind === 'Deployment' && obj.metadata.name === this.name && (obj.metadata.namespace ?? '') === this.namespace) {
      this.deployment = commit.type === 'DELETED' ? undefined : (obj as DeepReadonly<Deployment>);
      if (this.deployment !== undefined && rolloutDone(this.deployment)) this.settled = true;
      return;
    }
    const d = this.deployment;
    if (obj.kind !== 'ReplicaSet' || d === undefined || getControllerOf(obj.metadata)?.uid !== d.metadata.uid) return;
    const uid = obj.metadata.uid ?? '';
    if (commit.type === 'DELETED') this.specs.delete(uid);
    else this.specs.set(uid, (obj as DeepReadonly<ReplicaSet>).spec.replicas ?? 1);
    let total = 0;
    for (const n of this.specs.values()) total += n;
    const ceiling = (d.spec.replicas ?? 1) + maxSurge(d);
    if (total > ceiling) this.violate(now, 'surge', `ReplicaSets sum to ${total} replicas, above replicas + maxSurge = ${ceiling}`);
  }

  private violate(now: number, invariant: string, detail: string): void {
    this.violations.push({ t: now / 1000, invariant, detail });
  }
}
