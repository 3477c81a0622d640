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
import { arr, map, obj, opaque, scalar, unmodelled, whole, type ObjectSchema } from './builders.js';
import { labelSelector, resource } from './meta.js';
import { podSpec } from './pod.js';

const taint = obj({
  key: scalar,
  value: scalar,
  effect: scalar,
  timeAdded: scalar,
});

const nodeSpec = obj({
  podCIDR: scalar,
  podCIDRs: unmodelled(arr(scalar)),
  providerID: unmodelled(scalar),
  unschedulable: scalar,
  taints: arr(taint),
  /** Dynamic kubelet config was removed; the field survives only for compatibility. */
  configSource: unmodelled(opaque),
  externalID: unmodelled(scalar),
});

const servicePort = obj({
  name: scalar,
  protocol: scalar,
  appProtocol: unmodelled(scalar),
  port: scalar,
  targetPort: scalar,
  nodePort: unmodelled(scalar),
});

const serviceSpec = obj({
  ports: arr(servicePort),
  selector: map,
  clusterIP: scalar,
  clusterIPs: unmodelled(arr(scalar)),
  type: scalar,
  externalIPs: unmodelled(arr(scalar)),
  sessionAffinity: unmodelled(scalar),
  loadBalancerIP: unmodelled(scalar),
  loadBalancerSourceRanges: unmodelled(arr(scalar)),
  externalName: unmodelled(scalar),
  externalTrafficPolicy: unmodelled(scalar),
  healthCheckNodePort: unmodelled(scalar),
  publishNotReadyAddresses: scalar,
  sessionAffinityConfig: unmodelled(obj({ clientIP: obj({ timeoutSeconds: scalar }) })),
  ipFamilies: unmodelled(arr(scalar)),
  ipFamilyPolicy: unmodelled(scalar),
  allocateLoadBalancerNodePorts: unmodelled(scalar),
  loadBalancerClass: unmodelled(scalar),
  internalTrafficPolicy: unmodelled(scalar),
  trafficDistribution: unmodelled(scalar),
});

const persistentVolumeClaimSpec = obj({
  accessModes: arr(scalar),
  selector: labelSelector,
  resources: obj({ limits: map, requests: map }),
  volumeName: scalar,
  storageClassName: scalar,
  volumeMode: scalar,
  dataSource: obj({ apiGroup: scalar, kind: scalar, name: scalar }),
  dataSourceRef: obj({ apiGroup: scalar, kind: scalar, name: scalar, namespace: scalar }),
  volumeAttributesClassName: scalar,
});

/** v1 Pod. */
export const pod = resource(podSpec);

/** v1 Node. */
export const node = resource(nodeSpec);

/** v1 Service. */
export const service = resource(serviceSpec);

/** v1 PersistentVolumeClaim; also the item of a StatefulSet's `volumeClaimTemplates`. */
export const persistentVolumeClaim: ObjectSchema = resource(whole(persistentVolumeClaimSpec));
