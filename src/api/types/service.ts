/**
 * Service (k8s.io/api/core/v1/types.go), the fields the simulator models.
 */
import type { IntOrString, KubeObject } from './meta.js';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: IntOrString;
  nodePort?: number;
}

export interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: ServicePort[];
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIP?: string;
  publishNotReadyAddresses?: boolean;
  sessionAffinity?: string;
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec: ServiceSpec;
  status?: Record<string, unknown>;
}
