/**
 * Object keys as client-go's cache writes them (MetaNamespaceKeyFunc): `namespace/name`, or
 * `name` for cluster-scoped objects. Work queues and informer stores are keyed by them.
 */
import type { DeepReadonly, ObjectMeta } from './types/meta.js';

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function metaKey(meta: DeepReadonly<ObjectMeta>): string {
  return objectKey(meta.namespace, meta.name);
}

/** Splits a key back into namespace ('' for cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
