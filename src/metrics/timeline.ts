/**
 * The timeline: tidy samples every `sampleInterval` (scenario-format.md §7), one row per
 * (time, object, metric). Each sample runs after everything else at its instant
 * (Priority.Sample). Objects are read from the API server's store as they stand, so a sample
 * shows what `kubectl get` would.
 *
 * A ReplicaSet scaled to zero with no pods left appears once more, with its zeros, and then no
 * longer: a long rollout history would otherwise fill the file with zeros.
 *
 * ReplicaSets have no `updatedReplicas` status field; the timeline gives one so that a rollout can
 * be followed per ReplicaSet: all its replicas when it runs its owner Deployment's current
 * template (or it has no Deployment), none when it is an old revision.
 */
import { Priority } from '../engine/priorities.js';
import type { Simulation } from '../engine/simulation.js';
import type { ApiServer } from '../cluster/api-server.js';
import type { Deployment } from '../api/types/deployment.js';
import type { ReplicaSet } from '../api/types/replicaset.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { CronJob } from '../api/types/cronjob.js';
import type { HorizontalPodAutoscaler } from '../api/types/horizontal-pod-autoscaler.js';
import { hpaMetricValues } from './hpa-metric-values.js';
import type { Service } from '../api/types/service.js';
import type { ServiceEndpointCounts } from '../controllers/endpointslice/endpoint-counts.js';
import type { DaemonSet } from '../api/types/daemonset.js';
import type { Job } from '../api/types/job.js';
import type { StatefulSet } from '../api/types/statefulset.js';
import { getControllerOf } from '../api/pod-util.js';
import { equalIgnoreHash } from '../controllers/deployment/replica-sets.js';
import { LimitError } from '../errors.js';
import type { ClusterCounts, ClusterCountValues } from './cluster-counts.js';
import type { RequestRates } from './requests.js';

/** One row: t (virtual seconds), kind, namespace, name, metric, value. */
export type TimelineRow = [number, string, string, string, string, number];

export const TIMELINE_COLUMNS = ['t', 'kind', 'namespace', 'name', 'metric', 'value'] as const;

const CLUSTER_METRICS: readonly (keyof ClusterCountValues)[] = ['nodes', 'nodesReady', 'pods', 'podsPending', 'podsRunning', 'podsReady', 'podsTerminating'];

