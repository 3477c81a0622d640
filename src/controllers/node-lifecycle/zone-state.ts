/**
 * Zones and their health (pkg/controller/nodelifecycle/node_lifecycle_controller.go:
 * ComputeZoneState, HealthyQPSFunc, ReducedQPSFunc, setLimiterInZone;
 * k8s.io/component-helpers/node/topology: GetZoneKey).
 *
 * The controller taints nodes NoExecute through one rate-limited queue per zone, and slows or
 * stops that tainting when a zone looks broken rather than its nodes: when most of a zone is
 * unreachable, the likelier cause is the network between it and the control plane, and evicting
 * everything would only make the outage worse.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import { type Node, ZONE_LABEL } from '../../api/types/node.js';

export { ZONE_LABEL };
import type { NodeLifecycleSettings } from './settings.js';

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

export const REGION_LABEL = 'topology.kubernetes.io/region';
const BETA_ZONE_LABEL = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION_LABEL = 'failure-domain.beta.kubernetes.io/region';

/** Nodes with this label are left out of zone health (labelNodeDisruptionExclusion). */
export const EXCLUDE_DISRUPTION_LABEL = 'node.kubernetes.io/exclude-disruption';

/**
 * GetZoneKey: region and zone joined by ":\0:" (neither may hold a NUL), or "" when the node has
 * neither label — every unlabelled node shares one zone.
 */
export function getZoneKey(node: DeepReadonly<Node>): string {
  const labels = node.metadata.labels;
  if (labels === undefined) return '';
  const zone = labels[ZONE_LABEL] ?? labels[BETA_ZONE_LABEL] ?? '';
  const region = labels[REGION_LABEL] ?? labels[BETA_REGION_LABEL] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\0:${zone}`;
}

export function isNodeExcludedFromDisruptionChecks(node: DeepReadonly<Node>): boolean {
  return node.metadata.labels !== undefined && Object.hasOwn(node.metadata.labels, EXCLUDE_DISRUPTION_LABEL);
}

/**
 * ComputeZoneState from the zone's ready and not-ready node counts: FullDisruption with no Ready
 * node; PartialDisruption with more than two not-ready nodes making at least `unhealthyThreshold`
 * of the zone; Normal otherwise. (A node without a Ready condition counts as not ready.)
 */
export function computeZoneState(ready: number, notReady: number, unhealthyThreshold: number): ZoneState {
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  // Upstream compares in float32; the thresholds people use (0.55) give the same answers.
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyThreshold) return 'PartialDisruption';
  return 'Normal';
}

/**
 * The tainting rate (nodes per second) of a zone in `state` (setLimiterInZone): the normal rate
 * when Normal or fully disrupted (HealthyQPSFunc: a zone that is entirely down is evicted as
 * usual, as long as some other zone is not — see handleDisruption), and when partially disrupted
 * the secondary rate for zones larger than largeClusterSizeThreshold, else 0 (ReducedQPSFunc).
 */
export function zoneEvictionRate(state: ZoneState, zoneSize: number, settings: NodeLifecycleSettings): number | undefined {
  switch (state) {
    case 'Normal':
    case 'FullDisruption':
      return settings.evictionRate;
    case 'PartialDisruption':
      return zoneSize > settings.largeClusterSizeThreshold ? settings.secondaryEvictionRate : 0;
    case 'Initial':
      return undefined;
  }
}
