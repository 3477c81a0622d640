/**
 * Field schema of discovery.k8s.io/v1 EndpointSlice (k8s.io/api/discovery/v1/types.go:
 * EndpointSlice, Endpoint, EndpointConditions, EndpointHints, ForZone, ForNode, EndpointPort).
 * EndpointSlices have no spec and no status: addressType, endpoints and ports sit at the top level.
 *
 * Modelled: everything the EndpointSlice controller and its consumers read — address type,
 * addresses, conditions, hostname, target reference, node name, zone, port names, protocols and
 * numbers. Hints, deprecated topology and appProtocol are kept but not simulated.
 */
import { arr, bool, int32, obj, str, stringMap, unmodelled, type ObjectSchema } from './builders.js';
import { objectMeta } from './meta.js';

const objectReference = obj({
  kind: str,
  namespace: str,
  name: str,
  uid: str,
  apiVersion: str,
  resourceVersion: str,
  fieldPath: unmodelled(str),
});

const endpoint = obj({
  addresses: arr(str),
  conditions: obj({ ready: bool, serving: bool, terminating: bool }),
  hostname: str,
  targetRef: objectReference,
  deprecatedTopology: unmodelled(stringMap),
  nodeName: str,
  zone: str,
  hints: unmodelled(obj({ forZones: arr(obj({ name: str })), forNodes: arr(obj({ name: str })) })),
});

const endpointPort = obj({
  name: str,
  protocol: str,
  port: int32,
  appProtocol: unmodelled(str),
});

/** discovery.k8s.io/v1 EndpointSlice. */
export const endpointSlice: ObjectSchema = obj({
  apiVersion: str,
  kind: str,
  metadata: objectMeta,
  addressType: str,
  endpoints: arr(endpoint),
  ports: arr(endpointPort),
});
