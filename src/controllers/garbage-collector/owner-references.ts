/**
 * The pure rules of the garbage collector (pkg/controller/garbagecollector/garbagecollector.go,
 * operations.go, patch.go): which owner references are solid, dangling or waiting, which
 * deletion policy a dependent is deleted with, and the metadata patches the collector sends.
 *
 * Patches are modelled as the project models them elsewhere (controller-ref.ts): read the live
 * object, check its uid, change metadata, update. Upstream's patches carry no resourceVersion
 * (ownerReferences) or the live one (finalizers), so neither conflicts with a stale cache.
 */
import { type ApiServer, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy } from '../../cluster/api-server.js';
import type { DeepReadonly, KubeObject, ObjectMeta, OwnerReference } from '../../api/types/meta.js';
import { isApiError } from '../../errors.js';

type ReadonlyObject = DeepReadonly<KubeObject>;
type ReadonlyRef = DeepReadonly<OwnerReference>;

/** What an owner reference points at, as attemptToDeleteItem classifies it. */
export type OwnerState = 'solid' | 'dangling' | 'waiting';

/** The owner references of one dependent, grouped by the state of their owners (classifyReferences). */
export interface ClassifiedReferences {
  /** Owners that exist and are not deleting their dependents in the foreground. */
  readonly solid: readonly ReadonlyRef[];
  /** Owners that are gone (or were never seen). */
  readonly dangling: readonly ReadonlyRef[];
  /** Owners being deleted in the foreground: they wait for this dependent. */
  readonly waitingForDependentsDeletion: readonly ReadonlyRef[];
}

/** Whether `meta` lists `finalizer`. */
export function hasFinalizer(meta: DeepReadonly<ObjectMeta>, finalizer: string): boolean {
  return meta.finalizers?.includes(finalizer) ?? false;
}

/** Being deleted in the foreground: deletionTimestamp set and the foregroundDeletion finalizer present. */
export function isDeletingDependents(obj: ReadonlyObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined && hasFinalizer(obj.metadata, FOREGROUND_FINALIZER);
}

/** Being deleted with Orphan propagation: deletionTimestamp set and the orphan finalizer present. */
export function isOrphaningDependents(obj: ReadonlyObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined && hasFinalizer(obj.metadata, ORPHAN_FINALIZER);
}

/** Whether `dependent` holds an owner reference to `ownerUid` with `blockOwnerDeletion: true`. */
export function blocksOwnerDeletion(dependent: ReadonlyObject, ownerUid: string): boolean {
  return dependent.metadata.ownerReferences?.some((ref) => ref.uid === ownerUid && ref.blockOwnerDeletion === true) ?? false;
}

/** Groups a dependent's owner references by `stateOf` (classifyReferences). */
export function classifyReferences(refs: readonly ReadonlyRef[], stateOf: (ref: ReadonlyRef) => OwnerState): ClassifiedReferences {
  const solid: ReadonlyRef[] = [];
  const dangling: ReadonlyRef[] = [];
  const waitingForDependentsDeletion: ReadonlyRef[] = [];
  for (const ref of refs) {
    const state = stateOf(ref);
    if (state === 'solid') solid.push(ref);
    else if (state === 'dangling') dangling.push(ref);
    else waitingForDependentsDeletion.push(ref);
  }
  return { solid, dangling, waitingForDependentsDeletion };
}

/**
 * The propagation policy a dependent without solid owners is deleted with: its own orphan or
 * foreground finalizer if it carries one, else Background (attemptToDeleteItem's default case).
 */
export function deletionPolicyFor(obj: ReadonlyObject): PropagationPolicy {
  if (hasFinalizer(obj.metadata, ORPHAN_FINALIZER)) return 'Orphan';
  if (hasFinalizer(obj.metadata, FOREGROUND_FINALIZER)) return 'Foreground';
  return 'Background';
}

/**
 * Changes the live object's metadata and writes it back. `change` returns undefined when there
 * is nothing to do. An object that is gone or was replaced (another uid) is skipped: the
 * collector's business with it is over. Any other failure is thrown, for a retry with backoff.
 */
export function patchMetadata(
  api: ApiServer,
  obj: ReadonlyObject,
  change: (meta: DeepReadonly<ObjectMeta>) => ObjectMeta | undefined,
): void {
  const current = api.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
  if (current === undefined || current.metadata.uid !== obj.metadata.uid) return;
  const metadata = change(current.metadata);
  if (metadata === undefined) return;
  try {
    api.update({ ...(current as KubeObject), metadata });
  } catch (error) {
    if (!isApiError(error, 'NotFound')) throw error;
  }
}

/** Metadata without the owner references to `uids`, or undefined when none is there (deleteOwnerRefJSONMergePatch). */
export function withoutOwnerReferences(meta: DeepReadonly<ObjectMeta>, uids: ReadonlySet<string>): ObjectMeta | undefined {
  const refs = meta.ownerReferences ?? [];
  const kept = refs.filter((ref) => !uids.has(ref.uid));
  if (kept.length === refs.length) return undefined;
  return withField(meta, 'ownerReferences', kept.length > 0 ? (kept as OwnerReference[]) : undefined);
}

/** Metadata whose owner references no longer block their owners' deletion (unblockOwnerReferencesJSONMergePatch). */
export function withUnblockedOwnerReferences(meta: DeepReadonly<ObjectMeta>): ObjectMeta | undefined {
  const refs = meta.ownerReferences ?? [];
  if (!refs.some((ref) => ref.blockOwnerDeletion === true)) return undefined;
  const unblocked = refs.map((ref) => (ref.blockOwnerDeletion === true ? { ...(ref as OwnerReference), blockOwnerDeletion: false } : (ref as OwnerReference)));
  return withField(meta, 'ownerReferences', unblocked);
}

/** Metadata without `finalizer`, or undefined when it is not there (removeFinalizer). */
export function withoutFinalizer(meta: DeepReadonly<ObjectMeta>, finalizer: string): ObjectMeta | undefined {
  const finalizers = meta.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return undefined;
  const kept = finalizers.filter((f) => f !== finalizer);
  return withField(meta, 'finalizers', kept.length > 0 ? kept : undefined);
}

/** A copy of `meta` with one field set, or removed when `value` is undefined (so stored objects stay clean). */
function withField<K extends keyof ObjectMeta>(meta: DeepReadonly<ObjectMeta>, field: K, value: ObjectMeta[K] | undefined): ObjectMeta {
  const copy = { ...(meta as ObjectMeta) };
  if (value === undefined) delete copy[field];
  else copy[field] = value;
  return copy;
}
