/**
 * Service defaults, following pkg/apis/core/v1/defaults.go (SetDefaults_Service): type
 * ClusterIP, sessionAffinity None, each port's protocol TCP and targetPort = port when absent
 * (upstream also treats targetPort `0` and `""` as absent).
 *
 * Deliberate gaps: fields the simulator does not model are not defaulted —
 * sessionAffinityConfig (ClientIP timeout 10800 s), externalTrafficPolicy, internalTrafficPolicy,
 * allocateLoadBalancerNodePorts, ipFamilies/ipFamilyPolicy. Cluster IP and node port allocation
 * belong to the API server's service registry, not to defaulting.
 */
import type { Service } from '../types/service.js';
import { isZeroValue } from './pod.js';

/** Defaults a Service in place; only absent fields are assigned. */
export function defaultService(obj: Service): void {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return;
  if (isZeroValue(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (isZeroValue(spec.type)) spec.type = 'ClusterIP';
  for (const port of spec.ports ?? []) {
    if (isZeroValue(port.protocol)) port.protocol = 'TCP';
    if (isZeroValue(port.targetPort)) port.targetPort = port.port;
  }
}
