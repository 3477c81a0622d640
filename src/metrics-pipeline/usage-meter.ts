/**
 * One pod's resource usage as its kubelet reports it and metrics-server scrapes it
 * (sigs.k8s.io/metrics-server pkg/storage: podStorage keeps the last two scrapes of each pod and
 * reports CPU as the rate between them; memory is the working set of the last scrape).
 *
 * Usage is piecewise constant (the traffic changes it at change points), so the cumulative CPU
 * counter is exact between them and a scrape needs no event of its own: the samples at the
 * scrape instants (multiples of the resolution) are computed when the usage next changes or
 * when someone reads them. Metering starts when the pod starts running and its usage is known
 * (traffic reaches it, or `setMetric` sets it); the first scrape after that gives one sample, and
 * the CPU rate exists only from the second — the delay upstream shows for a new pod.
 *
 * Deliberate gaps: every kubelet is scraped at the same instants, t = k × resolution; the
 * kubelet's own stats housekeeping adds no further delay; usage does not reset on a container
 * restart.
 */

export interface UsageSample {
  /** Virtual ms of the scrape. */
  readonly t: number;
  /** Cumulative CPU since metering started, millicore-milliseconds. */
  readonly cpu: number;
  /** Working set at the scrape, bytes. */
  readonly memory: number;
}

/** What metrics-server reports for a pod: the rate between its last two samples. */
export interface UsageReading {
  /** End of the window (the last scrape), virtual ms. */
  readonly timestamp: number;
  /** Between the two scrapes, ms. */
  readonly window: number;
  /** Millicores, rounded up from whole nanocores as Quantity.MilliValue() rounds. */
  readonly cpuMilli: number;
  /** Bytes at the last scrape. */
  readonly memoryBytes: number;
}

export class UsageMeter {
  private active = false;
  /** When the current usage began; cumulative CPU at that instant. */
  private sinceMs = 0;
  private cpuAtSince = 0;
  private cpuMilli = 0;
  private memoryBytes = 0;
  private previous: UsageSample | undefined;
  private last: UsageSample | undefined;
  /** The reading of the current pair of samples (an HPA asks every sync; samples change every scrape). */
  private cached: UsageReading | undefined;

  constructor(private readonly resolutionMs: number) {}

  /** Starts metering at `now` (no sample yet) or stops it (samples forgotten). */
  setActive(now: number, active: boolean): void {
    if (active === this.active) return;
    this.advance(now);
    this.active = active;
    this.previous = undefined;
    this.last = undefined;
    this.cached = undefined;
    this.sinceMs = now;
    this.cpuAtSince = 0;
  }

  /** The usage from `now` on: CPU in millicores, memory in bytes. */
  setUsage(now: number, cpuMilli: number, memoryBytes: number): void {
    if (cpuMilli === this.cpuMilli && memoryBytes === this.memoryBytes) return;
    this.advance(now);
    this.cpuAtSince = this.cpuAt(now);
    this.sinceMs = now;
    this.cpuMilli = cpuMilli;
    this.memoryBytes = memoryBytes;
  }

  /** The reading metrics-server would serve at `now`, if the pod has been scraped twice. */
  reading(now: number): UsageReading | undefined {
    this.advance(now);
    const { previous, last } = this;
    if (previous === undefined || last === undefined) return undefined;
    if (this.cached?.timestamp === last.t) return this.cached;
    const window = last.t - previous.t;
    // The kubelet counts whole nanoseconds of CPU: rounding to nanocores first keeps the
    // floating-point noise of the fluid model out of the rounding up to millicores.
    const nanocores = Math.round(((last.cpu - previous.cpu) / window) * 1e6);
    this.cached = { timestamp: last.t, window, cpuMilli: Math.ceil(nanocores / 1e6), memoryBytes: Math.round(last.memory) };
    return this.cached;
  }

  private cpuAt(t: number): number {
    return this.cpuAtSince + this.cpuMilli * (t - this.sinceMs);
  }

  /** Takes the samples of the scrapes in (last sample, now] with the usage in force since sinceMs. */
  private advance(now: number): void {
    if (!this.active) return;
    const p = this.resolutionMs;
    const first = this.last === undefined ? Math.ceil(this.sinceMs / p) * p : this.last.t + p;
    if (first > now) return;
    const latest = Math.floor(now / p) * p;
    this.previous = latest - p >= first ? this.sample(latest - p) : this.last;
    this.last = this.sample(latest);
  }

  private sample(t: number): UsageSample {
    return { t, cpu: this.cpuAt(t), memory: this.memoryBytes };
  }
}
