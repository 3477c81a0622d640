/**
 * Restart and image-pull backoff (client-go util/flowcontrol/backoff.go as the kubelet uses it in
 * pkg/kubelet/kuberuntime/kuberuntime_manager.go: doBackOff).
 *
 * The first restart after a failure is immediate (no entry yet); after that each restart waits
 * initial × 2^n, capped at max: 0, 10, 20, 40, 80, 160, 300, 300 … seconds. An entry not
 * touched for 2 × max (the container ran cleanly for ten minutes) starts over.
 */

export interface BackoffSettings {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const CONTAINER_BACKOFF: BackoffSettings = { initialMs: 10_000, maxMs: 300_000 };

export class Backoff {
  private delayMs = 0;
  private lastUpdate: number | undefined;

  /**
   * @param firstRetryImmediate container restarts retry at once after a first failure (the
   *   kubelet only checks the back-off before a restart); image pulls wait the initial period,
   *   since the image manager advances the back-off on every failed pull.
   */
  constructor(
    private readonly settings: BackoffSettings = CONTAINER_BACKOFF,
    private readonly firstRetryImmediate = true,
  ) {}

  /** The delay before the next attempt after a failure at `now`, advancing the entry. */
  next(now: number): number {
    if (this.lastUpdate === undefined || now - this.lastUpdate > 2 * this.settings.maxMs) {
      // No entry yet (or a stale one).
      this.lastUpdate = now;
      this.delayMs = this.settings.initialMs;
      if (this.firstRetryImmediate) return 0;
      this.delayMs = Math.min(this.delayMs * 2, this.settings.maxMs);
      return this.settings.initialMs;
    }
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.settings.maxMs);
    this.lastUpdate = now;
    return delay;
  }

  /** Forgets failures once an attempt succeeded durably. */
  reset(): void {
    this.delayMs = 0;
    this.lastUpdate = undefined;
  }
}
