/**
 * Availability over the whole run, per serving workload (Deployment, StatefulSet, DaemonSet, a
 * ReplicaSet no Deployment owns): how many of its pods were available at every instant, against
 * how many its spec wants. It answers "how often was my StatefulSet below quorum over a month of
 * failures" (metrics.json `availability[]`) and the `available` expectation ("never below N",
 * "below N for at most T in total").
 *
 * Available is the ground truth of WorkloadPods (ready for minReadySeconds), not a controller's
 * status. Desired is spec.replicas, or for a DaemonSet the nodes that should run it.
 *
 * A workload starts at zero available, so the time before it first has every desired pod
 * available is not held against it: shortfalls are counted from then on ("once up").
 */
import type { Simulation } from '../engine/simulation.js';
import type { WatchEvent } from '../cluster/api-server.js';
import { getControllerOf } from '../api/pod-util.js';
import type { DaemonSetDemand } from './daemonset-demand.js';
import type { WorkloadPods } from './workload-pods.js';
import { keepsSpecAndOwners } from './status-writes.js';

const SERVING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export interface AvailabilityRecord {
  /** `Kind/name`. */
  readonly target: string;
  readonly namespace: string;
  /** Virtual seconds at which every desired pod was first available; null if never. */
  readonly upAt: number | null;
  /** The fewest pods available once up (null if never up). */
  readonly minAvailable: number | null;
  /** Seconds with fewer available than desired, once up. */
  readonly secondsBelowDesired: number;
  /** secondsBelowDesired ÷ the time from upAt to the end (or the workload's deletion); 0 if never up. */
  readonly fractionBelowDesired: number;
}

interface Track {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  desired: number;
  /** Change points: virtual ms, available, desired — one entry per change of either. */
  readonly times: number[];
  readonly available: number[];
  readonly desiredAt: number[];
  /** Virtual ms of deletion, if deleted. */
  end?: number;
}

export class AvailabilityTracker {
  private readonly tracks = new Map<string, Track>();

  constructor(
    private readonly sim: Simulation,
    private readonly pods: WorkloadPods,
    private readonly demand: DaemonSetDemand,
  ) {
    pods.onChange((uid, counts) => this.sample(uid, counts.available));
    demand.onChange((uid) => this.sample(uid));
  }

  /** Feed every API commit here, after WorkloadPods and DaemonSetDemand have seen it. */
  observe(commit: WatchEvent): void {
    const obj = commit.object;
    if (!SERVING_KINDS.has(obj.kind)) return;
    // A status write (most commits of these kinds) moves neither the owner nor spec.replicas, and
    // the available pods and a DaemonSet's demand are sampled as they change (onChange above):
    // a sample now would find the last one standing.
    if (keepsSpecAndOwners(commit)) return;
    // A ReplicaSet a Deployment controls is measured as part of its Deployment.
    if (obj.kind === 'ReplicaSet' && getControllerOf(obj.metadata)?.kind === 'Deployment') return;
    const uid = obj.metadata.uid ?? '';
    let track = this.tracks.get(uid);
    if (commit.type === 'DELETED') {
      if (track !== undefined && track.end === undefined) track.end = this.sim.now;
      return;
    }
    if (track === undefined) {
      track = { kind: obj.kind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name, desired: 0, times: [], available: [], desiredAt: [] };
      this.tracks.set(uid, track);
    }
    if (obj.kind !== 'DaemonSet') track.desired = (obj as { spec?: { replicas?: number } }).spec?.replicas ?? 1;
    this.sample(uid);
  }

  /** `availableNow`: the workload's available pods, when the caller has them at hand. */
  private sample(uid: string, availableNow?: number): void {
    const track = this.tracks.get(uid);
    if (track === undefined || track.end !== undefined) return;
    const desired = track.kind === 'DaemonSet' ? this.demand.desired(uid) : track.desired;
    const available = availableNow ?? this.pods.countsOf(uid).available;
    const last = track.times.length - 1;
    if (last >= 0 && track.available[last] === available && track.desiredAt[last] === desired) return;
    const now = this.sim.now;
    if (last >= 0 && track.times[last] === now) {
      // Several changes in one instant: only where it ended counts.
      track.available[last] = available;
      track.desiredAt[last] = desired;
      return;
    }
    track.times.push(now);
    track.available.push(available);
    track.desiredAt.push(desired);
  }

