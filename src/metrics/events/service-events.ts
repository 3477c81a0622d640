/**
 * Events derived from EndpointSlice writes (the DERIVERS entry of metrics/object-events.ts). A
 * slice's events name the slice and, as owner, its Service; their fields are the slice's counts
 * after the write, so events.jsonl shows endpoints turning ready, not ready and terminating.
 * Only writes that change a count are reported (a pod replaced by another at the same instant
 * leaves the counts, and the log, unchanged).
 */
import type { EndpointSlice } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import { type EndpointCounts, countEndpoints } from '../../controllers/endpointslice/endpoint-counts.js';
import type { DerivedEvent } from '../object-events.js';

function sameCounts(a: EndpointCounts, b: EndpointCounts): boolean {
  return a.endpoints === b.endpoints && a.ready === b.ready && a.serving === b.serving && a.terminating === b.terminating;
}

function fields(counts: EndpointCounts): DerivedEvent['fields'] {
  return { endpoints: counts.endpoints, ready: counts.ready, serving: counts.serving, terminating: counts.terminating };
}

/** EndpointSliceCreated / EndpointSliceUpdated (counts changed) / EndpointSliceDeleted. */
export function endpointSliceEvents(old: DeepReadonly<EndpointSlice> | undefined, slice: DeepReadonly<EndpointSlice> | undefined): DerivedEvent[] {
  if (slice === undefined) return [{ type: 'EndpointSliceDeleted' }];
  const counts = countEndpoints(slice);
  if (old === undefined) return [{ type: 'EndpointSliceCreated', fields: fields(counts) }];
  return sameCounts(countEndpoints(old), counts) ? [] : [{ type: 'EndpointSliceUpdated', fields: fields(counts) }];
}
