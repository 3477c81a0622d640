/**
 * Claiming dependents by controller reference and selector (pkg/controller/controller_ref_manager.go:
 * ClaimPods / ClaimReplicaSets): keep owned objects that still match, release owned objects that
 * no longer match, adopt matching orphans. Adoption and release are metadata patches.
 */
import type { ApiServer } from '../cluster/api-server.js';
import { getControllerOf, newControllerRef } from '../api/pod-util.js';
import type { LabelPredicate } from '../api/label-selector.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import { isApiError } from '../errors.js';

export interface ClaimOptions<T extends KubeObject> {
  readonly api: ApiServer;
  readonly owner: DeepReadonly<KubeObject>;
  readonly matches: LabelPredicate;
  /** Candidates: objects controlled by the owner plus orphans in its namespace. */
  readonly candidates: Iterable<DeepReadonly<T>>;
}

/**
 * Returns the objects the owner controls after claiming. Objects owned by another controller
 * are ignored; a deleting owner neither adopts nor releases.
 */
export function claimObjects<T extends KubeObject>({ api, owner, matches, candidates }: ClaimOptions<T>): DeepReadonly<T>[] {
  const claimed: DeepReadonly<T>[] = [];
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  for (const obj of candidates) {
    const ref = getControllerOf(obj.metadata);
    if (ref !== undefined) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches(obj.metadata.labels)) {
        claimed.push(obj);
      } else if (!ownerDeleting) {
        release(api, owner, obj);
      }
      continue;
    }
    if (ownerDeleting || !matches(obj.metadata.labels) || obj.metadata.deletionTimestamp !== undefined) continue;
    const adopted = adopt(api, owner, obj);
    if (adopted !== undefined) claimed.push(adopted);
  }
  return claimed;
}

function adopt<T extends KubeObject>(api: ApiServer, owner: DeepReadonly<KubeObject>, obj: DeepReadonly<T>): DeepReadonly<T> | undefined {
  // canAdopt: re-read the owner uncached; a deleted or replaced owner must not adopt.
  const fresh = api.get(owner.kind, owner.metadata.namespace, owner.metadata.name);
  if (fresh === undefined || fresh.metadata.uid !== owner.metadata.uid || fresh.metadata.deletionTimestamp !== undefined) return undefined;
  return patchOwnerReferences(api, obj, (refs) => [...refs, newControllerRef(owner)]);
}

function release<T extends KubeObject>(api: ApiServer, owner: DeepReadonly<KubeObject>, obj: DeepReadonly<T>): void {
  patchOwnerReferences(api, obj, (refs) => refs.filter((ref) => ref.uid !== owner.metadata.uid));
}

/** A strategic-merge patch of ownerReferences with a uid precondition; gone or changed objects are skipped. */
function patchOwnerReferences<T extends KubeObject>(
  api: ApiServer,
  obj: DeepReadonly<T>,
  change: (refs: NonNullable<KubeObject['metadata']['ownerReferences']>) => NonNullable<KubeObject['metadata']['ownerReferences']>,
): DeepReadonly<T> | undefined {
  const current = api.get<T>(obj.kind, obj.metadata.namespace, obj.metadata.name);
  if (current === undefined || current.metadata.uid !== obj.metadata.uid) return undefined;
  const refs = change([...((current.metadata.ownerReferences ?? []) as NonNullable<KubeObject['metadata']['ownerReferences']>)]);
  const updated = { ...(current as T), metadata: { ...(current.metadata as T['metadata']), ownerReferences: refs.length > 0 ? refs : undefined } };
  if (updated.metadata.ownerReferences === undefined) delete updated.metadata.ownerReferences;
  try {
    return api.update(updated);
  } catch (error) {
    if (isApiError(error, 'NotFound')) return undefined;
    throw error;
  }
}
