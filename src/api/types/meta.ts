/**
 * ObjectMeta, owner references and conditions (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).
 *
 * Deliberate difference: timestamps are virtual milliseconds since t=0 (an integer), not RFC 3339
 * strings, so controllers compare numbers on the hot path. Outputs convert them back with the
 * scenario's startTime (api/time.ts).
 */

/** Virtual time in integer milliseconds since the start of the simulation. */
export type Time = number;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: Time;
  deletionTimestamp?: Time;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** Every API object: the real `apiVersion`, `kind` and `metadata`. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** The common shape of status conditions (type-keyed; see api/conditions.ts). */
export interface Condition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: Time;
  /** Deployments' conditions also carry the last time they were updated. */
  lastUpdateTime?: Time;
  /** Node conditions carry the kubelet's last heartbeat. */
  lastHeartbeatTime?: Time;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** An int-or-string field such as `maxSurge: 25%` or `maxSurge: 2`. */
export type IntOrString = number | string;

/** Recursively read-only view of an object: what listers hand out, never to be mutated. */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
