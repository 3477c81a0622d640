/**
 * The kinds the API server serves and how each behaves on write. Adding a kind is one entry
 * here plus its defaulter and validator (api/defaults, api/validation).
 */

export interface KindInfo {
  readonly kind: string;
  readonly apiVersion: string;
  /** Lower-case plural as kubectl writes it in `kind/name` targets' long form. */
  readonly plural: string;
  /** Short names and singular forms kubectl accepts (`deploy`, `rs`, `po`, `no`, `svc`). */
  readonly aliases: readonly string[];
  readonly namespaced: boolean;
  /** Status is a subresource: a main update keeps the stored status, a status update keeps the spec. */
  readonly statusSubresource: boolean;
  /** `metadata.generation` increments whenever the spec changes. */
  readonly tracksGeneration: boolean;
  /**
   * A status write may also change annotations (deploymentStatusStrategy keeps only spec and
   * labels): how the Deployment controller records the revision on the Deployment.
   */
  readonly statusWritesAnnotations?: boolean;
  /**
   * For a generation-tracking kind without a spec: the top-level fields whose change moves the
   * generation on, as do label changes (EndpointSlice's PrepareForUpdate: anything but metadata).
   */
  readonly generationFields?: readonly string[];
}

const KINDS: readonly KindInfo[] = [
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', aliases: ['pod', 'po'], namespaced: true, statusSubresource: true, tracksGeneration: false },
  { kind: 'Node', apiVersion: 'v1', plural: 'nodes', aliases: ['node', 'no'], namespaced: false, statusSubresource: true, tracksGeneration: false },
  { kind: 'Service', apiVersion: 'v1', plural: 'services', aliases: ['service', 'svc'], namespaced: true, statusSubresource: true, tracksGeneration: false },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', plural: 'replicasets', aliases: ['replicaset', 'rs'], namespaced: true, statusSubresource: true, tracksGeneration: true },
  { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments', aliases: ['deployment', 'deploy'], namespaced: true, statusSubresource: true, tracksGeneration: true, statusWritesAnnotations: true },
  { kind: 'ControllerRevision', apiVersion: 'apps/v1', plural: 'controllerrevisions', aliases: ['controllerrevision'], namespaced: true, statusSubresource: false, tracksGeneration: false },
  { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', aliases: ['endpointslice'], namespaced: true, statusSubresource: false, tracksGeneration: true, generationFields: ['addressType', 'endpoints', 'ports'] },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', plural: 'statefulsets', aliases: ['statefulset', 'sts'], namespaced: true, statusSubresource: true, tracksGeneration: true },
  { kind: 'PersistentVolumeClaim', apiVersion: 'v1', plural: 'persistentvolumeclaims', aliases: ['persistentvolumeclaim', 'pvc'], namespaced: true, statusSubresource: true, tracksGeneration: false },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', plural: 'daemonsets', aliases: ['daemonset', 'ds'], namespaced: true, statusSubresource: true, tracksGeneration: true },
  { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', aliases: ['job'], namespaced: true, statusSubresource: true, tracksGeneration: true },
  { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs', aliases: ['cronjob', 'cj'], namespaced: true, statusSubresource: true, tracksGeneration: true },
  { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', aliases: ['horizontalpodautoscaler', 'hpa'], namespaced: true, statusSubresource: true, tracksGeneration: true },
];

const byKind = new Map(KINDS.map((info) => [info.kind, info]));
const byName = new Map<string, KindInfo>();
for (const info of KINDS) {
  for (const name of [info.kind.toLowerCase(), info.plural, ...info.aliases]) byName.set(name, info);
}

/** The registered kind, or undefined when the simulator does not serve it. */
export function kindInfo(kind: string): KindInfo | undefined {
  return byKind.get(kind);
}

/** Every served kind, in registration order. */
export function servedKinds(): readonly KindInfo[] {
  return KINDS;
}

/** Resolves what a user writes before the slash of `deployment/web` (`deploy`, `Deployment`, `deployments`). */
export function resolveKindName(name: string): KindInfo | undefined {
  return byKind.get(name) ?? byName.get(name.toLowerCase());
}

/** Every spelling accepted by {@link resolveKindName}, for suggestions. */
export function kindNames(): string[] {
  return [...byName.keys()];
}
