/**
 * The replica counts every workload shares under one vocabulary (desired, replicas, updated,
 * ready, available), read from each kind's own fields. A DaemonSet's are named after nodes
 * (desiredNumberScheduled, currentNumberScheduled, …); the timeline and the `replicas`
 * expectation use the common names for it too.
 */
import type { DaemonSet } from '../api/types/daemonset.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { ReplicasField } from '../scenario/types.js';

const DAEMON_SET_FIELDS: Record<Exclude<ReplicasField, 'spec'>, keyof NonNullable<DaemonSet['status']>> = {
  replicas: 'currentNumberScheduled',
  updatedReplicas: 'updatedNumberScheduled',
  readyReplicas: 'numberReady',
  availableReplicas: 'numberAvailable',
};

/** Kinds the `replicas` expectation reads. */
export const REPLICA_KINDS: readonly string[] = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'];

/**
 * `field` of `obj`: `spec` is the desired count (spec.replicas, default 1; a DaemonSet's
 * desiredNumberScheduled), the others the status counts (0 when not yet written).
 */
export function replicaField(obj: DeepReadonly<KubeObject>, field: ReplicasField): number {
  const status = ((obj as { status?: Record<string, unknown> }).status ?? {}) as Record<string, number | undefined>;
  if (obj.kind === 'DaemonSet') return (field === 'spec' ? status.desiredNumberScheduled : status[DAEMON_SET_FIELDS[field]]) ?? 0;
  if (field === 'spec') return (obj as { spec?: { replicas?: number } }).spec?.replicas ?? 1;
  return status[field] ?? 0;
}
