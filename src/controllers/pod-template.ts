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
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: '',
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: meta.labels ? { ...meta.labels } : undefined,
      annotations: meta.annotations ? { ...meta.annotations } : undefined,
      finalizers: meta.finalizers ? [...meta.finalizers] : undefined,
      ownerReferences: [newControllerRef(owner)],
    },
    // Shared, not copied: stored objects never change, and the template was defaulted and
    // validated with its owner, so admission finds nothing to add (see validatePod's memo).
    spec: template.spec as Pod['spec'],
  };
  if (pod.metadata.labels === undefined) delete pod.metadata.labels;
  if (pod.metadata.annotations === undefined) delete pod.metadata.annotations;
  if (pod.metadata.finalizers === undefined) delete pod.metadata.finalizers;
  return pod;
}
