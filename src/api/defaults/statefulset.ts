/**
 * apps/v1 StatefulSet defaults, following pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet)
 * with the 1.35 feature gates (MaxUnavailableStatefulSet beta and on, StatefulSetAutoDeletePVC
 * GA), plus the pod template defaults of ./pod.ts and the claim template defaults of
 * ./persistent-volume-claim.ts.
 *
 * podManagementPolicy OrderedReady; updateStrategy.type RollingUpdate, and only when the type was
 * absent an empty rollingUpdate, which then gets partition 0 and maxUnavailable 1 (an explicit
 * `type: RollingUpdate` without rollingUpdate stays without it, as upstream); the PVC retention
 * policy Retain/Retain; replicas 1; revisionHistoryLimit 10.
 *
 * Deliberate gap: minReadySeconds is a plain value upstream whose zero value is the default, so
 * it is left absent; ordinals are not defaulted (absent means start 0).
 */
import type { StatefulSet } from '../types/statefulset.js';
import { defaultPersistentVolumeClaimSpec } from './persistent-volume-claim.js';
import { defaultPodTemplateSpec, isZeroValue } from './pod.js';

/** Defaults a StatefulSet in place; only absent fields are assigned. */
export function defaultStatefulSet(obj: StatefulSet): void {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return;
  if (isZeroValue(spec.podManagementPolicy)) spec.podManagementPolicy = 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (isZeroValue(strategy.type)) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
    strategy.rollingUpdate.partition ??= 0;
    strategy.rollingUpdate.maxUnavailable ??= 1;
  }
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  if (isZeroValue(retention.whenDeleted)) retention.whenDeleted = 'Retain';
  if (isZeroValue(retention.whenScaled)) retention.whenScaled = 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template);
  for (const claim of spec.volumeClaimTemplates ?? []) defaultPersistentVolumeClaimSpec(claim?.spec);
}
