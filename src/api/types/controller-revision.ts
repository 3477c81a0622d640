/**
 * ControllerRevision (k8s.io/api/apps/v1/types.go): an immutable snapshot of a StatefulSet's or
 * DaemonSet's pod template, the history that rollouts and `rollout undo` use.
 */
import type { KubeObject } from './meta.js';

export interface ControllerRevision extends KubeObject {
  kind: 'ControllerRevision';
  /** The serialized patch of the owner's template (runtime.RawExtension). */
  data?: unknown;
  revision: number;
}
