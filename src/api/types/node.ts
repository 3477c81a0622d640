/**
 * Node (k8s.io/api/core/v1/types.go), the fields the simulator models.
 */
import type { Condition, KubeObject, Time } from './meta.js';
import type { ResourceList, TaintEffect } from './pod.js';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: Time;
}

export interface ContainerImage {
  names: string[];
  sizeBytes?: number;
}

export interface NodeSpec {
  unschedulable?: boolean;
  taints?: Taint[];
  podCIDR?: string;
  providerID?: string;
}

export interface NodeStatus {
  capacity?: ResourceList;
  allocatable?: ResourceList;
  conditions?: Condition[];
  images?: ContainerImage[];
  addresses?: { type: string; address: string }[];
}

export interface Node extends KubeObject {
  kind: 'Node';
  spec: NodeSpec;
  status?: NodeStatus;
}

/** Well-known node label naming its zone (k8s.io/api/core/v1 LabelTopologyZone). */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
