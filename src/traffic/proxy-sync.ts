/**
 * When kube-proxy programs a change: its iptables proxier runs `syncProxyRules` through a
 * BoundedFrequencyRunner (pkg/util/async/bounded_frequency_runner.go) with minSyncPeriod
 * (default 1 s, pkg/proxy/apis/config/v1alpha1/defaults.go) and two burst runs — a token bucket
 * of two tokens refilled one per minSyncPeriod. A change is programmed at once while a token is
 * left, otherwise when the next token arrives; changes meanwhile are programmed together.
 *
 * Deliberate gap: there is one kube-proxy for the whole cluster (every node's programs the same
 * rules at the same instant), the rule sync itself takes no time, and the periodic resync changes
 * nothing.
 */
import { Priority } from '../engine/priorities.js';
import type { Simulation, Timer } from '../engine/simulation.js';

/** BoundedFrequencyRunner's burstRuns for the iptables and nftables proxiers. */
export const PROXY_BURST_SYNCS = 2;

export class ProxySyncRunner {
  private tokens = PROXY_BURST_SYNCS;
  private refilledAt = 0;
  private timer: Timer | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly minSyncPeriodMs: number,
    private readonly sync: () => void,
  ) {}

  /** Asks for a sync: now (later in this instant) if the bucket allows, else when it does. */
  request(): void {
    if (this.timer !== undefined) return;
    const now = this.sim.now;
    this.refill(now);
    const at = this.tokens >= 1 || this.minSyncPeriodMs === 0 ? now : now + Math.ceil((1 - this.tokens) * this.minSyncPeriodMs);
    this.timer = this.sim.scheduleAt(at, () => this.run(), Priority.Timer);
  }

  private run(): void {
    this.timer = undefined;
    this.refill(this.sim.now);
    this.tokens = Math.max(0, this.tokens - 1);
    this.sync();
  }

  private refill(now: number): void {
    if (this.minSyncPeriodMs > 0) this.tokens = Math.min(PROXY_BURST_SYNCS, this.tokens + (now - this.refilledAt) / this.minSyncPeriodMs);
    this.refilledAt = now;
  }
}
