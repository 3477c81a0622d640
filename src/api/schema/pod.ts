/**
 * Field schema of core/v1 PodSpec and PodTemplateSpec with the types they reach besides
 * Container: affinity, tolerations, topology spread, volumes, the pod security context, DNS
 * config, host aliases, readiness and scheduling gates, resource claims. Follows
 * k8s.io/api/core/v1/types.go (PodSpec, Affinity, NodeAffinity, NodeSelector, PodAffinity,
 * PodAntiAffinity, PodAffinityTerm, Toleration, TopologySpreadConstraint, Volume, VolumeSource,
 * PodSecurityContext, PodDNSConfig, HostAlias, PodReadinessGate, PodResourceClaim,
 * PodSchedulingGate, PodOS, WorkloadReference, PodTemplateSpec).
 *
 * Modelled: containers, initContainers, restartPolicy, terminationGracePeriodSeconds,
 * activeDeadlineSeconds, nodeSelector, nodeName, schedulerName, affinity.nodeAffinity,
 * tolerations, priority, priorityClassName, hostname, subdomain, hostNetwork.
 */
import { arr, map, obj, opaque, scalar, unmodelled, type ObjectSchema } from './builders.js';
import { container, ephemeralContainer, resourceRequirements, securityProfile, seLinuxOptions, windowsSecurityContextOptions } from './container.js';
import { labelSelector, objectMeta } from './meta.js';

const nodeSelectorRequirement = obj({ key: scalar, operator: scalar, values: arr(scalar) });

const nodeSelectorTerm = obj({
  matchExpressions: arr(nodeSelectorRequirement),
  matchFields: arr(nodeSelectorRequirement),
});

const nodeAffinity = obj({
  requiredDuringSchedulingIgnoredDuringExecution: obj({ nodeSelectorTerms: arr(nodeSelectorTerm) }),
  preferredDuringSchedulingIgnoredDuringExecution: arr(obj({ weight: scalar, preference: nodeSelectorTerm })),
});

const podAffinityTerm = obj({
  labelSelector,
  namespaces: arr(scalar),
  topologyKey: scalar,
  namespaceSelector: labelSelector,
  matchLabelKeys: arr(scalar),
  mismatchLabelKeys: arr(scalar),
});

