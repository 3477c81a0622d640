/**
 * The node lifecycle controller's zones (node_lifecycle_controller.go: zoneStates,
 * zoneNoExecuteTainter, addPodEvictorForNewZone, handleDisruption, setLimiterInZone): each zone's
 * state, its tainting queue and the ready / not-ready counts its state is computed from.
 *
 * Upstream gathers every node's Ready condition on each monitor pass; here each zone's counts
 * are kept up to date as nodes change (a node counts once its Ready condition is known; nodes
 * labelled node.kubernetes.io/exclude-disruption never count), so a pass costs the zones, not
 * the nodes. A zone whose last node left is forgotten at once (upstream stops forgetting at the
 * first zone that is not fully disrupted, in Go's random map order).
 *
 * handleDisruption, worked through: three zones of 10 nodes. Zone a loses all 10: a is
 * FullDisruption, b and c Normal, so a keeps the normal rate (0.1/s: one node tainted every
 * 10 s). Then b and c lose every node too: all zones are fully disrupted — more likely the control
 * plane is cut off than every node dead — so every NoExecute taint is removed and tainting stops
 * (limiter 0). When any node is Ready again, every node's probe time restarts at that moment
 * (the others get a full grace period) and each zone's rate follows its own state again.
 */
import type { Time } from '../../api/types/meta.js';
import { EVICTION_RATE_LIMITER_BURST, RateLimitedTimedQueue } from './rate-limited-queue.js';
import type { NodeLifecycleSettings } from './settings.js';
import { TokenBucket } from './token-bucket.js';
import { type ZoneState, computeZoneState, zoneEvictionRate } from './zone-state.js';

interface ZoneCounts {
  ready: number;
  notReady: number;
}

/** What handleDisruption asks of the controller when the whole cluster enters or leaves full disruption. */
export interface DisruptionHooks {
  /** Remove the not-ready and unreachable NoExecute taints from every node. */
  markAllNodesReachable(): void;
  /** Restart every node's probe time at `now`. */
  resetProbeTimestamps(now: Time): void;
}

export class ZoneBook {
  /** zoneStates, in the order zones were first seen. */
  readonly states = new Map<string, ZoneState>();
  /** zoneNoExecuteTainter: never forgotten, as upstream. */
  readonly tainters = new Map<string, RateLimitedTimedQueue>();
  private readonly counts = new Map<string, ZoneCounts>();

  constructor(private readonly settings: NodeLifecycleSettings) {}

  /** addPodEvictorForNewZone: a zone without a state gets one, and a fresh tainting queue. */
  ensure(zone: string, now: Time): void {
    if (this.states.has(zone)) return;
    this.states.set(zone, 'Initial');
    this.tainters.set(zone, new RateLimitedTimedQueue(new TokenBucket(this.settings.evictionRate, EVICTION_RATE_LIMITER_BURST, now)));
  }

  tainter(zone: string): RateLimitedTimedQueue | undefined {
    return this.tainters.get(zone);
  }

  /** Adds (delta 1) or removes (delta -1) a node's contribution to its zone's counts. */
  count(zone: string, ready: boolean, delta: 1 | -1): void {
    let counts = this.counts.get(zone);
    if (counts === undefined) this.counts.set(zone, (counts = { ready: 0, notReady: 0 }));
    if (ready) counts.ready += delta;
    else counts.notReady += delta;
    if (counts.ready + counts.notReady === 0) this.counts.delete(zone);
  }

  /** The zone's counted nodes (len(zoneToNodeConditions[zone])). */
  size(zone: string): number {
    const counts = this.counts.get(zone);
    return counts === undefined ? 0 : counts.ready + counts.notReady;
  }

  /** The state the zone's counts give now. */
  computedState(zone: string): ZoneState | undefined {
    const counts = this.counts.get(zone);
    return counts === undefined ? undefined : computeZoneState(counts.ready, counts.notReady, this.settings.unhealthyZoneThreshold);
  }

  /** handleDisruption: see the file header. */
  handleDisruption(now: Time, hooks: DisruptionHooks): void {
    const next = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const zone of this.counts.keys()) {
      const state = this.computedState(zone) as ZoneState;
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
      next.set(zone, state);
      this.ensure(zone, now);
    }
    let allWereFullyDisrupted = true;
    for (const [zone, state] of [...this.states]) {
      if (!this.counts.has(zone)) {
        this.states.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') allWereFullyDisrupted = false;
    }
    if (allAreFullyDisrupted && allWereFullyDisrupted) return;
    if (allAreFullyDisrupted) {
      // Entering: more likely the control plane lost the nodes than every node died.
      hooks.markAllNodesReachable();
      for (const zone of this.states.keys()) {
        this.tainters.get(zone)?.swapLimiter(0, now);
        this.states.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWereFullyDisrupted) {
      // Leaving: every node gets a full grace period from now before it can be tainted again.
      hooks.resetProbeTimestamps(now);
      for (const zone of this.states.keys()) {
        const state = next.get(zone) as ZoneState;
        this.setLimiterInZone(zone, state, now);
        this.states.set(zone, state);
      }
      return;
    }
    for (const [zone, state] of this.states) {
      const state2 = next.get(zone) as ZoneState;
      if (state === state2) continue;
      this.setLimiterInZone(zone, state2, now);
      this.states.set(zone, state2);
    }
  }

  private setLimiterInZone(zone: string, state: ZoneState, now: Time): void {
    const rate = zoneEvictionRate(state, this.size(zone), this.settings);
    if (rate !== undefined) this.tainters.get(zone)?.swapLimiter(rate, now);
  }
}
