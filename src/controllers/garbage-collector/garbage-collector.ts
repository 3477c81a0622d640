/**
 * The garbage collector (pkg/controller/garbagecollector/garbagecollector.go, graph_builder.go):
 * cascading deletion through ownerReferences, for every kind the API server serves.
 *
 * - Background: when an owner is removed, each dependent whose owners are all gone is deleted
 *   with Background propagation; a dependent that keeps a solid owner only loses its dangling
 *   references (attemptToDeleteItem). A dependent created after its owner was gone is collected
 *   the same way (upstream's "virtual" owner nodes).
 * - Foreground: an owner carrying `foregroundDeletion` has its dependents deleted (those with
 *   dependents of their own in the foreground too) and loses the finalizer once no dependent
 *   with `blockOwnerDeletion: true` is left (processDeletingDependentsItem).
 * - Orphan: an owner carrying `orphan` has its references removed from every dependent, then
 *   loses the finalizer (orphanDependents).
 *
 * Upstream's dependency graph is replaced by the informers' owner-uid index (owner → dependents)
 * and a uid → cache location map fed by the same watch events (is this owner present?). Work items are
 * object uids, so a recreated object with the same name is a different item and a different
 * owner. Handlers only enqueue uids; reconcile re-reads the current state. Every lookup goes
 * through the index or the map, so a reconcile costs the object's own references and dependents,
 * never the cluster size.
 *
 * Deliberate gaps:
 * - Owners are looked up by uid in the informers' view, checking kind and name; upstream's
 *   live GET and its checks that an owner's namespace and scope fit the dependent are absent,
 *   and so is its absent-owner cache (lookups here are local and cheap).
 * - A reference to a kind the simulator does not serve counts as solid: it is never collected,
 *   where upstream retries its REST mapping forever.
 * - Timing: upstream runs its own watches and pools of workers (attemptToDelete, attemptToOrphan)
 *   with their own latency; here one reconcile per uid at the instant, off the shared informers.
 * - A foreground owner's dependents are enqueued once, when it starts waiting; its later passes
 *   only check for a blocking dependent. Upstream re-enqueues every blocking dependent on each
 *   pass; here late dependents enqueue themselves and failed deletes retry under their own uid.
 * - Upstream's cycle breaking (unblocking the references of an item whose dependent is itself
 *   deleting dependents) is kept with its false positives; no other cycle detection.
 */
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy } from '../../cluster/api-server.js';
import { INDEX_OWNER_UID, type Informer } from '../../cluster/informer.js';
import { kindInfo, servedKinds } from '../../api/kinds.js';
import { metaKey } from '../../api/object-key.js';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../api/types/meta.js';
import { isApiError } from '../../errors.js';
import { deepEqual } from '../../util/objects.js';
import type { Controller, ControllerContext, Enqueue } from '../controller.js';
import {
  type OwnerState,
  blocksOwnerDeletion,
  classifyReferences,
  deletionPolicyFor,
  isDeletingDependents,
  isOrphaningDependents,
  patchMetadata,
  withUnblockedOwnerReferences,
  withoutFinalizer,
  withoutOwnerReferences,
} from './owner-references.js';

type ReadonlyObject = DeepReadonly<KubeObject>;

/** An object's place in the informers: which one caches it, under which key. */
interface CachedAt {
  readonly informer: Informer<KubeObject>;
  readonly key: string;
}

