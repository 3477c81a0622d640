/**
 * From pods and a Service to endpoints, ports, labels and new slices: the helpers of
 * staging/src/k8s.io/endpointslice/utils.go.
 *
 * Deliberate differences:
 * - The simulated cluster is single-stack IPv4 (the API server allocates no cluster IPs and
 *   defaults no ipFamilies), so every Service gets IPv4 slices only, from `status.podIP`.
 * - isServiceIPSet: the API server here never allocates a cluster IP, so an empty `clusterIP`
 *   stands for an allocated one; only `None` marks a headless Service.
 * - A slice's ports keep the Service's port order (upstream sorts them by spew hash).
 */
import { isIP } from 'node:net';
import { isPodReady } from '../../api/pod-util.js';
import type { Endpoint, EndpointPort, EndpointSlice } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly, OwnerReference } from '../../api/types/meta.js';
import type { Node } from '../../api/types/node.js';
import type { Pod } from '../../api/types/pod.js';
import type { Service, ServicePort } from '../../api/types/service.js';
import { deepEqual } from '../../util/objects.js';
import { shouldSetHostname } from './util.js';

type ReadonlyPod = DeepReadonly<Pod>;
type ReadonlyService = DeepReadonly<Service>;

/** discovery.LabelServiceName: the Service a slice belongs to (what kube-proxy selects on). */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** discovery.LabelManagedBy: which controller owns a slice. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** v1.IsHeadlessService: set (empty) on the slices of a headless Service. */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
/** The value of LABEL_MANAGED_BY on this controller's slices (controllerQualifiedName). */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** v1.LabelTopologyZone, copied from the pod's node into `zone`. */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
/** --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** The address type of every slice this controller writes (see the header). */
export const ADDRESS_TYPE = 'IPv4';

/** The headless marker: clusterIP `None` (see the header on empty cluster IPs). */
export function isServiceIPSet(service: ReadonlyService): boolean {
  return service.spec.clusterIP !== 'None';
}

/**
 * A Service's selector as a map of pairs, or undefined for "no selector". An empty map counts as
 * none: the API server stores Services as protobuf, where an empty map reads back as nil.
 */
export function serviceSelector(service: ReadonlyService): Readonly<Record<string, string>> | undefined {
  const selector = service.spec.selector;
  if (selector === undefined || selector === null || Object.keys(selector).length === 0) return undefined;
  return selector;
}

/**
 * FindPort: a numeric targetPort as is; a named one looked up among the pod's container ports
 * (then its sidecars') with the Service port's protocol. Undefined when not found.
 */
export function findPort(pod: ReadonlyPod, servicePort: DeepReadonly<ServicePort>): number | undefined {
  // Defaulting sets targetPort = port; an absent one is Go's zero IntOrString, the number 0.
  const target = servicePort.targetPort ?? 0;
  if (typeof target === 'number') return target;
  for (const container of pod.spec.containers) {
    for (const port of container.ports ?? []) if (port.name === target && port.protocol === servicePort.protocol) return port.containerPort;
  }
  for (const container of pod.spec.initContainers ?? []) {
    if (container.restartPolicy !== 'Always') continue;
    for (const port of container.ports ?? []) if (port.name === target && port.protocol === servicePort.protocol) return port.containerPort;
  }
  return undefined;
}

/**
 * getEndpointPorts: one port per Service port the pod can serve (a named targetPort the pod
 * lacks is skipped); none for a headless Service without ports.
 */
export function getEndpointPorts(service: ReadonlyService, pod: ReadonlyPod): EndpointPort[] {
  const ports = service.spec.ports ?? [];
  const out: EndpointPort[] = [];
  if (ports.length === 0 && service.spec.clusterIP === 'None') return out;
  for (const servicePort of ports) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    // Upstream always sets the name, possibly to "".
    out.push({ name: servicePort.name ?? '', protocol: servicePort.protocol, port });
  }
  return out;
}

/** getEndpointAddresses for IPv4: the pod's IPv4 address, if it has one. */
export function getEndpointAddresses(pod: ReadonlyPod): string[] {
  const ip = pod.status?.podIP;
  return ip !== undefined && isIP(ip) === 4 ? [ip] : [];
}

/**
 * podToEndpoint: serving = Ready; terminating = being deleted; ready = serving and not
 * terminating, or always with publishNotReadyAddresses. Node name and zone from the pod's node;
 * the hostname for pods that name this Service as their subdomain.
 */
