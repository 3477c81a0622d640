/**
 * The node lifecycle controller's knobs (kube-controller-manager flags, cmd/kube-controller-
 * manager/app/options/nodelifecyclecontroller.go; defaults in pkg/controller/nodelifecycle/config/
 * v1alpha1/defaults.go and cloud-provider's node-monitor-period). Only taint-based eviction is
 * modelled, so the legacy podEvictionTimeout has no knob.
 */
export interface NodeLifecycleSettings {
  /** How often node health is checked (--node-monitor-period). */
  readonly nodeMonitorPeriodMs: number;
  /** How long without a heartbeat before a node is marked Unknown (--node-monitor-grace-period). */
  readonly nodeMonitorGracePeriodMs: number;
  /** The same, for a node that never posted a Ready condition (--node-startup-grace-period). */
  readonly nodeStartupGracePeriodMs: number;
  /** Nodes tainted NoExecute per second in a healthy zone (--node-eviction-rate). */
  readonly evictionRate: number;
  /** The same in a partially disrupted zone larger than largeClusterSizeThreshold (--secondary-node-eviction-rate). */
  readonly secondaryEvictionRate: number;
  /** Zones of at most this many nodes stop tainting when partially disrupted (--large-cluster-size-threshold). */
  readonly largeClusterSizeThreshold: number;
  /** The share of not-ready nodes (with more than 2) that makes a zone partially disrupted (--unhealthy-zone-threshold). */
  readonly unhealthyZoneThreshold: number;
}

export const DEFAULT_NODE_LIFECYCLE_SETTINGS: NodeLifecycleSettings = {
  nodeMonitorPeriodMs: 5_000,
  // 40 s until 1.31; 50 s from 1.32 (kubernetes/kubernetes#126287), so that the kubelet's HTTP/2
  // health checks (30 s ping timeout + 15 s read-idle) fit inside it.
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  // One node every 10 s: a whole-zone outage is not turned into a cluster-wide eviction storm at once.
  evictionRate: 0.1,
  secondaryEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};
