/**
 * Rollouts of Deployments, StatefulSets and DaemonSets: one starts when the pod template changes
 * (setImage, patch, apply, rolloutUndo) and ends when `kubectl rollout status` would report it
 * done (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go). A Deployment: the
 * latest generation observed, every replica updated, no old replica left, every updated replica
 * available. A StatefulSet or DaemonSet: as workload-state.ts judges it (updated to the partition,
 * ready and available). The revision is the Deployment's revision annotation, or the highest
 * ControllerRevision number of a StatefulSet or DaemonSet.
 *
 * While it runs, the least available pods, the most pods that exist (neither terminating nor
 * terminal) and the time-weighted mean of available ÷ desired are measured on the pods
 * themselves (WorkloadPods). Creating a Deployment is not a rollout; convergence covers it.
 */
import type { Simulation } from '../engine/simulation.js';
import type { WatchEvent } from '../cluster/api-server.js';
import type { EventLog } from '../cluster/event-log.js';
import type { ControllerRevision } from '../api/types/controller-revision.js';
import type { DaemonSet } from '../api/types/daemonset.js';
import type { Deployment } from '../api/types/deployment.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { PodTemplateSpec } from '../api/types/pod.js';
import type { StatefulSet } from '../api/types/statefulset.js';
import { getControllerOf } from '../api/pod-util.js';
import { deepEqual } from '../util/objects.js';
import { REVISION_ANNOTATION } from '../controllers/deployment/annotations.js';
import type { WorkloadPods } from './workload-pods.js';
import type { DaemonSetDemand } from './daemonset-demand.js';
import { keepsSpecAndOwners } from './status-writes.js';
import { daemonSetGap, statefulSetGap } from './workload-state.js';

/** The kinds whose template changes are rollouts. */
const ROLLOUT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

type Workload = DeepReadonly<KubeObject & { spec: { template: PodTemplateSpec; replicas?: number } }>;

export type RolloutOutcome = 'complete' | 'superseded' | 'deleted' | 'incomplete';

export interface RolloutRecord {
  readonly target: string;
  readonly namespace: string;
  readonly revision: number | null;
  /** Virtual seconds. */
  readonly start: number;
  readonly end: number | null;
  readonly seconds: number | null;
  readonly minAvailable: number;
  readonly maxPods: number;
  readonly availability: number;
  readonly outcome: RolloutOutcome;
  readonly progressDeadlineExceeded: boolean;
  /**
   * Requests that failed while it ran, at the Services with traffic whose selector matches the
   * new pod template (absent when no such Service exists).
   */
  readonly requestsFailed?: number;
}

/** The Services with traffic in front of a workload's pods (traffic/traffic-model.ts). */
export interface RequestSource {
  servicesSelecting(namespace: string, labels: Readonly<Record<string, string>> | undefined): readonly { totals(): { readonly failed: number } }[];
}

interface ActiveRollout {
  readonly uid: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly start: number;
  minAvailable: number;
  maxPods: number;
  /** ∫ available/desired dt, in ms. */
  integral: number;
  lastTime: number;
  lastRatio: number;
  deadlineExceeded: boolean;
  revision: number | null;
  /** The revision annotation when the rollout began: the one being rolled away from. */
  readonly startRevision: number | null;
  /** The Services with traffic in front of the new pods, and their failed requests at the start. */
  readonly services: readonly { totals(): { readonly failed: number } }[];
  readonly failedAtStart: number;
}

