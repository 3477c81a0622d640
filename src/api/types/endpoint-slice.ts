/**
 * EndpointSlice (k8s.io/api/discovery/v1/types.go): the endpoints of a Service, as the
 * EndpointSlice controller writes them.
 */
import type { KubeObject } from './meta.js';
import type { ObjectReference } from './cronjob.js';

export interface EndpointConditions {
  /** serving and not terminating (or always, with publishNotReadyAddresses). */
  ready?: boolean;
  /** The pod is Ready, terminating or not. */
  serving?: boolean;
  terminating?: boolean;
}

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
}

export interface EndpointPort {
  name?: string;
  protocol?: string;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice extends KubeObject {
  kind: 'EndpointSlice';
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: Endpoint[];
  ports?: EndpointPort[];
}
