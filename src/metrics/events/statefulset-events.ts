/**
 * Events derived from StatefulSet and PersistentVolumeClaim transitions (see
 * metrics/object-events.ts): pure functions of the (old, new) pair the API server commits.
 *
 * - StatefulSetCreated {replicas}, StatefulSetScaled {replicas, from}, StatefulSetDeleted.
 * - StatefulSetUpdateStarted {revision, currentRevision}: status.updateRevision moved to a new
 *   revision (the template changed, or went back to an earlier one). The set's first revision is
 *   not an update.
 * - StatefulSetUpdated {revision}: status.currentRevision became the update revision — a
 *   RollingUpdate finished (every replica updated and ready; with a partition this only happens
 *   once the partition is lowered to 0). OnDelete sets never report it.
 * - PersistentVolumeClaimCreated {storage}, PersistentVolumeClaimDeleted.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import type { PersistentVolumeClaim } from '../../api/types/persistent-volume-claim.js';
import type { StatefulSet } from '../../api/types/statefulset.js';
import type { DerivedEvent } from '../object-events.js';

type Maybe<T> = DeepReadonly<T> | undefined;

export function statefulSetEvents(old: Maybe<StatefulSet>, set: Maybe<StatefulSet>): DerivedEvent[] {
  if (set === undefined) return [{ type: 'StatefulSetDeleted' }];
  const replicas = set.spec.replicas ?? 1;
  if (old === undefined) return [{ type: 'StatefulSetCreated', fields: { replicas } }];
  const events: DerivedEvent[] = [];
  const before = old.spec.replicas ?? 1;
  if (before !== replicas) events.push({ type: 'StatefulSetScaled', fields: { replicas, from: before } });
  const oldUpdate = old.status?.updateRevision;
  const update = set.status?.updateRevision;
  if (oldUpdate && update && oldUpdate !== update) {
    events.push({ type: 'StatefulSetUpdateStarted', fields: { revision: update, currentRevision: set.status?.currentRevision } });
  }
  const oldCurrent = old.status?.currentRevision;
  const current = set.status?.currentRevision;
  if (oldCurrent && current && oldCurrent !== current && current === update) {
    events.push({ type: 'StatefulSetUpdated', fields: { revision: current } });
  }
  return events;
}

export function persistentVolumeClaimEvents(old: Maybe<PersistentVolumeClaim>, claim: Maybe<PersistentVolumeClaim>): DerivedEvent[] {
  if (claim === undefined) return [{ type: 'PersistentVolumeClaimDeleted' }];
  if (old === undefined) return [{ type: 'PersistentVolumeClaimCreated', fields: { storage: claim.spec.resources?.requests?.storage } }];
  return [];
}
