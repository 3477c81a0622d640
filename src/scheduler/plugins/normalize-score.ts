/**
 * The shared score normaliser (pkg/scheduler/framework/plugins/helper/normalize_score.go:
 * DefaultNormalizeScore), used by TaintToleration (reversed) and NodeAffinity.
 */

/**
 * Scales `scores[0..count)` so the largest becomes `maxPriority` (integer division, as
 * upstream), or `maxPriority − scaled` when `reverse`. When every score is 0 they stay 0, or
 * all become `maxPriority` when reversed: no node is worse than another.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Int32Array, count: number): void {
  let maxCount = 0;
  for (let i = 0; i < count; i++) if (scores[i] > maxCount) maxCount = scores[i];
  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority, 0, count);
    return;
  }
  for (let i = 0; i < count; i++) {
    const scaled = Math.floor((maxPriority * scores[i]) / maxCount);
    scores[i] = reverse ? maxPriority - scaled : scaled;
  }
}