export class TimelineSampler {
  readonly rows: TimelineRow[] = [];
  /** uids of the ReplicaSets shown at the last sample. */
  private shown = new Set<string>();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly cluster: ClusterCounts,
    private readonly endpoints: ServiceEndpointCounts,
    private readonly intervalMs: number,
    private readonly untilMs: number,
    private readonly maxRows: number,
    /** Request rates of the Services with traffic (none when absent). */
    private readonly requests?: RequestRates,
  ) {}

  /** Schedules the first sample at t = 0; each sample schedules the next. */
  start(): void {
    this.sim.scheduleAt(0, () => this.sample(), Priority.Sample);
  }

  private sample(): void {
    const now = this.sim.now;
    const t = now / 1000;
    for (const metric of CLUSTER_METRICS) this.rows.push([t, 'Cluster', '', 'cluster', metric, this.cluster.values[metric]]);
    for (const d of this.api.list<Deployment>('Deployment')) {
      const s = d.status ?? {};
      const ns = d.metadata.namespace ?? '';
      const name = d.metadata.name;
      this.rows.push(
        [t, 'Deployment', ns, name, 'desiredReplicas', d.spec.replicas ?? 1],
        [t, 'Deployment', ns, name, 'replicas', s.replicas ?? 0],
        [t, 'Deployment', ns, name, 'updatedReplicas', s.updatedReplicas ?? 0],
        [t, 'Deployment', ns, name, 'readyReplicas', s.readyReplicas ?? 0],
        [t, 'Deployment', ns, name, 'availableReplicas', s.availableReplicas ?? 0],
        [t, 'Deployment', ns, name, 'unavailableReplicas', s.unavailableReplicas ?? 0],
      );
    }
    for (const sts of this.api.list<StatefulSet>('StatefulSet')) {
      const s = sts.status;
      const ns = sts.metadata.namespace ?? '';
      const name = sts.metadata.name;
      this.rows.push(
        [t, 'StatefulSet', ns, name, 'desiredReplicas', sts.spec.replicas ?? 1],
        [t, 'StatefulSet', ns, name, 'replicas', s?.replicas ?? 0],
        [t, 'StatefulSet', ns, name, 'currentReplicas', s?.currentReplicas ?? 0],
        [t, 'StatefulSet', ns, name, 'updatedReplicas', s?.updatedReplicas ?? 0],
        [t, 'StatefulSet', ns, name, 'readyReplicas', s?.readyReplicas ?? 0],
        [t, 'StatefulSet', ns, name, 'availableReplicas', s?.availableReplicas ?? 0],
      );
    }
    for (const ds of this.api.list<DaemonSet>('DaemonSet')) {
      const s = ds.status;
      const ns = ds.metadata.namespace ?? '';
      const name = ds.metadata.name;
      // The DaemonSet's own status names, under the common names of the other workloads.
      this.rows.push(
        [t, 'DaemonSet', ns, name, 'desiredReplicas', s?.desiredNumberScheduled ?? 0],
        [t, 'DaemonSet', ns, name, 'replicas', s?.currentNumberScheduled ?? 0],
        [t, 'DaemonSet', ns, name, 'updatedReplicas', s?.updatedNumberScheduled ?? 0],
        [t, 'DaemonSet', ns, name, 'readyReplicas', s?.numberReady ?? 0],
        [t, 'DaemonSet', ns, name, 'availableReplicas', s?.numberAvailable ?? 0],
        [t, 'DaemonSet', ns, name, 'misscheduled', s?.numberMisscheduled ?? 0],
      );
    }
    for (const job of this.api.list<Job>('Job')) {
      const s = job.status;
      const ns = job.metadata.namespace ?? '';
      const name = job.metadata.name;
      this.rows.push(
        [t, 'Job', ns, name, 'active', s?.active ?? 0],
        [t, 'Job', ns, name, 'ready', s?.ready ?? 0],
        [t, 'Job', ns, name, 'succeeded', s?.succeeded ?? 0],
        [t, 'Job', ns, name, 'failed', s?.failed ?? 0],
        [t, 'Job', ns, name, 'terminating', s?.terminating ?? 0],
      );
    }
    for (const svc of this.api.list<Service>('Service')) {
      const ns = svc.metadata.namespace ?? '';
      const name = svc.metadata.name;
      const e = this.endpoints.get(ns, name);
      this.rows.push(
        [t, 'Service', ns, name, 'endpoints', e.endpoints],
        [t, 'Service', ns, name, 'endpointsReady', e.ready],
        [t, 'Service', ns, name, 'endpointsServing', e.serving],
        [t, 'Service', ns, name, 'endpointsTerminating', e.terminating],
      );
    }
    this.requests?.sample(now, this.rows);
    for (const cj of this.api.list<CronJob>('CronJob')) {
      const ns = cj.metadata.namespace ?? '';
      this.rows.push(
        [t, 'CronJob', ns, cj.metadata.name, 'active', cj.status?.active?.length ?? 0],
        [t, 'CronJob', ns, cj.metadata.name, 'suspended', cj.spec.suspend === true ? 1 : 0],
      );
    }
    for (const hpa of this.api.list<HorizontalPodAutoscaler>('HorizontalPodAutoscaler')) {
      const ns = hpa.metadata.namespace ?? '';
      const name = hpa.metadata.name;
      this.rows.push([t, 'HorizontalPodAutoscaler', ns, name, 'currentReplicas', hpa.status?.currentReplicas ?? 0], [t, 'HorizontalPodAutoscaler', ns, name, 'desiredReplicas', hpa.status?.desiredReplicas ?? 0]);
      for (const [metric, value] of hpaMetricValues(hpa)) this.rows.push([t, 'HorizontalPodAutoscaler', ns, name, metric, value]);
    }
    const shown = new Set<string>();
    for (const rs of this.api.list<ReplicaSet>('ReplicaSet')) {
      const s = rs.status ?? { replicas: 0 };
      const desired = rs.spec.replicas ?? 1;
      const uid = rs.metadata.uid ?? '';
      if (desired === 0 && (s.replicas ?? 0) === 0 && !this.shown.has(uid)) continue;
      if (desired !== 0 || (s.replicas ?? 0) !== 0) shown.add(uid);
      const ns = rs.metadata.namespace ?? '';
      const name = rs.metadata.name;
      const replicas = s.replicas ?? 0;
      this.rows.push(
        [t, 'ReplicaSet', ns, name, 'desiredReplicas', desired],
        [t, 'ReplicaSet', ns, name, 'replicas', replicas],
        [t, 'ReplicaSet', ns, name, 'updatedReplicas', this.isCurrentRevision(rs) ? replicas : 0],
        [t, 'ReplicaSet', ns, name, 'readyReplicas', s.readyReplicas ?? 0],
        [t, 'ReplicaSet', ns, name, 'availableReplicas', s.availableReplicas ?? 0],
      );
    }
    this.shown = shown;
    if (this.rows.length > this.maxRows) {
      throw new LimitError('timelineRows', this.rows.length, this.maxRows, `the timeline grew past ${this.maxRows} rows at t=${t}s; sample less often (a larger spec.sampleInterval)`);
    }
    const next = now + this.intervalMs;
    if (next <= this.untilMs) this.sim.scheduleAt(next, () => this.sample(), Priority.Sample);
  }

  /** True unless the ReplicaSet is an old revision of the Deployment that controls it. */
  private isCurrentRevision(rs: DeepReadonly<ReplicaSet>): boolean {
    const owner = getControllerOf(rs.metadata);
    if (owner?.kind !== 'Deployment') return true;
    const d = this.api.get<Deployment>('Deployment', rs.metadata.namespace, owner.name);
    return d === undefined || d.metadata.uid !== owner.uid || equalIgnoreHash(rs.spec.template, d.spec.template);
  }
}
