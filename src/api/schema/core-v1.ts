/**
 * Field schema of the core/v1 kinds: Pod, Node, Service and PersistentVolumeClaim. Follows
 * k8s.io/api/core/v1/types.go (NodeSpec, Taint, NodeConfigSource, ServiceSpec, ServicePort,
 * SessionAffinityConfig, PersistentVolumeClaimSpec, VolumeResourceRequirements,
 * TypedLocalObjectReference, TypedObjectReference); the pod spec is in pod.ts.
 *
 * Modelled: the pod spec as pod.ts says; of a Node unschedulable, taints and podCIDR; of a
 * Service selector, ports (name, port, targetPort, protocol), type, clusterIP and
 * publishNotReadyAddresses; a PersistentVolumeClaim's spec as a whole.
 */
import { arr, bool, int32, intOrString, obj, opaque, resourceList, str, stringMap, unmodelled, whole, type ObjectSchema } from './builders.js';
import { labelSelector, resource } from './meta.js';
import { podSpec } from './pod.js';

const taint = obj({
  key: str,
  value: str,
  effect: str,
  timeAdded: str,
});

const nodeSpec = obj({
  podCIDR: str,
  podCIDRs: unmodelled(arr(str)),
  providerID: unmodelled(str),
  unschedulable: bool,
  taints: arr(taint),
  /** Dynamic kubelet config was removed; the field survives only for compatibility. */
  configSource: unmodelled(opaque),
  externalID: unmodelled(str),
});

const servicePort = obj({
  name: str,
  protocol: str,
  appProtocol: unmodelled(str),
  port: int32,
  targetPort: intOrString,
  nodePort: unmodelled(int32),
});

const serviceSpec = obj({
  ports: arr(servicePort),
  selector: stringMap,
  clusterIP: str,
  clusterIPs: unmodelled(arr(str)),
  type: str,
  externalIPs: unmodelled(arr(str)),
  sessionAffinity: unmodelled(str),
  loadBalancerIP: unmodelled(str),
  loadBalancerSourceRanges: unmodelled(arr(str)),
  externalName: unmodelled(str),
  externalTrafficPolicy: unmodelled(str),
  healthCheckNodePort: unmodelled(int32),
  publishNotReadyAddresses: bool,
  sessionAffinityConfig: unmodelled(obj({ clientIP: obj({ timeoutSeconds: int32 }) })),
  ipFamilies: unmodelled(arr(str)),
  ipFamilyPolicy: unmodelled(str),
  allocateLoadBalancerNodePorts: unmodelled(bool),
  loadBalancerClass: unmodelled(str),
  internalTrafficPolicy: unmodelled(str),
  trafficDistribution: unmodelled(str),
});

const persistentVolumeClaimSpec = obj({
  accessModes: arr(str),
  selector: labelSelector,
  resources: obj({ limits: resourceList, requests: resourceList }),
  volumeName: str,
  storageClassName: str,
  volumeMode: str,
  dataSource: obj({ apiGroup: str, kind: str, name: str }),
  dataSourceRef: obj({ apiGroup: str, kind: str, name: str, namespace: str }),
  volumeAttributesClassName: str,
});

/** v1 Pod. */
export const pod = resource(podSpec);

/** v1 Node. */
export const node = resource(nodeSpec);

/** v1 Service. */
export const service = resource(serviceSpec);

/** v1 PersistentVolumeClaim; also the item of a StatefulSet's `volumeClaimTemplates`. */
export const persistentVolumeClaim: ObjectSchema = resource(whole(persistentVolumeClaimSpec));
