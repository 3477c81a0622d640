/**
 * Offered request rates over time (scenario-format.md, "Traffic"): a constant, a step list (also
 * what a CSV trace becomes), a linear ramp, a sine (diurnal load), with spikes on top that add
 * requests per second or multiply the rate for a while. Pure functions of the pattern and a time
 * relative to when the pattern took effect.
 *
 * The simulation treats load as a fluid that is constant between change points, so a pattern is
 * read in *pieces*: {@link ratePiece} gives the constant rate on [t, end) and where the piece ends.
 * Pieces end at every breakpoint (a step, a ramp's start and end, a spike's start and end) and,
 * where the rate varies continuously (inside a ramp, along a sine), on a fixed grid of
 * {@link TRAFFIC_RESOLUTION_MS}; the piece's rate is then the exact mean of the pattern over the
 * piece, so the requests offered over any run are exactly the integral of the pattern.
 *
 * No upstream counterpart: Kubernetes has no load generator. Deliberate choice (docs/fidelity.md,
 * "Traffic"): continuous patterns are resolved every 5 s, fine next to the 15 s of the metrics
 * pipeline and the HPA, and coarse enough that a day of diurnal load costs 17,280 pieces a Service.
 */

/** Grid of the pieces of continuously varying patterns, and of Poisson noise draws. */
export const TRAFFIC_RESOLUTION_MS = 5000;

export interface StepPoint {
  /** Relative ms; points are in strictly increasing order. */
  readonly atMs: number;
  readonly rps: number;
}

/** The pattern under any spikes. Times are ms relative to when the pattern took effect. */
export type BaseRate =
  | { readonly kind: 'constant'; readonly rps: number }
  /** Each point's rate holds until the next; 0 before the first. CSV traces are steps. */
  | { readonly kind: 'step'; readonly points: readonly StepPoint[] }
  /** `fromRps` until `atMs`, linear to `toRps` over `overMs`, then `toRps`. */
  | { readonly kind: 'ramp'; readonly fromRps: number; readonly toRps: number; readonly atMs: number; readonly overMs: number }
  /**
   * `meanRps + amplitudeRps · sin(2π (t + phaseMs) / periodMs)`: `phaseMs` is how far into its
   * cycle the wave is at t = 0 (a quarter period starts at the peak). amplitude ≤ mean.
   */
  | { readonly kind: 'sine'; readonly meanRps: number; readonly amplitudeRps: number; readonly periodMs: number; readonly phaseMs: number };

/** For `durationMs` from `atMs`: the rate is multiplied by `factor` (default 1), then `rps` added. */
export interface Spike {
  readonly atMs: number;
  readonly durationMs: number;
  readonly rps: number;
  readonly factor: number;
}

export interface RatePattern {
  readonly base: BaseRate;
  readonly spikes: readonly Spike[];
}

/** A piece: the constant (mean) rate on [start, endMs); endMs is Infinity when it never changes. */
export interface RatePiece {
  readonly rps: number;
  readonly endMs: number;
}

export function constantRate(rps: number): RatePattern {
  return { base: { kind: 'constant', rps }, spikes: [] };
}

/** The last step point at or before `t` (its rate holds), or undefined before the first. */
function stepIndex(points: readonly StepPoint[], t: number): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].atMs <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function rampValue(base: Extract<BaseRate, { kind: 'ramp' }>, t: number): number {
  if (t <= base.atMs) return base.fromRps;
  if (t >= base.atMs + base.overMs) return base.toRps;
  return base.fromRps + ((base.toRps - base.fromRps) * (t - base.atMs)) / base.overMs;
}

function sineValue(base: Extract<BaseRate, { kind: 'sine' }>, t: number): number {
  return base.meanRps + base.amplitudeRps * Math.sin((2 * Math.PI * (t + base.phaseMs)) / base.periodMs);
}

/** The base rate at instant `t`. */
function baseAt(base: BaseRate, t: number): number {
  switch (base.kind) {
    case 'constant':
      return base.rps;
    case 'step': {
      const i = stepIndex(base.points, t);
      return i < 0 ? 0 : base.points[i].rps;
    }
    case 'ramp':
      return rampValue(base, t);
    case 'sine':
      return sineValue(base, t);
  }
}

/** The next instant after `t` where the base rate's formula changes (Infinity: never). */
function baseBreakAfter(base: BaseRate, t: number): number {
  switch (base.kind) {
    case 'step': {
      const next = base.points[stepIndex(base.points, t) + 1];
      return next === undefined ? Infinity : next.atMs;
    }
    case 'ramp':
      if (t < base.atMs) return base.atMs;
      return t < base.atMs + base.overMs ? base.atMs + base.overMs : Infinity;
    default:
      return Infinity;
  }
}

/** Whether the base rate varies continuously from `t` up to its next break. */
function baseVaries(base: BaseRate, t: number): boolean {
  if (base.kind === 'sine') return base.amplitudeRps > 0;
  return base.kind === 'ramp' && t >= base.atMs && t < base.atMs + base.overMs && base.fromRps !== base.toRps;
}

/**
 * The exact mean of the base rate over [a, b), with no break strictly inside: a ramp is linear
 * there (its mean is its midpoint value), a sine integrates to a difference of cosines.
 */
function baseMean(base: BaseRate, a: number, b: number): number {
  if (base.kind === 'ramp') return rampValue(base, (a + b) / 2);
  if (base.kind !== 'sine' || base.amplitudeRps === 0) return baseAt(base, a);
  const w = (2 * Math.PI) / base.periodMs;
  const integral = (Math.cos(w * (a + base.phaseMs)) - Math.cos(w * (b + base.phaseMs))) / w;
  return base.meanRps + (base.amplitudeRps * integral) / (b - a);
}

function spikeActive(spike: Spike, t: number): boolean {
  return t >= spike.atMs && t < spike.atMs + spike.durationMs;
}

/** The rate at instant `t` (relative ms): the base, times the factors of the spikes then active, plus their extra rps. */
export function rateAt(pattern: RatePattern, t: number): number {
  let factor = 1;
  let extra = 0;
  for (const spike of pattern.spikes) {
    if (!spikeActive(spike, t)) continue;
    factor *= spike.factor;
    extra += spike.rps;
  }
  return baseAt(pattern.base, t) * factor + extra;
}

/**
 * The piece of `pattern` that starts at `t` (relative ms): its constant rate and where it ends.
 * With `grid`, pieces also end on multiples of TRAFFIC_RESOLUTION_MS (Poisson noise draws once
 * per grid cell); pieces of a varying rate always do.
 */
export function ratePiece(pattern: RatePattern, t: number, grid = false): RatePiece {
  let end = baseBreakAfter(pattern.base, t);
  let factor = 1;
  let extra = 0;
  for (const spike of pattern.spikes) {
    const stop = spike.atMs + spike.durationMs;
    if (spikeActive(spike, t)) {
      factor *= spike.factor;
      extra += spike.rps;
      end = Math.min(end, stop);
    } else if (spike.atMs > t) end = Math.min(end, spike.atMs);
  }
  if (grid || baseVaries(pattern.base, t)) end = Math.min(end, (Math.floor(t / TRAFFIC_RESOLUTION_MS) + 1) * TRAFFIC_RESOLUTION_MS);
  const mean = end === Infinity ? baseAt(pattern.base, t) : baseMean(pattern.base, t, end);
  return { rps: mean * factor + extra, endMs: end };
}
