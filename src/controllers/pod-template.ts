/**
 * Pods from a controller's template (pkg/controller/controller_utils.go: GetPodFromTemplate):
 * the template's labels, annotations, finalizers and spec, a generated name with the owner's
 * name as prefix, and a controller reference to the owner. Upstream deep-copies the spec; here
 * the pods of one template share its (immutable) spec object.
 */
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { Pod, PodTemplateSpec } from '../api/types/pod.js';
import { newControllerRef } from '../api/pod-util.js';

export function getPodFromTemplate(template: DeepReadonly<PodTemplateSpec>, owner: DeepReadonly<KubeObject>): Pod {
  const meta = template.metadata ?? {};
  // Absent fields are left out rather than set to undefined and deleted: deleting a key that is
  // not the last one added puts the object in V8's slow dictionary mode, and the API server then
  // copies this metadata on every create. The keys keep the order they always had.
  const metadata: Pod['metadata'] = { name: '', generateName: `${owner.metadata.name}-`, namespace: owner.metadata.namespace };
  if (meta.labels) metadata.labels = { ...meta.labels };
  if (meta.annotations) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) metadata.finalizers = [...meta.finalizers];
  metadata.ownerReferences = [newControllerRef(owner)];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    // Shared, not copied: stored objects never change, and the template was defaulted and
    // validated with its owner, so admission finds nothing to add (see validatePod's memo).
    spec: template.spec as Pod['spec'],
  };
}
