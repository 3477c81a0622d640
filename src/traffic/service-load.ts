/**
 * The requests of one Service with traffic: its offered load, the pods kube-proxy spreads it
 * over, what they serve, and the running totals of requests offered, served and failed.
 *
 * The load is a fluid, constant between change points: a piece of the rate pattern ends, the
 * proxy programs new endpoints, a pod starts or stops being able to serve, `setTraffic` changes
 * the rule. At each, the totals are integrated up to now and the rates recomputed — for this
 * Service only. kube-proxy's iptables mode picks an endpoint at random per connection, even in
 * expectation: each routed pod receives rate ÷ endpoints. A pod serves its share up to the rule's
 * capacity; the rest fails at once (load is shed, not queued). Requests routed to a pod that
 * cannot serve fail; with no endpoint at all, every request fails.
 *
 * Load starts when the Service has first come up — every endpoint its slices list is ready — or,
 * when some never get ready, {@link STARTUP_GRACE_MS} after it first had a ready one: a scenario
 * builds its cluster from nothing at t = 0, and nobody sends traffic to a service before it is
 * up. (Starting at the first ready endpoint would shed load at its capacity limit while the
 * others follow a second later, a start-up artefact no real cluster shows.) Before that nothing
 * is offered or counted.
 */
import type { Rng } from '../engine/random.js';
import type { Simulation } from '../engine/simulation.js';
import { OfferedLoad } from './offered-load.js';
import type { PodLoad } from './pod-load.js';
import type { TrafficRule } from './traffic-rule.js';
import type { ServiceEndpointSets } from './usable-endpoints.js';
import type { Timer } from '../engine/simulation.js';

/** How long after its first ready endpoint a Service that never gets fully ready starts its load. */
export const STARTUP_GRACE_MS = 60_000;

/** Requests so far (fractions: the load is a fluid). */
export interface RequestTotals {
  readonly offered: number;
  readonly served: number;
  readonly failed: number;
}

/** How a Service finds the pods it routes to (get or create) and lets go of them. */
export interface PodDirectory {
  pod(key: string): PodLoad;
  /** Forgets the pod when no Service lists it any longer. */
  release(pod: PodLoad): void;
}

export class ServiceLoad {
  readonly key: string;
  readonly offered: OfferedLoad;
  /** True once requests are offered: from the first time the proxy had an endpoint. */
  started = false;
  private routed: readonly string[] = [];
  /** The routed pods, resolved once per endpoint change (the rate changes far more often). */
  private routedPods: readonly PodLoad[] = [];
  private routedSet = new Set<string>();
  private listed: readonly string[] = [];
  private servedRps = 0;
  private lastMs: number;
  private offeredTotal = 0;
  private servedTotal = 0;
  private readonly ruleOf = (): TrafficRule => this.rule;
  private graceTimer: Timer | undefined;

  constructor(
    public rule: TrafficRule,
    private readonly sim: Simulation,
    rng: Rng,
    private readonly pods: PodDirectory,
    /** Called when this Service starts receiving load (its first endpoint). */
    private readonly onStart: (service: ServiceLoad) => void,
  ) {
    this.key = `${rule.namespace}/${rule.service}`;
    this.lastMs = sim.now;
    this.offered = new OfferedLoad(sim, rng, () => {
      this.advance();
      this.offered.nextPiece();
      this.distribute(false);
    });
  }

  /** Requests per second offered now (0 before the Service first had an endpoint). */
  get offeredRps(): number {
    return this.started ? this.offered.rps : 0;
  }

  /** Requests per second served now. */
  get currentServedRps(): number {
    return this.servedRps;
  }

  /** Pods requests are spread over now. */
  get routedKeys(): readonly string[] {
    return this.routed;
  }

  /** Totals integrated up to now. */
  totals(): RequestTotals {
    this.advance();
    return { offered: this.offeredTotal, served: this.servedTotal, failed: Math.max(0, this.offeredTotal - this.servedTotal) };
  }

  /** The proxy programmed new endpoints for this Service. */
  endpointsChanged(sets: ServiceEndpointSets): void {
    this.advance();
    const keep = new Set(sets.listed);
    for (const key of this.listed) {
      if (keep.has(key)) continue;
      const pod = this.pods.pod(key);
      pod.drop(this.key);
      this.pods.release(pod);
    }
    this.routed = sets.routed;
    this.routedPods = sets.routed.map((key) => this.pods.pod(key));
    this.routedSet = new Set(sets.routed);
    this.listed = sets.listed;
    if (!this.started && sets.allReady) this.start();
    else if (!this.started && this.routed.length > 0) {
      this.graceTimer ??= this.sim.schedule(STARTUP_GRACE_MS, () => {
        this.graceTimer = undefined;
        if (this.started || this.routed.length === 0) return;
        this.advance();
        this.start();
        this.distribute(false);
      });
    }
    this.distribute(true);
  }

  private start(): void {
    this.started = true;
    this.graceTimer?.cancel();
    this.onStart(this);
  }

  /** Starts the rule's rate now (its pattern's times count from now). */
  begin(): void {
    this.offered.set(this.rule.rate, this.rule.noise);
  }

  /** A `setTraffic`: the new rule from now on; what changed is recomputed. */
  changeRule(rule: TrafficRule, changed: { readonly rate: boolean; readonly noise: boolean; readonly usage: boolean }): void {
    this.advance();
    this.rule = rule;
    if (changed.rate) this.offered.set(rule.rate, rule.noise);
    else if (changed.noise) this.offered.setNoise(rule.noise);
    this.distribute(false);
    if (changed.usage) for (const key of this.listed) this.pods.pod(key).publish();
  }

  /** One pod it lists started or stopped being able to serve. */
  podChanged(pod: PodLoad): void {
    if (!this.routedSet.has(pod.key)) return;
    this.advance();
    const before = pod.servedFor(this.key);
    const after = this.podServes(pod);
    this.servedRps += after - before;
    pod.setServed(this.key, this.ruleOf, after);
  }

  /** What one routed pod serves: its share up to the capacity, nothing if it cannot serve. */
  private podServes(pod: PodLoad): number {
    return pod.canServe ? this.servingShare() : 0;
  }

  /** What a routed pod that can serve serves. */
  private servingShare(): number {
    if (this.routed.length === 0) return 0;
    const share = this.offeredRps / this.routed.length;
    return this.rule.capacityRps === undefined ? share : Math.min(share, this.rule.capacityRps);
  }

  /** Sets what each routed pod serves (and, after an endpoint change, 0 for listed pods not routed). */
  private distribute(all: boolean): void {
    let served = 0;
    // Every routed pod that can serve gets the same share: computed once, not once per pod.
    const share = this.servingShare();
    for (const pod of this.routedPods) {
      const s = pod.canServe ? share : 0;
      served += s;
      pod.setServed(this.key, this.ruleOf, s);
    }
    if (all) for (const key of this.listed) if (!this.routedSet.has(key)) this.pods.pod(key).setServed(this.key, this.ruleOf, 0);
    this.servedRps = served;
  }

  private advance(): void {
    const now = this.sim.now;
    const seconds = (now - this.lastMs) / 1000;
    if (seconds <= 0) return;
    this.offeredTotal += this.offeredRps * seconds;
    this.servedTotal += this.servedRps * seconds;
    this.lastMs = now;
  }
}
