/**
 * Durations that may be random: a constant or one of four distributions, sampled in integer
 * milliseconds from a named stream. Parsing from scenario text lives in scenario/duration.ts.
 */
import type { Rng } from './random.js';

export type Distribution =
  | { readonly kind: 'constant'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'exponential'; readonly meanMs: number }
  /** Truncated at 0: negative draws are redrawn. */
  | { readonly kind: 'normal'; readonly meanMs: number; readonly stddevMs: number }
  /** Parameterised as users think of latencies: the median and the 99th percentile. */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly p99Ms: number };

/** z-score of the 99th percentile of the standard normal distribution. */
const Z_99 = 2.3263478740408408;
/** Redraws allowed for the truncated normal before falling back to 0 (mean ≪ 0 only). */
const MAX_TRUNCATION_REDRAWS = 64;

export function constant(ms: number): Distribution {
  return { kind: 'constant', ms };
}

/** Draws one value in integer milliseconds (≥ 0). Constants consume no randomness. */
export function sample(distribution: Distribution, rng: Rng): number {
  switch (distribution.kind) {
    case 'constant':
      return distribution.ms;
    case 'uniform':
      return Math.round(distribution.minMs + rng.next() * (distribution.maxMs - distribution.minMs));
    case 'exponential':
      return Math.round(-distribution.meanMs * Math.log(1 - rng.next()));
    case 'normal': {
      for (let i = 0; i < MAX_TRUNCATION_REDRAWS; i++) {
        const value = distribution.meanMs + distribution.stddevMs * rng.normal();
        if (value >= 0) return Math.round(value);
      }
      return 0;
    }
    case 'lognormal': {
      const mu = Math.log(distribution.medianMs);
      const sigma = (Math.log(distribution.p99Ms) - mu) / Z_99;
      return Math.round(Math.exp(mu + sigma * rng.normal()));
    }
  }
}

/** The mean in ms (a truncated normal's is taken as its untruncated mean). */
export function meanOf(distribution: Distribution): number {
  switch (distribution.kind) {
    case 'constant':
      return distribution.ms;
    case 'uniform':
      return (distribution.minMs + distribution.maxMs) / 2;
    case 'exponential':
      return distribution.meanMs;
    case 'normal':
      return distribution.meanMs;
    case 'lognormal': {
      const sigma = (Math.log(distribution.p99Ms) - Math.log(distribution.medianMs)) / Z_99;
      return distribution.medianMs * Math.exp((sigma * sigma) / 2);
    }
  }
}
