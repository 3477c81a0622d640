/**
 * The scale subresource of an HPA's target (client-go/scale, and the registries' `/scale` of
 * Deployments, ReplicaSets and StatefulSets): `spec.replicas`, `status.replicas` and the
 * target's selector, read from the API server as upstream's GET of the subresource does (not
 * from a cache), and written back as an update of `spec.replicas` alone.
 *
 * Resolving `scaleTargetRef` follows the REST mapper: the apiVersion's group and the kind must
 * name a served kind (`no matches for kind "Deploy" in group "apps"`), the kind must have a scale
 * subresource, and the object must exist (`deployments.apps "web" not found`). ReplicationControllers
 * and custom resources with a scale subresource are not modelled.
 */
import { type KindInfo, kindInfo } from '../../api/kinds.js';
import type { DeepReadonly, KubeObject, LabelSelector } from '../../api/types/meta.js';
import type { CrossVersionObjectReference } from '../../api/types/horizontal-pod-autoscaler.js';
import type { ApiServer } from '../../cluster/api-server.js';

/** Kinds with a scale subresource. */
export const SCALABLE_KINDS: readonly string[] = ['Deployment', 'ReplicaSet', 'StatefulSet'];

interface ScalableObject extends KubeObject {
  spec: { replicas?: number; selector?: LabelSelector };
  status?: { replicas?: number };
}

export interface Scale {
  readonly object: DeepReadonly<ScalableObject>;
  readonly specReplicas: number;
  readonly statusReplicas: number;
  /** The target's selector (what `status.selector` of the scale formats). */
  readonly selector: DeepReadonly<LabelSelector> | undefined;
}

/** schema.ParseGroupVersion's group, or an error for more than one slash. */
function parseGroup(apiVersion: string): string | { error: string } {
  const parts = apiVersion.split('/');
  if (apiVersion === '' || parts.length === 1) return '';
  if (parts.length === 2) return parts[0];
  return { error: `unexpected GroupVersion string: ${apiVersion}` };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

type Mapping = { readonly info: KindInfo; readonly group: string } | { readonly error: string };

/**
 * What the REST mapper makes of a reference, by reference object: an HPA's scaleTargetRef is
 * stored and immutable, and the answer depends on its apiVersion and kind alone, so each sync
 * need not parse them again.
 */
const mappings = new WeakMap<object, Mapping>();

function restMapping(ref: DeepReadonly<CrossVersionObjectReference>): Mapping {
  let mapping = mappings.get(ref);
  if (mapping === undefined) mappings.set(ref, (mapping = mapRef(ref)));
  return mapping;
}

function mapRef(ref: DeepReadonly<CrossVersionObjectReference>): Mapping {
  const group = parseGroup(ref.apiVersion ?? '');
  if (typeof group !== 'string') return group;
  const info = kindInfo(ref.kind);
  if (info === undefined || groupOf(info.apiVersion) !== group) return { error: `no matches for kind "${ref.kind}" in group "${group}"` };
  if (!SCALABLE_KINDS.includes(info.kind)) return { error: 'the server could not find the requested resource' };
  return { info, group };
}

/** The target's scale, or the error upstream's scale client or REST mapper would give. */
export function getScale(api: ApiServer, namespace: string, ref: DeepReadonly<CrossVersionObjectReference>): Scale | { readonly error: string } {
  const mapping = restMapping(ref);
  if ('error' in mapping) return mapping;
  const { info, group } = mapping;
  const object = api.get<ScalableObject>(info.kind, namespace, ref.name);
  if (object === undefined) return { error: `${info.plural}${group === '' ? '' : `.${group}`} "${ref.name}" not found` };
  return { object, specReplicas: object.spec.replicas ?? 1, statusReplicas: object.status?.replicas ?? 0, selector: object.spec.selector };
}

/**
 * Writes `spec.replicas` as the scale subresource's update does, with the read's
 * resourceVersion as precondition. Throws the ApiError the write meets.
 */
export function updateScale(api: ApiServer, scale: Scale, replicas: number): void {
  const { status: _status, ...rest } = scale.object as ScalableObject;
  api.update<ScalableObject>({ ...rest, spec: { ...rest.spec, replicas } });
}
