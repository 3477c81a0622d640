/**
 * PersistentVolumeClaim defaults, following pkg/apis/core/v1/defaults.go
 * (SetDefaults_PersistentVolumeClaimSpec): volumeMode Filesystem. The same defaults apply to the
 * claim templates of a StatefulSet.
 *
 * Deliberate gap: upstream also defaults status.phase to Pending (SetDefaults_PersistentVolumeClaim,
 * applied whenever a claim is read back); here a new claim's status is empty until the volume
 * binder marks it Bound, which it does as soon as it sees the claim.
 */
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec } from '../types/persistent-volume-claim.js';

/** Defaults a claim spec (of a claim or of a claim template) in place; only absent fields are assigned. */
export function defaultPersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec | undefined): void {
  if (spec === undefined || spec === null) return;
  spec.volumeMode ??= 'Filesystem';
}

/** Defaults a PersistentVolumeClaim in place. */
export function defaultPersistentVolumeClaim(obj: PersistentVolumeClaim): void {
  defaultPersistentVolumeClaimSpec(obj.spec);
}
