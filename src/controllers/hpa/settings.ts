/**
 * The HPA controller's knobs, kube-controller-manager's `--horizontal-pod-autoscaler-*` flags,
 * with upstream's defaults (pkg/controller/podautoscaler/config/v1alpha1/defaults.go). A scenario
 * sets them under `cluster.settings.hpa` (scenario/settings.ts).
 */

export interface HpaSettings {
  /** How often each HPA is looked at (`--horizontal-pod-autoscaler-sync-period`). */
  readonly syncPeriodMs: number;
  /** Ratios within 1 ± tolerance do not scale (`--horizontal-pod-autoscaler-tolerance`). */
  readonly tolerance: number;
  /** Scale-down stabilization without `behavior` (`--horizontal-pod-autoscaler-downscale-stabilization`). */
  readonly downscaleStabilizationWindowMs: number;
  /** How long after start a pod's CPU samples may be skewed (`--horizontal-pod-autoscaler-cpu-initialization-period`). */
  readonly cpuInitializationPeriodMs: number;
  /** How long after start a readiness change still counts as the first (`--horizontal-pod-autoscaler-initial-readiness-delay`). */
  readonly initialReadinessDelayMs: number;
}

export const DEFAULT_HPA_SETTINGS: HpaSettings = {
  syncPeriodMs: 15_000,
  tolerance: 0.1,
  downscaleStabilizationWindowMs: 5 * 60_000,
  cpuInitializationPeriodMs: 5 * 60_000,
  initialReadinessDelayMs: 30_000,
};