export function podToEndpoint(pod: ReadonlyPod, node: DeepReadonly<Node> | undefined, service: ReadonlyService): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = service.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const endpoint: Endpoint = {
    addresses: getEndpointAddresses(pod),
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (pod.spec.nodeName) endpoint.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
  if (zone) endpoint.zone = zone;
  if (shouldSetHostname(pod, service)) endpoint.hostname = pod.spec.hostname;
  return endpoint;
}

function isReservedLabelKey(key: string): boolean {
  return key === LABEL_SERVICE_NAME || key === LABEL_MANAGED_BY || key === LABEL_HEADLESS;
}

/**
 * setEndpointSliceLabels: the Service's labels (minus the reserved ones) plus the service-name,
 * managed-by and — for headless Services — headless labels; and whether the slice's own
 * non-reserved labels differed from the Service's.
 */
export function setEndpointSliceLabels(
  sliceLabels: Readonly<Record<string, string>> | undefined,
  service: ReadonlyService,
  controllerName = CONTROLLER_NAME,
): [Record<string, string>, boolean] {
  const current: Record<string, string> = {};
  for (const [key, value] of Object.entries(sliceLabels ?? {})) if (!isReservedLabelKey(key)) current[key] = value;
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.metadata.labels ?? {})) if (!isReservedLabelKey(key)) labels[key] = value;
  const updated = !deepEqual(current, labels);
  if (!isServiceIPSet(service)) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = service.metadata.name;
  labels[LABEL_MANAGED_BY] = controllerName;
  return [labels, updated];
}

/**
 * getEndpointSlicePrefix: `<service>-` (a Service name is a DNS label, so the dash always fits a
 * DNS subdomain); the API server appends five random characters.
 */
export function getEndpointSlicePrefix(serviceName: string): string {
  return `${serviceName}-`;
}

/** NewControllerRef for a Service (apiVersion v1). */
export function serviceControllerRef(service: ReadonlyService): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: service.metadata.name, uid: service.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** newEndpointSlice: an empty slice of the Service with these ports, owned by it, to create. */
export function newEndpointSlice(service: ReadonlyService, ports: readonly EndpointPort[], controllerName = CONTROLLER_NAME): EndpointSlice {
  const [labels] = setEndpointSliceLabels(undefined, service, controllerName);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: '',
      generateName: getEndpointSlicePrefix(service.metadata.name),
      namespace: service.metadata.namespace,
      labels,
      ownerReferences: [serviceControllerRef(service)],
    },
    addressType: ADDRESS_TYPE,
    endpoints: [],
    ports: ports.map((p) => ({ ...p })),
  };
}

/** ownedBy: one of the slice's owner references is this Service (by uid). */
export function ownedBy(slice: DeepReadonly<EndpointSlice>, service: ReadonlyService): boolean {
  return (slice.metadata.ownerReferences ?? []).some((o) => o.uid === service.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/**
 * getSliceToFill: the slice that would end up closest to full with `count` more endpoints,
 * without overflowing; the first such in order on ties; undefined when none fits.
 */
export function getSliceToFill<S extends { readonly endpoints: readonly unknown[] }>(slices: readonly S[], count: number, max: number): S | undefined {
  let closestDiff = max;
  let closest: S | undefined;
  for (const slice of slices) {
    const diff = max - (count + slice.endpoints.length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = slice;
      if (closestDiff === 0) return closest;
    }
  }
  return closest;
}

/**
 * placeholderSliceCompare: the same namespace, labels, address type, ports and endpoints (empty
 * and absent lists equal), whatever the name or any other metadata (owner references included:
 * upstream's ObjectMeta comparison looks at namespace and labels only).
 */
export function placeholderSliceEqual(a: DeepReadonly<EndpointSlice>, b: DeepReadonly<EndpointSlice>): boolean {
  const list = <T>(value: readonly T[] | undefined): readonly T[] => value ?? [];
  const map = (value: Readonly<Record<string, string>> | undefined) => value ?? {};
  return (
    (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '') &&
    deepEqual(map(a.metadata.labels), map(b.metadata.labels)) &&
    a.addressType === b.addressType &&
    deepEqual(list(a.ports), list(b.ports)) &&
    deepEqual(list(a.endpoints), list(b.endpoints))
  );
}

/** ServiceControllerKey: `namespace/service` from a slice's service-name label; undefined without one. */
export function serviceControllerKey(slice: DeepReadonly<EndpointSlice>): string | undefined {
  const name = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}

/** ManagedByController: the slice carries this controller's managed-by label. */
export function managedByController(slice: DeepReadonly<EndpointSlice>, controllerName = CONTROLLER_NAME): boolean {
  return slice.metadata.labels?.[LABEL_MANAGED_BY] === controllerName;
}
