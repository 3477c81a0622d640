/**
 * Events derived from DaemonSet transitions (see metrics/object-events.ts): pure functions of the
 * (old, new) pair the API server commits.
 *
 * - DaemonSetCreated {strategy}: the update strategy (RollingUpdate or OnDelete).
 * - DaemonSetDeleted.
 * Template changes are reported as rollouts (RolloutStarted / RolloutComplete, metrics/rollouts.ts);
 * the controller itself records FailedDaemonPod and SucceededDaemonPod {pod, node}.
 */
import type { DaemonSet } from '../../api/types/daemonset.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { DerivedEvent } from '../object-events.js';

type Maybe<T> = DeepReadonly<T> | undefined;

export function daemonSetEvents(old: Maybe<DaemonSet>, ds: Maybe<DaemonSet>): DerivedEvent[] {
  if (ds === undefined) return [{ type: 'DaemonSetDeleted' }];
  if (old === undefined) return [{ type: 'DaemonSetCreated', fields: { strategy: ds.spec.updateStrategy?.type } }];
  return [];
}
