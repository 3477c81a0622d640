/**
 * Field schema of the meta/v1 types every kind shares: TypeMeta, ObjectMeta (with the fields the
 * API server populates marked `server`), OwnerReference and LabelSelector. Follows
 * k8s.io/apimachinery/pkg/apis/meta/v1/types.go.
 */
import { arr, bool, int64, obj, opaque, server, str, stringMap, type FieldEntry, type FieldSchema, type ObjectSchema } from './builders.js';

const labelSelectorRequirement = obj({
  key: str,
  operator: str,
  values: arr(str),
});

/** metav1.LabelSelector: `matchLabels` and set-based `matchExpressions`. */
export const labelSelector = obj({
  matchLabels: stringMap,
  matchExpressions: arr(labelSelectorRequirement),
});

const ownerReference = obj({
  apiVersion: str,
  kind: str,
  name: str,
  uid: str,
  controller: bool,
  blockOwnerDeletion: bool,
});

/**
 * metav1.ObjectMeta. What a client may set is modelled; what the API server fills in
 * (identity, versioning, timestamps, field ownership) is `server`, ignored as on create.
 */
export const objectMeta = obj({
  name: str,
  generateName: str,
  namespace: str,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: arr(ownerReference),
  finalizers: arr(str),
  selfLink: server(str),
  uid: server(str),
  resourceVersion: server(str),
  generation: server(int64),
  creationTimestamp: server(str),
  deletionTimestamp: server(str),
  deletionGracePeriodSeconds: server(int64),
  managedFields: server(arr(opaque)),
});

/**
 * A top-level object: `apiVersion`, `kind`, `metadata`, the kind's `spec` and its `status`,
 * which the API server and controllers write (ignored on create, so not described further).
 */
export function resource(spec: FieldSchema | FieldEntry): ObjectSchema {
  return obj({ apiVersion: str, kind: str, metadata: objectMeta, spec, status: server(opaque) });
}
