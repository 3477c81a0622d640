/**
 * What the HPA controller remembers per HPA between syncs (horizontal.go: the recommendations,
 * scaleUpEvents and scaleDownEvents maps): its recent unstabilized recommendations and the
 * replica changes it made. Kept in memory only, as upstream: a controller restart would lose it.
 * Entries that fall out of every window are overwritten rather than removed, as upstream, so
 * the lists never grow past what the windows can hold.
 */

export interface TimestampedRecommendation {
  recommendation: number;
  /** Virtual ms. */
  timestamp: number;
}

export interface TimestampedScaleEvent {
  /** How many replicas were added (scale-up list) or removed (scale-down list); never negative. */
  replicaChange: number;
  timestamp: number;
  /** Older than the direction's longest policy period: free to be overwritten. */
  outdated: boolean;
}

export interface HpaHistory {
  /** Undefined until the first sync that read the target's scale (see recordInitialRecommendation). */
  recommendations?: TimestampedRecommendation[];
  scaleUpEvents: TimestampedScaleEvent[];
  scaleDownEvents: TimestampedScaleEvent[];
}

export function newHistory(): HpaHistory {
  return { scaleUpEvents: [], scaleDownEvents: [] };
}

/**
 * recordInitialRecommendation: the first sync of an HPA seeds its history with the current
 * replica count, so no scale-down happens within the stabilization window of the controller
 * seeing it (TestScaleDownStabilizeInitialSize).
 */
export function recordInitialRecommendation(history: HpaHistory, currentReplicas: number, now: number): void {
  history.recommendations ??= [{ recommendation: currentReplicas, timestamp: now }];
}