/** The garbage collector; its work-queue keys are object uids. */
export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  private readonly informers: readonly Informer<KubeObject>[];
  /**
   * Where every object the informers hold is cached, by uid: the collector's answer to "does this
   * owner exist?". Set when the object arrives and never changed after (a uid names one object,
   * under one key, for life), so the far more frequent updates write nothing here.
   */
  private readonly byUid = new Map<string, CachedAt>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.informers = servedKinds().map((info) => ctx.informers.forKind<KubeObject>(info.kind));
    for (const informer of this.informers) {
      informer.addEventHandler({
        add: (obj) => {
          this.byUid.set(obj.metadata.uid ?? '', { informer, key: metaKey(obj.metadata) });
          this.onAddOrUpdate(undefined, obj);
        },
        update: (old, obj) => this.onAddOrUpdate(old, obj),
        delete: (obj) => this.onDelete(obj),
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers: watch events → uids (graph_builder.go: processGraphChanges)

  private onAddOrUpdate(old: ReadonlyObject | undefined, obj: ReadonlyObject): void {
    const uid = obj.metadata.uid ?? '';
    // A dependent that dropped or unblocked a reference may be what a foreground owner waited for.
    if (old !== undefined && !deepEqual(old.metadata.ownerReferences, obj.metadata.ownerReferences)) this.enqueueDeletingOwners(old);
    // startsWaitingForDependentsDeleted: every dependent must now be dealt with. Later dependents
    // enqueue themselves (their owner is waiting), failed ones retry under their own uid.
    if (isDeletingDependents(obj) && (old === undefined || !isDeletingDependents(old))) {
      this.enqueueDependents(uid);
    }
    if (this.needsAttention(obj, old)) this.queue.add(uid);
  }

  private onDelete(obj: ReadonlyObject): void {
    const uid = obj.metadata.uid ?? '';
    this.byUid.delete(uid);
    this.enqueueDependents(uid);
    this.enqueueDeletingOwners(obj);
  }

  /**
   * Whether the collector has work on `obj`: it is being deleted with a finalizer the collector
   * owns, or (not being deleted) one of its owners is gone or deleting in the foreground.
   */
  private needsAttention(obj: ReadonlyObject, old: ReadonlyObject | undefined): boolean {
    if (obj.metadata.deletionTimestamp !== undefined) return isDeletingDependents(obj) || isOrphaningDependents(obj);
    // The same references as before: their owners are checked when they change, not here — an
    // owner that goes, or starts deleting its dependents in the foreground, enqueues every
    // dependent itself (onDelete, onAddOrUpdate). Most updates are status writes that keep the
    // references, and this saves them a lookup per owner.
    if (old !== undefined && old.metadata.ownerReferences === obj.metadata.ownerReferences) return false;
    return obj.metadata.ownerReferences?.some((ref) => this.ownerState(ref) !== 'solid') ?? false;
  }

  /** Wakes the foreground owners `obj` blocked: only blocking references bear on their decision. */
  private enqueueDeletingOwners(obj: ReadonlyObject): void {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      if (ref.blockOwnerDeletion !== true) continue;
      const owner = this.objectOf(ref.uid);
      if (owner !== undefined && isDeletingDependents(owner)) this.queue.add(ref.uid);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Lookups

  /** The informers' current state of the object with this uid, if they hold it. */
  private objectOf(uid: string): ReadonlyObject | undefined {
    const at = this.byUid.get(uid);
    const obj = at === undefined ? undefined : at.informer.getByKey(at.key);
    // The uid is checked too: a re-created object under the same key is another object.
    return obj?.metadata.uid === uid ? obj : undefined;
  }

  /** isDangling plus the foreground check of classifyReferences, against the informers' view. */
  private ownerState(ref: DeepReadonly<OwnerReference>): OwnerState {
    if (kindInfo(ref.kind) === undefined) return 'solid';
    const owner = this.objectOf(ref.uid);
    if (owner === undefined || owner.kind !== ref.kind || owner.metadata.name !== ref.name) return 'dangling';
    return isDeletingDependents(owner) ? 'waiting' : 'solid';
  }

  /** Objects of every served kind with an owner reference to `uid`, through the owner index. */
  private dependentsOf(uid: string): ReadonlyObject[] {
    const dependents: ReadonlyObject[] = [];
    for (const informer of this.informers) {
      for (const dependent of informer.byIndex(INDEX_OWNER_UID, uid).values()) dependents.push(dependent);
    }
    return dependents;
  }

  /**
   * Enqueues every dependent of `uid`, in the order of {@link dependentsOf}. Every deleted object
   * asks, and nearly all (pods) have no dependents: each informer is first asked for a count,
   * which allocates nothing, where a view and its array of values would be made per served kind.
   */
  private enqueueDependents(uid: string): void {
    for (const informer of this.informers) {
      if (informer.countIndexed(INDEX_OWNER_UID, uid) === 0) continue;
      informer.byIndex(INDEX_OWNER_UID, uid).forEach((dependent) => this.queue.add(dependent.metadata.uid ?? ''));
    }
  }

  /** Counts, not views: see {@link enqueueDependents}. */
  private hasDependents(uid: string): boolean {
    return this.informers.some((informer) => informer.countIndexed(INDEX_OWNER_UID, uid) > 0);
  }

  /** Stops at the first blocking dependent: usually the first one looked at. */
  private hasBlockingDependent(uid: string): boolean {
    for (const informer of this.informers) {
      for (const dependent of informer.byIndex(INDEX_OWNER_UID, uid).values()) if (blocksOwnerDeletion(dependent, uid)) return true;
    }
    return false;
  }

  // -------------------------------------------------------------------------------------------
  // Reconcile

  reconcile(uid: string): void {
    const obj = this.objectOf(uid);
    if (obj === undefined) return;
    if (obj.metadata.deletionTimestamp !== undefined) {
      // An object being deleted is the collector's business only through its finalizers; orphaning
      // goes first, so an object carrying both ends up with no dependents to wait for.
      if (isOrphaningDependents(obj)) this.orphanDependents(obj);
      else if (isDeletingDependents(obj)) this.processDeletingDependents(obj);
      return;
    }
    this.attemptToDelete(obj);
  }

  /** attemptToDeleteItem for an object not being deleted: act on the state of its owners. */
  private attemptToDelete(obj: ReadonlyObject): void {
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const { solid, dangling, waitingForDependentsDeletion: waiting } = classifyReferences(refs, (ref) => this.ownerState(ref));
    if (solid.length > 0) {
      // Kept alive by a solid owner: it only stops pointing at owners that are gone or going.
      if (dangling.length === 0 && waiting.length === 0) return;
      const uids = new Set([...dangling, ...waiting].map((ref) => ref.uid));
      patchMetadata(this.ctx.api, obj, (meta) => withoutOwnerReferences(meta, uids));
      return;
    }
    const uid = obj.metadata.uid ?? '';
    if (waiting.length > 0 && this.hasDependents(uid)) {
      // An owner waits for this object, which has dependents of its own: delete it in the
      // foreground too, so the owner goes only after the whole subtree. If one of those dependents
      // is itself deleting dependents there may be a cycle; stop blocking the owners to break it.
      if (this.dependentsOf(uid).some(isDeletingDependents)) patchMetadata(this.ctx.api, obj, withUnblockedOwnerReferences);
      this.deleteObject(obj, 'Foreground');
      return;
    }
    this.deleteObject(obj, deletionPolicyFor(obj));
  }

  /**
   * processDeletingDependentsItem: release the owner once no dependent blocks its deletion;
   * dependents without blockOwnerDeletion are not waited for. Its dependents were enqueued when
   * it started waiting, so this is a check, not a walk (upstream re-enqueues every blocking
   * dependent on each pass, which costs a pass over them per dependent gone).
   */
  private processDeletingDependents(owner: ReadonlyObject): void {
    const uid = owner.metadata.uid ?? '';
    if (!this.hasBlockingDependent(uid)) patchMetadata(this.ctx.api, owner, (meta) => withoutFinalizer(meta, FOREGROUND_FINALIZER));
  }

  /** orphanDependents then removeFinalizer: the dependents stay, without references to the owner. */
  private orphanDependents(owner: ReadonlyObject): void {
    const uids = new Set([owner.metadata.uid ?? '']);
    for (const dependent of this.dependentsOf(owner.metadata.uid ?? '')) {
      patchMetadata(this.ctx.api, dependent, (meta) => withoutOwnerReferences(meta, uids));
    }
    patchMetadata(this.ctx.api, owner, (meta) => withoutFinalizer(meta, ORPHAN_FINALIZER));
  }

  /** deleteObject: a delete with a uid precondition; an object already gone or replaced is done with. */
  private deleteObject(obj: ReadonlyObject, propagationPolicy: PropagationPolicy): void {
    try {
      this.ctx.api.delete(obj.kind, obj.metadata.namespace, obj.metadata.name, {
        propagationPolicy,
        preconditions: { uid: obj.metadata.uid },
      });
    } catch (error) {
      if (!isApiError(error, 'NotFound') && !isApiError(error, 'Conflict')) throw error;
    }
  }
}

/** Builds the garbage collector and registers its handlers on the informer of every served kind. */
export function garbageCollector(ctx: ControllerContext, queue: Enqueue): GarbageCollector {
  return new GarbageCollector(ctx, queue);
}
