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
import { arr, bool, int32, int64, obj, opaque, quantity, resourceList, str, stringMap, unmodelled, type ObjectSchema } from './builders.js';
import { container, ephemeralContainer, resourceRequirements, securityProfile, seLinuxOptions, windowsSecurityContextOptions } from './container.js';
import { labelSelector, objectMeta } from './meta.js';

const nodeSelectorRequirement = obj({ key: str, operator: str, values: arr(str) });

const nodeSelectorTerm = obj({
  matchExpressions: arr(nodeSelectorRequirement),
  matchFields: arr(nodeSelectorRequirement),
});

const nodeAffinity = obj({
  requiredDuringSchedulingIgnoredDuringExecution: obj({ nodeSelectorTerms: arr(nodeSelectorTerm) }),
  preferredDuringSchedulingIgnoredDuringExecution: arr(obj({ weight: int32, preference: nodeSelectorTerm })),
});

const podAffinityTerm = obj({
  labelSelector,
  namespaces: arr(str),
  topologyKey: str,
  namespaceSelector: labelSelector,
  matchLabelKeys: arr(str),
  mismatchLabelKeys: arr(str),
});

/** PodAffinity and PodAntiAffinity have the same fields. */
const podAffinity = obj({
  requiredDuringSchedulingIgnoredDuringExecution: arr(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: arr(obj({ weight: int32, podAffinityTerm })),
});

const affinity = obj({
  nodeAffinity,
  podAffinity: unmodelled(podAffinity),
  podAntiAffinity: unmodelled(podAffinity),
});

const toleration = obj({
  key: str,
  operator: str,
  value: str,
  effect: str,
  tolerationSeconds: int64,
});

const topologySpreadConstraint = obj({
  maxSkew: int32,
  topologyKey: str,
  whenUnsatisfiable: str,
  labelSelector,
  minDomains: int32,
  nodeAffinityPolicy: str,
  nodeTaintsPolicy: str,
  matchLabelKeys: arr(str),
});

const keyToPath = obj({ key: str, path: str, mode: int32 });

/**
 * core/v1 Volume: a name plus exactly one source. The common sources are spelled out; the rest
 * (mostly deprecated in-tree drivers) are checked only down to their own key.
 */
const volume = obj({
  name: str,
  hostPath: obj({ path: str, type: str }),
  emptyDir: obj({ medium: str, sizeLimit: quantity }),
  configMap: obj({ name: str, items: arr(keyToPath), defaultMode: int32, optional: bool }),
  secret: obj({ secretName: str, items: arr(keyToPath), defaultMode: int32, optional: bool }),
  persistentVolumeClaim: obj({ claimName: str, readOnly: bool }),
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
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  supplementalGroups: arr(int64),
  supplementalGroupsPolicy: str,
  fsGroup: int64,
  sysctls: arr(obj({ name: str, value: str })),
  fsGroupChangePolicy: str,
  seccompProfile: securityProfile,
  appArmorProfile: securityProfile,
  seLinuxChangePolicy: str,
});

const podDNSConfig = obj({
  nameservers: arr(str),
  searches: arr(str),
  options: arr(obj({ name: str, value: str })),
});

/** core/v1 PodSpec. */
export const podSpec: ObjectSchema = obj({
  volumes: unmodelled(arr(volume)),
  initContainers: arr(container),
  containers: arr(container),
  ephemeralContainers: unmodelled(arr(ephemeralContainer)),
  restartPolicy: str,
  terminationGracePeriodSeconds: int64,
  activeDeadlineSeconds: int64,
  dnsPolicy: unmodelled(str),
  nodeSelector: stringMap,
  serviceAccountName: unmodelled(str),
  serviceAccount: unmodelled(str),
  automountServiceAccountToken: unmodelled(bool),
  nodeName: str,
  hostNetwork: bool,
  hostPID: unmodelled(bool),
  hostIPC: unmodelled(bool),
  shareProcessNamespace: unmodelled(bool),
  securityContext: unmodelled(podSecurityContext),
  imagePullSecrets: unmodelled(arr(obj({ name: str }))),
  hostname: str,
  subdomain: str,
  affinity,
  schedulerName: str,
  tolerations: arr(toleration),
  hostAliases: unmodelled(arr(obj({ ip: str, hostnames: arr(str) }))),
  priorityClassName: str,
  priority: int32,
  dnsConfig: unmodelled(podDNSConfig),
  readinessGates: unmodelled(arr(obj({ conditionType: str }))),
  runtimeClassName: unmodelled(str),
  enableServiceLinks: unmodelled(bool),
  preemptionPolicy: unmodelled(str),
  overhead: unmodelled(resourceList),
  topologySpreadConstraints: unmodelled(arr(topologySpreadConstraint)),
  setHostnameAsFQDN: unmodelled(bool),
  os: unmodelled(obj({ name: str })),
  hostUsers: unmodelled(bool),
  schedulingGates: unmodelled(arr(obj({ name: str }))),
  resourceClaims: unmodelled(arr(obj({ name: str, resourceClaimName: str, resourceClaimTemplateName: str }))),
  resources: unmodelled(resourceRequirements),
  hostnameOverride: unmodelled(str),
  workloadRef: unmodelled(obj({ name: str, podGroup: str, podGroupReplicaKey: str })),
});

/** core/v1 PodTemplateSpec, the `template` of every workload controller. */
export const podTemplateSpec = obj({
  metadata: objectMeta,
  spec: podSpec,
});
