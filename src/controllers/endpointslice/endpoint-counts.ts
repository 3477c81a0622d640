/**
 * Endpoint counts per Service, as a consumer of EndpointSlices (kube-proxy, a DNS server) sees
 * them: every slice labelled with the Service's name counts, whoever manages it. Kept up to date
 * from API commits, so reading them (a timeline sample) costs nothing per endpoint.
 */
import type { WatchEvent } from '../../cluster/api-server.js';
import type { Endpoint, EndpointSlice } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import { LABEL_SERVICE_NAME } from './endpoints.js';
import { changedRange } from '../../util/changed-range.js';

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
 *
 * Every write is counted, as the new version and as the old one, by more than one observer. The
 * versions of a slice share its ports list (writers copy a slice, not its ports), so the last two
 * versions counted are kept with that list, and a new version is counted from the latest by what
 * differs (changedRange over the endpoint lists, whose unchanged endpoints are the same objects):
 * exact, whichever version it starts from, since stored slices never change.
 */
export function countEndpoints(slice: DeepReadonly<EndpointSlice>): EndpointCounts {
  const endpoints = slice.endpoints ?? NONE;
  const ports = slice.ports;
  if (ports === undefined || ports === null) return tally(endpoints, 0, endpoints.length, NO_ENDPOINTS, 1);
  const known = lastCounted.get(ports);
  if (known === undefined) {
    const counts = tally(endpoints, 0, endpoints.length, NO_ENDPOINTS, 1);
    lastCounted.set(ports, { latest: endpoints, latestCounts: counts, previous: endpoints, previousCounts: counts });
    return counts;
  }
  if (known.latest === endpoints) return known.latestCounts;
  if (known.previous === endpoints) return known.previousCounts;
  const range = changedRange(known.latest, endpoints);
  const counts =
    range.beforeEnd - range.start + (range.afterEnd - range.start) < endpoints.length
      ? tally(endpoints, range.start, range.afterEnd, tally(known.latest, range.start, range.beforeEnd, known.latestCounts, -1), 1)
      : tally(endpoints, 0, endpoints.length, NO_ENDPOINTS, 1);
  known.previous = known.latest;
  known.previousCounts = known.latestCounts;
  known.latest = endpoints;
  known.latestCounts = counts;
  return counts;
}

const NONE: readonly never[] = [];

type EndpointList = readonly DeepReadonly<Endpoint>[];

/** Ports list → the endpoints of the two slice versions counted last, and their counts. */
const lastCounted = new WeakMap<object, { latest: EndpointList; latestCounts: EndpointCounts; previous: EndpointList; previousCounts: EndpointCounts }>();

/** `base` plus (`sign` 1) or minus (-1) the counts of `endpoints[from, to)`. */
function tally(endpoints: EndpointList, from: number, to: number, base: EndpointCounts, sign: 1 | -1): EndpointCounts {
  let ready = 0;
  let serving = 0;
  let terminating = 0;
  for (let i = from; i < to; i++) {
    const conditions = endpoints[i].conditions;
    if (conditions?.ready !== false) ready++;
    if (conditions?.serving !== false) serving++;
    if (conditions?.terminating === true) terminating++;
  }
  return {
    endpoints: base.endpoints + sign * (to - from),
    ready: base.ready + sign * ready,
    serving: base.serving + sign * serving,
    terminating: base.terminating + sign * terminating,
  };
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