/** kubectl rollout status: done when the latest generation is fully rolled out and available. */
export function rolloutDone(d: DeepReadonly<Deployment>): boolean {
  const status = d.status ?? {};
  const replicas = d.spec.replicas ?? 1;
  if ((status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) return false;
  const updated = status.updatedReplicas ?? 0;
  return updated >= replicas && (status.replicas ?? 0) <= updated && (status.availableReplicas ?? 0) >= updated;
}

function revisionOf(d: DeepReadonly<Deployment>): number | null {
  const text = d.metadata.annotations?.[REVISION_ANNOTATION];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

export class RolloutTracker {
  private readonly active = new Map<string, ActiveRollout>();
  /** Highest ControllerRevision number per owner uid (StatefulSets and DaemonSets). */
  private readonly revisions = new Map<string, number>();
  private readonly desired = new Map<string, number>();
  private readonly done: RolloutRecord[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly events: EventLog,
    private readonly pods: WorkloadPods,
    private readonly demand: DaemonSetDemand,
    private readonly requests?: RequestSource,
  ) {
    pods.onChange((workload, counts) => {
      const rollout = this.active.get(workload);
      if (rollout !== undefined) this.measure(rollout, counts);
    });
  }

  /** Feed every API commit here. */
  observe(commit: WatchEvent): void {
    const kind = commit.object.kind;
    if (kind === 'ControllerRevision') {
      this.revisionChanged(commit as WatchEvent<ControllerRevision>);
      return;
    }
    if (!ROLLOUT_KINDS.has(kind)) return;
    const w = commit.object as Workload;
    const uid = w.metadata.uid ?? '';
    if (commit.type === 'DELETED') {
      const rollout = this.active.get(uid);
      if (rollout !== undefined) this.close(rollout, 'deleted');
      return;
    }
    // The desired count of a Deployment or StatefulSet is in its spec: its status writes (most
    // of its commits) leave it as it was.
    if (kind === 'DaemonSet' || !keepsSpecAndOwners(commit)) this.desired.set(uid, this.desiredOf(w));
    const old = commit.oldObject as Workload | undefined;
    let rollout = this.active.get(uid);
    if (commit.type === 'MODIFIED' && old !== undefined && (!deepEqual(old.spec.template, w.spec.template) || partitionLowered(old, w))) {
      if (rollout !== undefined) this.close(rollout, 'superseded');
      rollout = this.begin(w);
      // A later stage of a partitioned rollout goes on to the revision already being rolled out.
      if (deepEqual(old.spec.template, w.spec.template)) rollout.revision = this.revisionOf(w);
    }
    if (rollout === undefined) return;
    // The commit that changes the template still carries the revision being left; the
    // controller's next write records the new one (always a higher number).
    const revision = this.revisionOf(w);
    if (revision !== null && revision !== rollout.startRevision) rollout.revision = revision;
    if (kind === 'Deployment' && (w as DeepReadonly<Deployment>).status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) rollout.deadlineExceeded = true;
    this.measure(rollout);
    if (this.isDone(w)) this.close(rollout, 'complete');
  }

  private revisionChanged(commit: WatchEvent<ControllerRevision>): void {
    if (commit.type === 'DELETED') return;
    const owner = getControllerOf(commit.object.metadata);
    if (owner === undefined) return;
    this.revisions.set(owner.uid, Math.max(this.revisions.get(owner.uid) ?? 0, commit.object.revision));
    // A renumbered old revision (a rollback) is the rollout's revision too.
    const rollout = this.active.get(owner.uid);
    const revision = this.revisions.get(owner.uid) ?? null;
    if (rollout !== undefined && revision !== null && revision !== rollout.startRevision) rollout.revision = revision;
  }

  private revisionOf(w: Workload): number | null {
    if (w.kind === 'Deployment') return revisionOf(w as DeepReadonly<Deployment>);
    return this.revisions.get(w.metadata.uid ?? '') ?? null;
  }

  private desiredOf(w: Workload): number {
    if (w.kind === 'DaemonSet') return (w as DeepReadonly<DaemonSet>).status?.desiredNumberScheduled ?? 0;
    return w.spec.replicas ?? 1;
  }

  private isDone(w: Workload): boolean {
    const counts = this.pods.countsOf(w.metadata.uid ?? '');
    if (w.kind === 'StatefulSet') return statefulSetGap(w as DeepReadonly<StatefulSet>, counts, 'updated') === undefined;
    if (w.kind === 'DaemonSet') return daemonSetGap(w as DeepReadonly<DaemonSet>, this.demand.desired(w.metadata.uid ?? ''), 'updated') === undefined;
    return rolloutDone(w as DeepReadonly<Deployment>);
  }

  private begin(d: Workload): ActiveRollout {
    const uid = d.metadata.uid ?? '';
    const now = this.sim.now;
    const counts = this.pods.countsOf(uid);
    const services = this.requests?.servicesSelecting(d.metadata.namespace ?? 'default', d.spec.template.metadata?.labels) ?? [];
    const rollout: ActiveRollout = {
      uid,
      kind: d.kind,
      name: d.metadata.name,
      namespace: d.metadata.namespace ?? 'default',
      start: now,
      minAvailable: counts.available,
      maxPods: counts.existing,
      integral: 0,
      lastTime: now,
      lastRatio: this.ratio(uid),
      deadlineExceeded: false,
      revision: null,
      startRevision: this.revisionOf(d),
      services,
      failedAtStart: failedOf(services),
    };
    this.active.set(uid, rollout);
    this.events.emit('RolloutStarted', { kind: d.kind, namespace: rollout.namespace, name: rollout.name }, { generation: d.metadata.generation });
    return rollout;
  }

  private ratio(uid: string, available = this.pods.countsOf(uid).available): number {
    const desired = this.desired.get(uid) ?? 0;
    return desired === 0 ? 1 : Math.min(1, available / desired);
  }

  /** `counts`: the workload's pod counts, when the caller has them at hand. */
  private measure(rollout: ActiveRollout, counts = this.pods.countsOf(rollout.uid)): void {
    const now = this.sim.now;
    rollout.integral += (now - rollout.lastTime) * rollout.lastRatio;
    rollout.lastTime = now;
    rollout.lastRatio = this.ratio(rollout.uid, counts.available);
    rollout.minAvailable = Math.min(rollout.minAvailable, counts.available);
    rollout.maxPods = Math.max(rollout.maxPods, counts.existing);
  }

  private close(rollout: ActiveRollout, outcome: RolloutOutcome): void {
    this.measure(rollout);
    this.active.delete(rollout.uid);
    const now = this.sim.now;
    const elapsed = now - rollout.start;
    const ended = outcome !== 'incomplete';
    this.done.push({
      target: `${rollout.kind}/${rollout.name}`,
      namespace: rollout.namespace,
      revision: rollout.revision,
      start: rollout.start / 1000,
      end: ended ? now / 1000 : null,
      seconds: ended ? elapsed / 1000 : null,
      minAvailable: rollout.minAvailable,
      maxPods: rollout.maxPods,
      availability: roundRatio(elapsed > 0 ? rollout.integral / elapsed : rollout.lastRatio),
      outcome,
      progressDeadlineExceeded: rollout.deadlineExceeded,
      ...(rollout.services.length > 0 ? { requestsFailed: Math.round(failedOf(rollout.services) - rollout.failedAtStart) } : {}),
    });
    const subject = { kind: rollout.kind, namespace: rollout.namespace, name: rollout.name };
    if (outcome === 'complete') this.events.emit('RolloutComplete', subject, { revision: rollout.revision ?? undefined, seconds: elapsed / 1000 });
    else if (outcome === 'superseded') this.events.emit('RolloutSuperseded', subject, { revision: rollout.revision ?? undefined });
  }

  /** Closes rollouts still running at the horizon and returns every rollout in start order. */
  finish(): RolloutRecord[] {
    for (const rollout of [...this.active.values()]) this.close(rollout, 'incomplete');
    return [...this.done].sort((a, b) => a.start - b.start || a.target.localeCompare(b.target));
  }
}

/**
 * A StatefulSet's partition lowered below pods still at the old revision: the next stage of a
 * staged (canary) rollout, recorded as a rollout of its own.
 */
function partitionLowered(old: Workload, w: Workload): boolean {
  if (w.kind !== 'StatefulSet') return false;
  const partition = (s: Workload) => (s as DeepReadonly<StatefulSet>).spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  const sts = w as DeepReadonly<StatefulSet>;
  return partition(w) < partition(old) && (sts.status?.updatedReplicas ?? 0) < (sts.spec.replicas ?? 1) - partition(w);
}

function failedOf(services: readonly { totals(): { readonly failed: number } }[]): number {
  let failed = 0;
  for (const service of services) failed += service.totals().failed;
  return failed;
}

/** Six significant decimals keep metrics.json readable and stable. */
export function roundRatio(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
