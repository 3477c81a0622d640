/**
 * Poisson draws for `noise: poisson`: the number of requests that arrive in a window when they
 * arrive independently at a mean rate. Exact for every mean: multiplication of uniforms (Knuth)
 * below 30, Hörmann's transformed rejection with squeeze (PTRS, "The transformed rejection method
 * for generating Poisson random variables", 1993) above, which costs a few uniforms whatever the
 * mean — a window of 5 s at 10,000 rps has a mean of 50,000.
 */
import type { Rng } from '../engine/random.js';

/** Below this mean, multiplying uniforms is cheaper than rejection. */
const SMALL_MEAN = 30;

/** ln(k!) exactly from a table for small k, by Stirling's series (error < 1e-10) above. */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIALS.length) return LOG_FACTORIALS[k];
  const n = k + 1;
  return (n - 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * n) - 1 / (360 * n * n * n);
}

const LOG_FACTORIALS: readonly number[] = (() => {
  const table = [0];
  for (let k = 1; k < 16; k++) table.push(table[k - 1] + Math.log(k));
  return table;
})();

/** A Poisson-distributed count with mean `mean` (≥ 0), drawn from `rng`. */
export function poisson(mean: number, rng: Rng): number {
  if (!(mean > 0)) return 0;
  if (mean < SMALL_MEAN) {
    const limit = Math.exp(-mean);
    let k = 0;
    let product = rng.next();
    while (product > limit) {
      k++;
      product *= rng.next();
    }
    return k;
  }
  const sqrtMean = Math.sqrt(mean);
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * sqrtMean;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
  }
}
