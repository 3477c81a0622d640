/**
 * Field schema of the meta/v1 types every kind shares: TypeMeta, ObjectMeta (with the fields the
 * API server populates marked `server`), OwnerReference and LabelSelector. Follows
 * k8s.io/apimachinery/pkg/apis/meta/v1/types.go.
 */
import { arr, map, obj, opaque, scalar, server, type FieldEntry, type FieldSchema, type ObjectSchema } from './builders.js';

const labelSelectorRequirement = obj({
  key: scalar,
  operator: scalar,
  values: arr(scalar),
});

/** metav1.LabelSelector: `matchLabels` and set-based `matchExpressions`. */
export const labelSelector = obj({
  matchLabels: map,
  matchExpressions: arr(labelSelectorRequirement),
});

const ownerReference = obj({
  apiVersion: scalar,
  kind: scalar,
  name: scalar,
  uid: scalar,
  controller: scalar,
  blockOwnerDeletion: scalar,
});

/**
 * metav1.ObjectMeta. What a client may set is modelled; what the API server fills in
 * (identity, versioning, timestamps, field ownership) is `server`, ignored as on create.
 */
export const objectMeta = obj({
  name: scalar,
  generateName: scalar,
  namespace: scalar,
  labels: map,
  annotations: map,
  ownerReferences: arr(ownerReference),
  finalizers: arr(scalar),
  selfLink: server(scalar),
  uid: server(scalar),
  resourceVersion: server(scalar),
  generation: server(scalar),
  creationTimestamp: server(scalar),
  deletionTimestamp: server(scalar),
  deletionGracePeriodSeconds: server(scalar),
  managedFields: server(arr(opaque)),
});

/**
 * A top-level object: `apiVersion`, `kind`, `metadata`, the kind's `spec` and its `status`,
 * which the API server and controllers write (ignored on create, so not described further).
 */
export function resource(spec: FieldSchema | FieldEntry): ObjectSchema {
  return obj({ apiVersion: scalar, kind: scalar, metadata: objectMeta, spec, status: server(opaque) });
}
