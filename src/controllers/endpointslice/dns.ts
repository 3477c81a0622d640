/**
 * Which DNS names resolve to which pod IPs for a Service, as the Kubernetes DNS-Based Service
 * Discovery specification (kubernetes/dns, docs/specification.md) has them and CoreDNS's
 * kubernetes plugin serves them from EndpointSlices:
 * - a headless Service's name, `<service>.<namespace>.svc.<domain>`, has one A record per ready
 *   endpoint;
 * - each ready endpoint also has its own name under it: its `hostname` when the pod set one with
 *   this Service as its subdomain (how a StatefulSet's pods get stable names,
 *   `web-0.web.default.svc.cluster.local`), otherwise its IP with dashes (`10-244-1-7`);
 * - a Service with a cluster IP resolves to that virtual IP, never to pods: no records here.
 * Not-ready endpoints are left out (CoreDNS skips them); `publishNotReadyAddresses` makes every
 * endpoint ready, which is how peers find each other before they are ready.
 */
import type { EndpointSlice } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Service } from '../../api/types/service.js';
import { LABEL_SERVICE_NAME } from './endpoints.js';

/** The default cluster domain (kubelet --cluster-domain). */
export const CLUSTER_DOMAIN = 'cluster.local';

export interface DnsRecord {
  /** Fully qualified, without the trailing dot. */
  readonly name: string;
  /** Sorted IPv4 addresses the name resolves to. */
  readonly addresses: readonly string[];
}

/** The host label CoreDNS gives an endpoint (endpointHostname): its hostname, else its dashed IP. */
export function endpointHostname(hostname: string | undefined, address: string): string {
  if (hostname) return hostname;
  return address.replaceAll('.', '-').replaceAll(':', '-');
}

/**
 * The A records that lead to the pods of `service`, read from `slices` (any slices; those of
 * other Services are ignored). The Service's own name first, then the endpoint names in order.
 */
export function serviceDnsRecords(
  service: DeepReadonly<Service>,
  slices: Iterable<DeepReadonly<EndpointSlice>>,
  clusterDomain = CLUSTER_DOMAIN,
): DnsRecord[] {
  if (service.spec.clusterIP !== 'None' || service.spec.type === 'ExternalName') return [];
  const namespace = service.metadata.namespace ?? 'default';
  const serviceName = `${service.metadata.name}.${namespace}.svc.${clusterDomain}`;
  const all = new Set<string>();
  const byHost = new Map<string, Set<string>>();
  for (const slice of slices) {
    if (slice.metadata.labels?.[LABEL_SERVICE_NAME] !== service.metadata.name || (slice.metadata.namespace ?? 'default') !== namespace) continue;
    if (slice.addressType !== 'IPv4') continue;
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      for (const address of endpoint.addresses) {
        all.add(address);
        const host = `${endpointHostname(endpoint.hostname, address)}.${serviceName}`;
        let addresses = byHost.get(host);
        if (addresses === undefined) byHost.set(host, (addresses = new Set()));
        addresses.add(address);
      }
    }
  }
  if (all.size === 0) return [];
  const sorted = (set: ReadonlySet<string>) => [...set].sort(compareAddresses);
  const records: DnsRecord[] = [{ name: serviceName, addresses: sorted(all) }];
  for (const host of [...byHost.keys()].sort()) records.push({ name: host, addresses: sorted(byHost.get(host) as Set<string>) });
  return records;
}

/** Numeric order for dotted quads, so 10.0.0.9 comes before 10.0.0.10. */
function compareAddresses(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The pod IPs `name` resolves to (fully qualified), or none. */
export function resolve(records: readonly DnsRecord[], name: string): readonly string[] {
  const fqdn = name.endsWith('.') ? name.slice(0, -1) : name;
  return records.find((r) => r.name === fqdn)?.addresses ?? [];
}
