/**
 * Rollouts of Deployments: one starts when a Deployment's pod template changes (setImage, patch,
 * apply, rolloutUndo) and ends when `kubectl rollout status` would report it done
 * (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go): the latest generation
 * observed, every replica updated, no old replica left, every updated replica available.
 *
 * While it runs, the least available pods, the most pods that exist (neither terminating nor
 * terminal) and the time-weighted mean of available ÷ desired are measured on the pods
 * themselves (WorkloadPods). Creating a Deployment is not a rollout; convergence covers it.
 */
import type { Simulation } from '../engine/simulation.js';
import type { WatchEvent } from '../cluster/api-server.js';
import type { EventLog } from '../cluster/event-log.js';
import type { Deployment } from '../api/types/deployment.js';
import type { DeepReadonly } from '../api/types/meta.js';
import { deepEqual } from '../util/objects.js';
import { REVISION_ANNOTATION } from '../controllers/deployment/annotations.js';
import type { WorkloadPods } from './workload-pods.js';

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
}

interface ActiveRollout {
  readonly uid: string;
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
  private readonly desired = new Map<string, number>();
  private readonly done: RolloutRecord[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly events: EventLog,
    private readonly pods: WorkloadPods,
  ) {
    pods.onChange((workload) => {
      const rollout = this.active.get(workload);
      if (rollout !== undefined) this.measure(rollout);
    });
  }

  /** Feed every API commit here. */
  observe(commit: WatchEvent): void {
    if (commit.object.kind !== 'Deployment') return;
    const d = commit.object as DeepReadonly<Deployment>;
    const uid = d.metadata.uid ?? '';
    if (commit.type === 'DELETED') {
      const rollout = this.active.get(uid);
      if (rollout !== undefined) this.close(rollout, 'deleted');
      return;
    }
    this.desired.set(uid, d.spec.replicas ?? 1);
    const old = commit.oldObject as DeepReadonly<Deployment> | undefined;
    let rollout = this.active.get(uid);
    if (commit.type === 'MODIFIED' && old !== undefined && !deepEqual(old.spec.template, d.spec.template)) {
      if (rollout !== undefined) this.close(rollout, 'superseded');
      rollout = this.begin(d);
    }
    if (rollout === undefined) return;
    // The commit that changes the template still carries the revision being left; the
    // controller's next write records the new one (always a higher number).
    const revision = revisionOf(d);
    if (revision !== null && revision !== rollout.startRevision) rollout.revision = revision;
    if (d.status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) rollout.deadlineExceeded = true;
    this.measure(rollout);
    if (rolloutDone(d)) this.close(rollout, 'complete');
  }

  private begin(d: DeepReadonly<Deployment>): ActiveRollout {
    const uid = d.metadata.uid ?? '';
    const now = this.sim.now;
    const counts = this.pods.countsOf(uid);
    const rollout: ActiveRollout = {
      uid,
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
      startRevision: revisionOf(d),
    };
    this.active.set(uid, rollout);
    this.events.emit('RolloutStarted', { kind: 'Deployment', namespace: rollout.namespace, name: rollout.name }, { generation: d.metadata.generation });
    return rollout;
  }

  private ratio(uid: string): number {
    const desired = this.desired.get(uid) ?? 0;
    const available = this.pods.countsOf(uid).available;
    return desired === 0 ? 1 : Math.min(1, available / desired);
  }

  private measure(rollout: ActiveRollout): void {
    const now = this.sim.now;
    const counts = this.pods.countsOf(rollout.uid);
    rollout.integral += (now - rollout.lastTime) * rollout.lastRatio;
    rollout.lastTime = now;
    rollout.lastRatio = this.ratio(rollout.uid);
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
      target: `Deployment/${rollout.name}`,
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
    });
    const subject = { kind: 'Deployment', namespace: rollout.namespace, name: rollout.name };
    if (outcome === 'complete') this.events.emit('RolloutComplete', subject, { revision: rollout.revision ?? undefined, seconds: elapsed / 1000 });
    else if (outcome === 'superseded') this.events.emit('RolloutSuperseded', subject, { revision: rollout.revision ?? undefined });
  }

  /** Closes rollouts still running at the horizon and returns every rollout in start order. */
  finish(): RolloutRecord[] {
    for (const rollout of [...this.active.values()]) this.close(rollout, 'incomplete');
    return [...this.done].sort((a, b) => a.start - b.start || a.target.localeCompare(b.target));
  }
}

/** Six significant decimals keep metrics.json readable and stable. */
export function roundRatio(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
