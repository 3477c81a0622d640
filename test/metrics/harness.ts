/**
 * A hand-driven cluster for metrics tests: an API server with no controllers, the metric
 * observers wired as runScenario wires them, and writers that play controllers and kubelets at
 * chosen virtual times, so every expected number can be derived by hand.
 */
import { EventLog } from '../../src/cluster/event-log.js';
import { Priority } from '../../src/engine/priorities.js';
import type { Deployment, DeploymentStatus } from '../../src/api/types/deployment.js';
import type { Condition, DeepReadonly } from '../../src/api/types/meta.js';
import type { Pod, PodPhase } from '../../src/api/types/pod.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { attachRunMetrics } from '../../src/metrics/run-metrics.js';
import { controllerRef, editable, newApi, newDeployment, newPod, newReplicaSet } from '../helpers/engine-fixtures.js';

export const REVISION = 'deployment.kubernetes.io/revision';

export function metricsHarness() {
  const { sim, api } = newApi();
  const events = new EventLog(sim);
  const { pods, counts, rollouts, convergence, endpoints, availability, faults } = attachRunMetrics(sim, api, events);

  const h = {
    sim, api, events, pods, counts, rollouts, convergence, endpoints, availability, faults,
    /** Runs `fn` at `ms`, as a scenario action would. */
    at(ms: number, fn: () => void): void {
      sim.scheduleAt(ms, fn, Priority.Action);
    },
    /** Runs `fn` at `ms` after everything else of that instant (as the timeline does). */
    probe(ms: number, fn: () => void): void {
      sim.scheduleAt(ms, fn, Priority.Sample);
    },
    run(untilMs: number): void {
      sim.run({ until: untilMs });
    },
    deployment(name: string, replicas: number, options: { minReadySeconds?: number; image?: string } = {}): DeepReadonly<Deployment> {
      const d = newDeployment(name, { replicas, image: options.image });
      if (options.minReadySeconds !== undefined) d.spec.minReadySeconds = options.minReadySeconds;
      return api.create(d);
    },
    /** A ReplicaSet, controlled by `owner` when given. */
    replicaSet(name: string, replicas: number, owner?: DeepReadonly<Deployment>, minReadySeconds?: number): DeepReadonly<ReplicaSet> {
      const rs = newReplicaSet(name, { replicas });
      if (owner !== undefined) rs.metadata.ownerReferences = [controllerRef(owner as Deployment)];
      if (minReadySeconds !== undefined) rs.spec.minReadySeconds = minReadySeconds;
      return api.create(rs);
    },
    /** A pod controlled by `rs` (or an orphan), optionally bound to `node`. */
    pod(name: string, rs?: DeepReadonly<ReplicaSet>, node?: string): DeepReadonly<Pod> {
      const created = api.create(newPod(name, { ownerReferences: rs ? [controllerRef(rs as ReplicaSet)] : undefined }));
      return node === undefined ? created : api.bind('default', name, node);
    },
    /** Sets the pod's phase and Ready condition (lastTransitionTime = now when it changes). */
    podStatus(name: string, phase: PodPhase, ready: boolean): void {
      const pod = editable<Pod>(api.get<Pod>('Pod', 'default', name));
      const others = (pod.status?.conditions ?? []).filter((c) => c.type !== 'Ready');
      const old = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const status = ready ? 'True' : 'False';
      const condition: Condition = { type: 'Ready', status, lastTransitionTime: old?.status === status ? old.lastTransitionTime : sim.now };
      pod.status = { ...pod.status, phase, conditions: [...others, condition] };
      api.updateStatus(pod);
    },
    ready(name: string): void {
      h.podStatus(name, 'Running', true);
    },
    /** The scheduler's verdict that no node fits. */
    unschedulable(name: string): void {
      const pod = editable<Pod>(api.get<Pod>('Pod', 'default', name));
      pod.status = { ...pod.status, conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastTransitionTime: sim.now }] };
      api.updateStatus(pod);
    },
    deletePod(name: string): void {
      api.delete('Pod', 'default', name);
    },
    /** Changes the Deployment's pod template (a rollout), as kubectl set image does. */
    setImage(name: string, image: string): void {
      const d = editable<Deployment>(api.get<Deployment>('Deployment', 'default', name));
      d.spec.template.spec.containers[0].image = image;
      api.update(d);
    },
    /** The revision annotation, as the Deployment controller writes it when it syncs. */
    revision(name: string, revision: number): void {
      const d = editable<Deployment>(api.get<Deployment>('Deployment', 'default', name));
      d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: String(revision) };
      api.update(d);
    },
    scale(name: string, replicas: number): void {
      const d = editable<Deployment>(api.get<Deployment>('Deployment', 'default', name));
      d.spec.replicas = replicas;
      api.update(d);
    },
    /** What the Deployment controller would write; observedGeneration defaults to the current generation. */
    deploymentStatus(name: string, status: Partial<DeploymentStatus>): void {
      const d = editable<Deployment>(api.get<Deployment>('Deployment', 'default', name));
      d.status = { observedGeneration: d.metadata.generation, ...status };
      api.updateStatus(d);
    },
    /** The status of a Deployment whose `n` replicas are all updated and available. */
    deploymentDone(name: string, n: number): void {
      h.deploymentStatus(name, { replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n });
    },
    replicaSetStatus(name: string, replicas: number, observedGeneration?: number): void {
      const rs = editable<ReplicaSet>(api.get<ReplicaSet>('ReplicaSet', 'default', name));
      rs.status = { replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: observedGeneration ?? rs.metadata.generation };
      api.updateStatus(rs);
    },
  };
  return h;
}

export type MetricsHarness = ReturnType<typeof metricsHarness>;

/** The uid of a stored object. */
export function uidOf(obj: { metadata: { uid?: string } }): string {
  return obj.metadata.uid ?? '';
}
