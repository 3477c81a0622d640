/**
 * Endpoint counts per Service, as a consumer of EndpointSlices (kube-proxy, a DNS server) sees
 * them: every slice labelled with the Service's name counts, whoever manages it. Kept up to date
 * from API commits, so reading them (a timeline sample) costs nothing per endpoint.
 */
import type { WatchEvent } from '../../cluster/api-server.js';
import type { EndpointSlice } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import { LABEL_SERVICE_NAME } from './endpoints.js';

export interface EndpointCounts {
  /** Endpoints listed (each one pod's address). */
  readonly endpoints: number;
  /** conditions.ready: what traffic goes to. */
  readonly ready: number;
  /** conditions.serving: the pod is Ready, terminating or not. */
  readonly serving: number;
  /** conditions.terminating: the pod is being deleted. */
  readonly terminating: number;
}

export const NO_ENDPOINTS: EndpointCounts = { endpoints: 0, ready: 0, serving: 0, terminating: 0 };

/**
 * The counts of one slice, reading absent conditions as kube-proxy does (endpointslicecache.go):
 * ready and serving unless said otherwise, terminating only when said so.
 */
export function countEndpoints(slice: DeepReadonly<EndpointSlice>): EndpointCounts {
  let ready = 0;
  let serving = 0;
  let terminating = 0;
  for (const endpoint of slice.endpoints ?? []) {
    if (endpoint.conditions?.ready !== false) ready++;
    if (endpoint.conditions?.serving !== false) serving++;
    if (endpoint.conditions?.terminating === true) terminating++;
  }
  return { endpoints: (slice.endpoints ?? []).length, ready, serving, terminating };
}

interface Entry {
  slices: number;
  endpoints: number;
  ready: number;
  serving: number;
  terminating: number;
}

/** Per-Service totals over the Service's slices; feed it every commit ({@link observe}). */
export class ServiceEndpointCounts {
  /** `namespace/service` → totals; a Service with no slice has no entry. */
  private readonly byService = new Map<string, Entry>();

  /** A commit observer (ApiServer.observe): applies EndpointSlice writes, ignores other kinds. */
  observe(commit: WatchEvent): void {
    if (commit.object.kind !== 'EndpointSlice') return;
    const slice = commit.object as DeepReadonly<EndpointSlice>;
    const old = commit.oldObject as DeepReadonly<EndpointSlice> | undefined;
    if (commit.type === 'DELETED') {
      this.apply(slice, -1);
      return;
    }
    if (old !== undefined) this.apply(old, -1);
    this.apply(slice, 1);
  }

  /** The Service's totals (zeros when it has no slice). */
  get(namespace: string, name: string): EndpointCounts {
    const entry = this.byService.get(`${namespace}/${name}`);
    return entry === undefined ? NO_ENDPOINTS : { endpoints: entry.endpoints, ready: entry.ready, serving: entry.serving, terminating: entry.terminating };
  }

  /** Keys (`namespace/service`) of the Services that have slices, in the order they got their first. */
  keys(): IterableIterator<string> {
    return this.byService.keys();
  }

  private apply(slice: DeepReadonly<EndpointSlice>, sign: 1 | -1): void {
    const service = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!service) return;
    const key = `${slice.metadata.namespace ?? ''}/${service}`;
    let entry = this.byService.get(key);
    if (entry === undefined) this.byService.set(key, (entry = { slices: 0, endpoints: 0, ready: 0, serving: 0, terminating: 0 }));
    const counts = countEndpoints(slice);
    entry.slices += sign;
    entry.endpoints += sign * counts.endpoints;
    entry.ready += sign * counts.ready;
    entry.serving += sign * counts.serving;
    entry.terminating += sign * counts.terminating;
    if (entry.slices === 0) this.byService.delete(key);
  }
}