  /** Whether the workload has fewer pods available than desired right now (false if unknown). */
  isShort(uid: string): boolean {
    const track = this.tracks.get(uid);
    if (track === undefined || track.end !== undefined || track.times.length === 0) return false;
    const last = track.times.length - 1;
    return track.available[last] < track.desiredAt[last];
  }

  private find(kind: string, namespace: string, name: string): Track | undefined {
    // The last workload of that name counts (one deleted and created again is judged as it ended up).
    let found: Track | undefined;
    for (const track of this.tracks.values()) {
      if (track.kind === kind && track.namespace === namespace && track.name === name) found = track;
    }
    return found;
  }

  /**
   * How long the workload had fewer than `atLeast` pods available between `fromMs` (default:
   * the first time it had `atLeast`) and `untilMs`, with the fewest it had then. Undefined when
   * no such workload existed; `reachedAt` null when it never had `atLeast` available.
   */
  below(
    kind: string,
    namespace: string,
    name: string,
    atLeast: number,
    untilMs: number,
    fromMs?: number,
  ): { readonly reachedAt: number | null; readonly belowMs: number; readonly fewest: number | null; readonly from: number } | undefined {
    const track = this.find(kind, namespace, name);
    if (track === undefined) return undefined;
    const end = Math.min(untilMs, track.end ?? untilMs);
    let reachedAt: number | null = null;
    for (let i = 0; i < track.times.length; i++) {
      if (track.available[i] >= atLeast) {
        reachedAt = track.times[i];
        break;
      }
    }
    const from = fromMs ?? reachedAt;
    if (from === null) return { reachedAt, belowMs: 0, fewest: null, from: 0 };
    let belowMs = 0;
    let fewest: number | null = null;
    for (let i = 0; i < track.times.length; i++) {
      const start = Math.max(track.times[i], from);
      const stop = Math.min(i + 1 < track.times.length ? track.times[i + 1] : end, end);
      // Only spans of positive length count: a value held for no time was never observable.
      if (stop <= start) continue;
      fewest = fewest === null ? track.available[i] : Math.min(fewest, track.available[i]);
      if (track.available[i] < atLeast) belowMs += stop - start;
    }
    return { reachedAt, belowMs, fewest, from };
  }

  /** One record per workload, in order of creation. */
  records(endMs: number): AvailabilityRecord[] {
    const out: AvailabilityRecord[] = [];
    for (const track of this.tracks.values()) {
      const end = track.end ?? endMs;
      let upAt: number | null = null;
      let belowMs = 0;
      let fewest: number | null = null;
      for (let i = 0; i < track.times.length; i++) {
        const desired = track.desiredAt[i];
        if (upAt === null) {
          if (desired === 0 || track.available[i] < desired) continue;
          upAt = track.times[i];
        }
        const stop = Math.min(i + 1 < track.times.length ? track.times[i + 1] : end, end);
        if (stop <= track.times[i]) continue;
        fewest = fewest === null ? track.available[i] : Math.min(fewest, track.available[i]);
        if (track.available[i] < desired) belowMs += stop - track.times[i];
      }
      const span = upAt === null ? 0 : end - upAt;
      out.push({
        target: `${track.kind}/${track.name}`,
        namespace: track.namespace,
        upAt: upAt === null ? null : upAt / 1000,
        minAvailable: fewest,
        secondsBelowDesired: belowMs / 1000,
        fractionBelowDesired: span > 0 ? Math.round((belowMs / span) * 1e6) / 1e6 : 0,
      });
    }
    return out;
  }
}