/** PodAffinity and PodAntiAffinity have the same fields. */
const podAffinity = obj({
  requiredDuringSchedulingIgnoredDuringExecution: arr(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: arr(obj({ weight: scalar, podAffinityTerm })),
});

const affinity = obj({
  nodeAffinity,
  podAffinity: unmodelled(podAffinity),
  podAntiAffinity: unmodelled(podAffinity),
});

const toleration = obj({
  key: scalar,
  operator: scalar,
  value: scalar,
  effect: scalar,
  tolerationSeconds: scalar,
});

const topologySpreadConstraint = obj({
  maxSkew: scalar,
  topologyKey: scalar,
  whenUnsatisfiable: scalar,
  labelSelector,
  minDomains: scalar,
  nodeAffinityPolicy: scalar,
  nodeTaintsPolicy: scalar,
  matchLabelKeys: arr(scalar),
});

const keyToPath = obj({ key: scalar, path: scalar, mode: scalar });

/**
 * core/v1 Volume: a name plus exactly one source. The common sources are spelled out; the rest
 * (mostly deprecated in-tree drivers) are checked only down to their own key.
 */
const volume = obj({
  name: scalar,
  hostPath: obj({ path: scalar, type: scalar }),
  emptyDir: obj({ medium: scalar, sizeLimit: scalar }),
  configMap: obj({ name: scalar, items: arr(keyToPath), defaultMode: scalar, optional: scalar }),
  secret: obj({ secretName: scalar, items: arr(keyToPath), defaultMode: scalar, optional: scalar }),
  persistentVolumeClaim: obj({ claimName: scalar, readOnly: scalar }),
  projected: opaque,
  downwardAPI: opaque,
  csi: opaque,
  ephemeral: opaque,
  image: opaque,
  nfs: opaque,
  iscsi: opaque,
  fc: opaque,
  gcePersistentDisk: opaque,
  awsElasticBlockStore: opaque,
  gitRepo: opaque,
  glusterfs: opaque,
  rbd: opaque,
  flexVolume: opaque,
  cinder: opaque,
  cephfs: opaque,
  flocker: opaque,
  azureFile: opaque,
  azureDisk: opaque,
  vsphereVolume: opaque,
  quobyte: opaque,
  photonPersistentDisk: opaque,
  portworxVolume: opaque,
  scaleIO: opaque,
  storageos: opaque,
});

const podSecurityContext = obj({
  seLinuxOptions,
  windowsOptions: windowsSecurityContextOptions,
  runAsUser: scalar,
  runAsGroup: scalar,
  runAsNonRoot: scalar,
  supplementalGroups: arr(scalar),
  supplementalGroupsPolicy: scalar,
  fsGroup: scalar,
  sysctls: arr(obj({ name: scalar, value: scalar })),
  fsGroupChangePolicy: scalar,
  seccompProfile: securityProfile,
  appArmorProfile: securityProfile,
  seLinuxChangePolicy: scalar,
});

const podDNSConfig = obj({
  nameservers: arr(scalar),
  searches: arr(scalar),
  options: arr(obj({ name: scalar, value: scalar })),
});

/** core/v1 PodSpec. */
export const podSpec: ObjectSchema = obj({
  volumes: unmodelled(arr(volume)),
  initContainers: arr(container),
  containers: arr(container),
  ephemeralContainers: unmodelled(arr(ephemeralContainer)),
  restartPolicy: scalar,
  terminationGracePeriodSeconds: scalar,
  activeDeadlineSeconds: scalar,
  dnsPolicy: unmodelled(scalar),
  nodeSelector: map,
  serviceAccountName: unmodelled(scalar),
  serviceAccount: unmodelled(scalar),
  automountServiceAccountToken: unmodelled(scalar),
  nodeName: scalar,
  hostNetwork: scalar,
  hostPID: unmodelled(scalar),
  hostIPC: unmodelled(scalar),
  shareProcessNamespace: unmodelled(scalar),
  securityContext: unmodelled(podSecurityContext),
  imagePullSecrets: unmodelled(arr(obj({ name: scalar }))),
  hostname: scalar,
  subdomain: scalar,
  affinity,
  schedulerName: scalar,
  tolerations: arr(toleration),
  hostAliases: unmodelled(arr(obj({ ip: scalar, hostnames: arr(scalar) }))),
  priorityClassName: scalar,
  priority: scalar,
  dnsConfig: unmodelled(podDNSConfig),
  readinessGates: unmodelled(arr(obj({ conditionType: scalar }))),
  runtimeClassName: unmodelled(scalar),
  enableServiceLinks: unmodelled(scalar),
  preemptionPolicy: unmodelled(scalar),
  overhead: unmodelled(map),
  topologySpreadConstraints: unmodelled(arr(topologySpreadConstraint)),
  setHostnameAsFQDN: unmodelled(scalar),
  os: unmodelled(obj({ name: scalar })),
  hostUsers: unmodelled(scalar),
  schedulingGates: unmodelled(arr(obj({ name: scalar }))),
  resourceClaims: unmodelled(arr(obj({ name: scalar, resourceClaimName: scalar, resourceClaimTemplateName: scalar }))),
  resources: unmodelled(resourceRequirements),
  hostnameOverride: unmodelled(scalar),
  workloadRef: unmodelled(obj({ name: scalar, podGroup: scalar, podGroupReplicaKey: scalar })),
});

/** core/v1 PodTemplateSpec, the `template` of every workload controller. */
export const podTemplateSpec = obj({
  metadata: objectMeta,
  spec: podSpec,
});
