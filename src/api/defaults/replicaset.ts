/**
 * apps/v1 ReplicaSet defaults, following pkg/apis/apps/v1/defaults.go (SetDefaults_ReplicaSet):
 * replicas 1, plus the pod template defaults of ./pod.ts.
 *
 * Deliberate gap: as in apps/v1, the selector is not defaulted from the template labels.
 */
import type { ReplicaSet } from '../types/replicaset.js';
import { defaultPodTemplateSpec } from './pod.js';

/** Defaults a ReplicaSet in place; only absent fields are assigned. */
export function defaultReplicaSet(obj: ReplicaSet): void {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return;
  spec.replicas ??= 1;
  defaultPodTemplateSpec(spec.template);
}
