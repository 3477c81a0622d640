/**
 * EndpointSliceTracker (staging/src/k8s.io/endpointslice/util/endpointslice_tracker.go): the
 * generation of every slice the controller last wrote, per Service, so that a sync can tell an
 * informer cache that has not caught up with its own writes (and give up until it has), and so
 * that watch events caused by its own writes do not trigger another sync.
 */
import type { EndpointSlice } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Service } from '../../api/types/service.js';
import { LABEL_SERVICE_NAME } from './endpoints.js';

type ReadonlySlice = DeepReadonly<EndpointSlice>;

/** The generation recorded for a slice the controller deleted and expects to see go. */
const DELETION_EXPECTED = -1;

function serviceKeyOf(slice: ReadonlySlice): string {
  return `${slice.metadata.namespace ?? ''}/${slice.metadata.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
}

export class EndpointSliceTracker {
  /** Service key → slice uid → generation (or DELETION_EXPECTED). */
  private readonly generationsByService = new Map<string, Map<string, number>>();
  /** Service key → the uid of the Service the generations were recorded for. */
  private readonly servicesByUid = new Map<string, string>();

  /** Has: a generation is recorded for this slice. */
  has(slice: ReadonlySlice): boolean {
    return this.generationsByService.get(serviceKeyOf(slice))?.has(slice.metadata.uid ?? '') ?? false;
  }

  /** ShouldSync: the slice is unknown, or newer than what the controller wrote (someone else changed it). */
  shouldSync(slice: ReadonlySlice): boolean {
    const generations = this.generationsByService.get(serviceKeyOf(slice));
    if (generations === undefined) return true;
    const generation = generations.get(slice.metadata.uid ?? '');
    return generation === undefined || (slice.metadata.generation ?? 0) > generation;
  }

  /**
   * StaleSlices: the cache lags behind the controller's writes for this Service — a listed slice
   * is older than written or expected gone, or a written slice is missing. Generations recorded
   * for an earlier Service of the same name are dropped first.
   */
  staleSlices(service: DeepReadonly<Service>, slices: readonly ReadonlySlice[]): boolean {
    const key = `${service.metadata.namespace ?? ''}/${service.metadata.name}`;
    const uid = service.metadata.uid ?? '';
    const trackedUid = this.servicesByUid.get(key);
    if (trackedUid && uid && trackedUid !== uid) this.generationsByService.delete(key);
    this.servicesByUid.set(key, uid);
    const generations = this.generationsByService.get(key);
    if (generations === undefined) return false;
    // Every written slice must be listed. Listed slices have distinct uids (one object per uid in
    // a cache), so counting the written ones listed tells, without a set of the listed uids.
    let listed = 0;
    for (const slice of slices) {
      const generation = generations.get(slice.metadata.uid ?? '');
      if (generation === undefined) continue;
      if (generation === DELETION_EXPECTED || generation > (slice.metadata.generation ?? 0)) return true;
      listed++;
    }
    let written = 0;
    for (const generation of generations.values()) if (generation !== DELETION_EXPECTED) written++;
    return listed < written;
  }

  /** Update: records the generation of a slice the controller just wrote. */
  update(slice: ReadonlySlice): void {
    this.generationsFor(slice).set(slice.metadata.uid ?? '', slice.metadata.generation ?? 0);
  }

  /** ExpectDeletion: the controller deleted this slice. */
  expectDeletion(slice: ReadonlySlice): void {
    this.generationsFor(slice).set(slice.metadata.uid ?? '', DELETION_EXPECTED);
  }

  /** HandleDeletion: forgets the slice; false when its deletion was not the controller's doing. */
  handleDeletion(slice: ReadonlySlice): boolean {
    const generations = this.generationsByService.get(serviceKeyOf(slice));
    if (generations === undefined) return true;
    const uid = slice.metadata.uid ?? '';
    const generation = generations.get(uid);
    generations.delete(uid);
    return generation === undefined || generation === DELETION_EXPECTED;
  }

  /** DeleteService: forgets everything about the Service. */
  deleteService(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    this.generationsByService.delete(key);
    this.servicesByUid.delete(key);
  }

  private generationsFor(slice: ReadonlySlice): Map<string, number> {
    const key = serviceKeyOf(slice);
    let generations = this.generationsByService.get(key);
    if (generations === undefined) this.generationsByService.set(key, (generations = new Map()));
    return generations;
  }
}
