/**
 * EndpointSlice (k8s.io/api/discovery/v1/types.go): the endpoints of a Service, as the
 * EndpointSlice controller writes them, or as anyone may write them for a Service without a
 * selector.
 */
import type { KubeObject } from './meta.js';
import type { ObjectReference } from './cronjob.js';

export type AddressType = 'IPv4' | 'IPv6' | 'FQDN';

export interface EndpointConditions {
  /** serving and not terminating (or always, with publishNotReadyAddresses). */
  ready?: boolean;
  /** The pod is Ready, terminating or not. */
  serving?: boolean;
  terminating?: boolean;
}

/** Topology hints (kept on user-written slices; the controller writes none, see fidelity.md). */
export interface EndpointHints {
  forZones?: { name: string }[];
  forNodes?: { name: string }[];
}

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
  hints?: EndpointHints;
  deprecatedTopology?: Record<string, string>;
}

export interface EndpointPort {
  /** Defaulted to `""`: an EndpointSlice port always has a name, possibly empty. */
  name?: string;
  /** Defaulted to TCP. */
  protocol?: string;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice extends KubeObject {
  kind: 'EndpointSlice';
  addressType: AddressType;
  endpoints: Endpoint[];
  ports?: EndpointPort[];
}
