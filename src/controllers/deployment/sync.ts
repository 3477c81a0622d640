/**
 * One Deployment sync's shared operations (pkg/controller/deployment/sync.go): find or create the
 * new ReplicaSet and keep revisions in step, scale ReplicaSets (proportionally when a rollout is
 * resized), clean up history, and write status.
 *
 * Upstream works on a deep copy `d` of the cached Deployment that it mutates as it goes and
 * writes with UpdateStatus; DeploymentSync holds that working copy. Its status writes carry the
 * cached resourceVersion, as upstream's do: a sync that read a Deployment its own last write has
 * not reached yet fails with a Conflict and is retried (rate-limited), and so does a second status
 * write in one sync (upstream discards the object the first one returns).
 */
import type { ApiServer } from '../../cluster/api-server.js';
import type { Deployment } from '../../api/types/deployment.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import { newControllerRef } from '../../api/pod-util.js';
import { isApiError } from '../../errors.js';
import { deepCopy, deepEqual } from '../../util/objects.js';
import type { ReconcileResult } from '../controller.js';
import {
  REVISION_ANNOTATION,
  getDesiredReplicasAnnotation,
  maxRevision,
  newReplicaSetAnnotationsChange,
  replicasAnnotationsNeedUpdate,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './annotations.js';
import { isRollingUpdate, maxSurge, maxUnavailable, newRSNewReplicas, replicasOf } from './fenceposts.js';
import { computeHash } from './hash.js';
import {
  Reason,
  calculateStatus,
  getDeploymentCondition,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  newDeploymentCondition,
  requeueStuckDeployment,
  rolloutStatusConditions,
  setDeploymentCondition,
} from './progress.js';
import { proportionalSizes } from './proportion.js';
import {
  POD_TEMPLATE_HASH_LABEL,
  compareByRevision,
  filterActive,
  findActiveOrLatest,
  findNewReplicaSet,
  isSaturated,
  specReplicas,
} from './replica-sets.js';

type ReadonlyRS = DeepReadonly<ReplicaSet>;

/** Upstream pads the stuck-deployment requeue by a second against clock skew. */
const STUCK_REQUEUE_PAD_MS = 1000;

export class DeploymentSync {
  /** The working copy, mutated by the sync as upstream's `d` is. */
  readonly d: Deployment;
  /**
   * ReplicaSets as this sync last wrote them, by uid. Upstream reuses its cached list after
   * writing and meets a Conflict on the next write of the same ReplicaSet; using what was just
   * written avoids that needless retry.
   */
  private written: Map<string, ReadonlyRS> | undefined;
  /**
   * API writes (create, update, updateStatus, delete) this sync attempted, successful or not:
   * only a sync that wrote nothing may be replayed (stuck-memo.ts).
   */
  private writes = 0;
  /**
   * Whether `d.status` is this sync's own object, free to change in place. It starts shared with
   * the cache (copied on the first change, by status()) and is shared again once handed to the
   * API server: most syncs only read it, and a status write stores it as it is.
   */
  private ownsStatus = false;
  /**
   * The last getAllReplicaSetsAndSyncRevision answer that wrote nothing, and the write count it
   * was computed at. A sync asks twice (isScalingEvent, then the rollout); when the first call
   * was a pure read and nothing was written since, the second answer is the first (every input is
   * the same: the working copy changes only with a write).
   *
   * How the sync's three memories relate: `written` holds the ReplicaSets this sync wrote (later
   * reads see them instead of the cache's stale ones); `ownsStatus` says whether the working
   * status may be changed in place; `found` only ever short-cuts a repeated read, and any write
   * invalidates it.
   */
  private found: { readonly writes: number; readonly newRS: ReadonlyRS | undefined; readonly oldRSs: readonly ReadonlyRS[] } | undefined;
  /**
   * maxSurge and maxUnavailable, resolved on first use: a sync asks for them several times, and
   * the spec they derive from is the cache's, which never changes.
   */
  private surge: number | undefined;
  private unavailable: number | undefined;

  constructor(
    readonly api: ApiServer,
    readonly now: Time,
    deployment: DeepReadonly<Deployment>,
    /** The ReplicaSets this Deployment controls, after claiming. */
    readonly rsList: readonly ReadonlyRS[],
  ) {
    // The sync changes only status and annotations; the spec stays shared with the cache, and so
    // do the status until the sync changes it (status()) and the metadata until the revision
    // annotation changes (setDeploymentRevision replaces it). Built field by field, not spread:
    // every working copy then has one hidden class (the cached objects come in several, from the
    // server's different writes), and the sync reads `d` everywhere.
    const d = deployment as Deployment;
    this.d = { apiVersion: d.apiVersion, kind: d.kind, metadata: d.metadata, spec: d.spec, status: d.status };
  }

  /** Whether this sync called any API write, successful or not. */
  get attemptedWrite(): boolean {
    return this.writes > 0;
  }

  get replicas(): number {
    return replicasOf(this.d);
  }

  /** maxSurge(d) (fenceposts.ts), resolved once per sync. */
  get maxSurge(): number {
    return (this.surge ??= maxSurge(this.d));
  }

  /** maxUnavailable(d) (fenceposts.ts), resolved once per sync. */
  get maxUnavailable(): number {
    return (this.unavailable ??= maxUnavailable(this.d));
  }

  // -------------------------------------------------------------------------------------------
  // New and old ReplicaSets

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when `create` and missing) with
   * its revision raised above every old one, and all the old ReplicaSets.
   */
  getAllReplicaSetsAndSyncRevision(create: boolean): { readonly newRS: ReadonlyRS | undefined; readonly oldRSs: readonly ReadonlyRS[] } {
    const found = this.found;
    if (found !== undefined && found.writes === this.writes && (found.newRS !== undefined || !create)) return found;
    const before = this.writes;
    const written = this.written;
    const rsList = written === undefined ? this.rsList : this.rsList.map((rs) => written.get(rs.metadata.uid ?? '') ?? rs);
    const existing = findNewReplicaSet(this.d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRS = this.getNewReplicaSet(existing, oldRSs, create);
    // Reusable only when this call wrote nothing: a call that wrote (say, the new ReplicaSet's
    // raised revision) stopped short of the rest of its work (the Deployment's own revision),
    // which the next call must do, as upstream's second call does.
    this.found = this.writes === before ? { writes: before, newRS, oldRSs } : undefined;
    return { newRS, oldRSs };
  }

  private getNewReplicaSet(existing: ReadonlyRS | undefined, oldRSs: readonly ReadonlyRS[], create: boolean): ReadonlyRS | undefined {
    const newRevision = maxRevision(oldRSs) + 1;
    const desired = this.replicas;
    const max = desired + this.maxSurge;
    if (existing !== undefined) {
      const minReadyNeedsUpdate = (existing.spec.minReadySeconds ?? 0) !== (this.d.spec.minReadySeconds ?? 0);
      // Checked before copying: on nearly every sync the new ReplicaSet is already annotated.
      if (minReadyNeedsUpdate || newReplicaSetAnnotationsChange(this.d, existing, newRevision)) {
        const rsCopy = shallowCopy(existing);
        const annotationsUpdated = setNewReplicaSetAnnotations(this.d, rsCopy, newRevision, true, desired, max);
        if (annotationsUpdated || minReadyNeedsUpdate) {
          rsCopy.spec.minReadySeconds = this.d.spec.minReadySeconds;
          if (rsCopy.spec.minReadySeconds === undefined) delete rsCopy.spec.minReadySeconds;
          this.writes++;
          return this.record(this.api.update(rsCopy));
        }
      }
      // Unchanged by setNewReplicaSetAnnotations when it returns false: the revision is existing's.
      let needsUpdate = setDeploymentRevision(this.d, existing.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
      if (hasProgressDeadline(this.d) && getDeploymentCondition(this.d.status, 'Progressing') === undefined) {
        const condition = newDeploymentCondition('Progressing', 'True', Reason.FoundNewReplicaSet, `Found new replica set "${existing.metadata.name}"`, this.now);
        setDeploymentCondition(this.status(), condition);
        needsUpdate = true;
      }
      if (needsUpdate) this.writeStatus();
      return existing;
    }
    if (!create) return undefined;
    return this.createNewReplicaSet(oldRSs, newRevision, desired, max);
  }

  private createNewReplicaSet(oldRSs: readonly ReadonlyRS[], newRevision: number, desired: number, max: number): ReadonlyRS | undefined {
    const d = this.d;
    const hash = computeHash(d.spec.template, d.status?.collisionCount);
    const template = deepCopy(d.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = deepCopy(d.spec.selector);
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [newControllerRef(d)],
      },
      spec: { replicas: 0, selector, template },
    };
    if (d.spec.minReadySeconds !== undefined) rs.spec.minReadySeconds = d.spec.minReadySeconds;
    rs.spec.replicas = newRSNewReplicas(d, [...oldRSs.map(specReplicas), 0], 0);
    setNewReplicaSetAnnotations(d, rs, newRevision, false, desired, max);
    let created: ReadonlyRS;
    try {
      this.writes++;
      created = this.api.create(rs);
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (error.reason === 'AlreadyExists') return this.handleHashCollision(rs, error);
      if (hasProgressDeadline(d)) {
        const message = `Failed to create new replica set "${rs.metadata.name}": ${error.message}`;
        setDeploymentCondition(this.status(), newDeploymentCondition('Progressing', 'False', Reason.ReplicaSetCreateError, message, this.now));
        this.writeStatus();
      }
      throw error;
    }
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (hasProgressDeadline(d)) {
      const message = `Created new replica set "${created.metadata.name}"`;
      setDeploymentCondition(this.status(), newDeploymentCondition('Progressing', 'True', Reason.NewReplicaSetCreated, message, this.now));
      needsUpdate = true;
    }
    if (needsUpdate) this.writeStatus();
    return created;
  }

  /**
   * A ReplicaSet with the new name exists: either ours (a stale cache) or a hash collision, in
   * which case collisionCount goes up and the sync is retried.
   */
  private handleHashCollision(rs: ReplicaSet, error: Error): ReadonlyRS {
    const existing = this.api.get<ReplicaSet>('ReplicaSet', rs.metadata.namespace, rs.metadata.name);
    if (existing !== undefined) {
      const ref = existing.metadata.ownerReferences?.find((r) => r.controller);
      if (ref?.uid === this.d.metadata.uid && findNewReplicaSet(this.d, [existing]) !== undefined) return existing;
    }
    this.status().collisionCount = (this.d.status?.collisionCount ?? 0) + 1;
    this.writeStatus();
    throw error;
  }

  // -------------------------------------------------------------------------------------------
  // Scaling

  /** scaleReplicaSet: resize and refresh the replicas annotations; returns the stored object. */
  scaleReplicaSet(rs: ReadonlyRS, newScale: number): { scaled: boolean; rs: ReadonlyRS } {
    const desired = this.replicas;
    const max = desired + this.maxSurge;
    const sizeNeedsUpdate = specReplicas(rs) !== newScale;
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const rsCopy = shallowCopy(rs);
    rsCopy.spec.replicas = newScale;
    setReplicasAnnotations(rsCopy, desired, max);
    this.writes++;
    return { scaled: sizeNeedsUpdate, rs: this.record(this.api.update(rsCopy)) };
  }

  /** scaleReplicaSetAndRecordEvent: as scaleReplicaSet, but only when the size differs. */
  scaleReplicaSetAndRecordEvent(rs: ReadonlyRS, newScale: number): { scaled: boolean; rs: ReadonlyRS } {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale);
  }

  /**
   * scale: on a scaling event or while paused. One active ReplicaSet takes all replicas; a
   * saturated new ReplicaSet retires the old ones; otherwise a rolling Deployment distributes
   * the change proportionally (proportion.ts).
   */
  scale(newRS: ReadonlyRS | undefined, oldRSs: readonly ReadonlyRS[]): void {
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest !== undefined) {
      if (specReplicas(activeOrLatest) !== this.replicas) this.scaleReplicaSetAndRecordEvent(activeOrLatest, this.replicas);
      return;
    }
    if (newRS !== undefined && isSaturated(this.d, newRS, getDesiredReplicasAnnotation(newRS))) {
      for (const old of filterActive(oldRSs)) this.scaleReplicaSetAndRecordEvent(old, 0);
      return;
    }
    if (!isRollingUpdate(this.d)) return;
    for (const { rs, size } of proportionalSizes(this.d, filterActive([...oldRSs, newRS]))) this.scaleReplicaSet(rs, size);
  }

  /** isScalingEvent: an active ReplicaSet was last sized for a different replica count. */
  isScalingEvent(): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    // Every sync asks: the ReplicaSets are read where they are, not gathered into a list first.
    for (const rs of oldRSs) if (this.sizedForOtherReplicas(rs)) return true;
    return newRS !== undefined && this.sizedForOtherReplicas(newRS);
  }

  /** An active ReplicaSet whose desired-replicas annotation differs from the Deployment's replicas. */
  private sizedForOtherReplicas(rs: ReadonlyRS): boolean {
    if (specReplicas(rs) <= 0) return false;
    const desired = getDesiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== this.replicas;
  }

  /** sync: scaling only (scaling events and paused Deployments), then status. */
  sync(): ReconcileResult | void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    this.scale(newRS, oldRSs);
    if (this.d.spec.paused) this.cleanupDeployment(oldRSs);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  // -------------------------------------------------------------------------------------------
  // History and status

  /** cleanupDeployment: delete the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
  cleanupDeployment(oldRSs: readonly ReadonlyRS[]): void {
    if (!hasRevisionHistoryLimit(this.d)) return;
    const cleanable = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined);
    const diff = cleanable.length - (this.d.spec.revisionHistoryLimit as number);
    if (diff <= 0) return;
    cleanable.sort(compareByRevision);
    for (const rs of cleanable.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      this.writes++;
      try {
        this.api.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name);
      } catch (error) {
        if (!isApiError(error, 'NotFound')) throw error;
      }
    }
  }

  /** syncDeploymentStatus: write the calculated status if it changed. */
  syncDeploymentStatus(allRSs: readonly (ReadonlyRS | undefined)[], newRS: ReadonlyRS | undefined): void {
    const status = calculateStatus(allRSs, newRS, this.d, this.now, this.maxUnavailable);
    if (deepEqual(this.d.status, status)) return;
    this.setStatus(status);
    this.writeStatus();
  }

  /**
   * syncRolloutStatus: status plus the Progressing condition; when nothing changed, schedule the
   * progress-deadline check (requeueStuckDeployment).
   */
  syncRolloutStatus(allRSs: readonly (ReadonlyRS | undefined)[], newRS: ReadonlyRS | undefined): ReconcileResult | void {
    const status = rolloutStatusConditions(this.d, calculateStatus(allRSs, newRS, this.d, this.now, this.maxUnavailable), allRSs, newRS, this.now);
    if (deepEqual(this.d.status, status)) {
      const after = requeueStuckDeployment(this.d, status, this.now);
      if (after === 0) return { requeueRateLimited: true };
      if (after > 0) return { requeueAfter: after + STUCK_REQUEUE_PAD_MS };
      return;
    }
    this.setStatus(status);
    this.writeStatus();
  }

  /** checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed. */
  checkPausedConditions(): void {
    if (!hasProgressDeadline(this.d)) return;
    const condition = getDeploymentCondition(this.d.status, 'Progressing');
    if (condition?.reason === Reason.ProgressDeadlineExceeded) return;
    const pausedConditionExists = condition?.reason === Reason.DeploymentPaused;
    if (this.d.spec.paused && !pausedConditionExists) {
      setDeploymentCondition(this.status(), newDeploymentCondition('Progressing', 'Unknown', Reason.DeploymentPaused, 'Deployment is paused', this.now));
    } else if (!this.d.spec.paused && pausedConditionExists) {
      setDeploymentCondition(this.status(), newDeploymentCondition('Progressing', 'Unknown', Reason.DeploymentResumed, 'Deployment is resumed', this.now));
    } else {
      return;
    }
    this.writeStatus();
  }

  private record(rs: ReadonlyRS): ReadonlyRS {
    (this.written ??= new Map()).set(rs.metadata.uid ?? '', rs);
    return rs;
  }

  /**
   * Status of the working copy, to change: created on first use, copied from the shared one on
   * the first change (a shallow copy: changes replace its fields, never change them in place —
   * setDeploymentCondition builds a new conditions list).
   */
  status(): NonNullable<Deployment['status']> {
    if (!this.ownsStatus) {
      this.d.status = { ...this.d.status };
      this.ownsStatus = true;
    }
    return this.d.status as NonNullable<Deployment['status']>;
  }

  /** Replaces the working copy's status with a freshly calculated one (this sync's own). */
  private setStatus(status: NonNullable<Deployment['status']>): void {
    this.d.status = status;
    this.ownsStatus = true;
  }

  /**
   * UpdateStatus of the working copy. The Deployment status strategy also accepts annotation
   * changes, which is how the revision annotation reaches the Deployment.
   */
  writeStatus(): void {
    this.writes++;
    try {
      // The API server keeps the status it is given: it goes as it is and is shared from now on
      // (a later change copies it first, see status()). Of the metadata, a status write reads
      // only what names the object (name, namespace, uid), its resourceVersion (the precondition)
      // and the annotations (which it copies).
      const { apiVersion, kind, metadata, status } = this.d;
      const request = { name: metadata.name, namespace: metadata.namespace, uid: metadata.uid, resourceVersion: metadata.resourceVersion, annotations: metadata.annotations };
      this.ownsStatus = false;
      this.api.updateStatus<Deployment>({ apiVersion, kind, metadata: request, spec: this.d.spec, status });
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
  }
}

/**
 * A copy whose metadata and spec can be replaced field by field (annotations and replicas are
 * all a sync changes on a ReplicaSet); nested values stay shared with the stored object.
 */
function shallowCopy(rs: ReadonlyRS): ReplicaSet {
  return { ...(rs as ReplicaSet), metadata: { ...(rs.metadata as ReplicaSet['metadata']) }, spec: { ...(rs.spec as ReplicaSet['spec']) } };
}
