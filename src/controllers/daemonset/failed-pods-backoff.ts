/**
 * The back-off on deleting failed daemon pods (client-go util/flowcontrol/backoff.go as
 * kube-controller-manager builds it for the DaemonSet controller in cmd/kube-controller-manager/
 * app/apps.go: flowcontrol.NewBackOff(1s, 15min), no jitter).
 *
 * A kubelet that keeps rejecting a daemon pod would otherwise make the controller delete and
 * recreate it in a hot loop. Per key (DaemonSet uid, observed generation, node), each deletion
 * doubles the wait before the next one, from 1 s up to 15 min; a key untouched for twice the
 * maximum starts over. Upstream's once-a-minute GC of stale entries changes nothing observable
 * (a stale entry already counts as absent), so entries are simply dropped when found stale.
 */

/** DaemonSet failed-pod back-off: initial 1 s. */
export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
/** DaemonSet failed-pod back-off: cap 15 min. */
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class FailedPodsBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS,
    private readonly maxMs = FAILED_POD_BACKOFF_MAX_MS,
  ) {}

  /** hasExpired: stable for twice the maximum, so forgotten. */
  private expired(entry: Entry, now: number): boolean {
    return now - entry.lastUpdate > 2 * this.maxMs;
  }

  /** IsInBackOffSinceUpdate: less than the current back-off has passed since the last deletion. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    if (this.expired(entry, now)) {
      this.entries.delete(key);
      return false;
    }
    return now - entry.lastUpdate < entry.backoffMs;
  }

  /** Get: the current back-off (0 without an entry). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Next: records a deletion at `now`, starting at the initial back-off or doubling it. */
  next(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(entry, now)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
    entry.lastUpdate = now;
  }
}

/** failedPodsBackoffKey: per DaemonSet uid, observed generation and node. */
export function failedPodsBackoffKey(uid: string, observedGeneration: number, nodeName: string): string {
  return `${uid}/${observedGeneration}/${nodeName}`;
}
