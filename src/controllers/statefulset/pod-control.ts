/**
 * The StatefulSet controller's writes (pkg/controller/statefulset/stateful_pod_control.go):
 * creating a pod after its claims, deleting a pod, bringing an existing pod's identity, storage
 * and claim ownership in line, and the checks on claims that gate pod creation.
 *
 * Claims are read through the PersistentVolumeClaim informer, as upstream reads its lister, so a
 * claim created a moment ago may not be seen yet: creating it again meets AlreadyExists and the
 * sync is retried, as upstream.
 *
 * Deliberate differences: a pod update meeting a Conflict is not retried in place (upstream
 * re-reads its cache up to five times); the work queue retries the sync instead. The
 * Successful/Failed Kubernetes Events of each write are not recorded: the run's events are
 * derived from the objects (metrics/events/statefulset-events.ts), and failures show as
 * ReconcileError.
 */
import type { ApiServer } from '../../cluster/api-server.js';
import type { Informer } from '../../cluster/informer.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { PersistentVolumeClaim } from '../../api/types/persistent-volume-claim.js';
import type { Pod } from '../../api/types/pod.js';
import type { StatefulSet } from '../../api/types/statefulset.js';
import { ApiError, isApiError } from '../../errors.js';
import { deepEqual } from '../../util/objects.js';
import {
  getPersistentVolumeClaimRetentionPolicy,
  hasStaleOwnerRef,
  isClaimOwnerUpToDate,
  podOwner,
  updateClaimOwnerRefForSetAndPod,
} from './claim-retention.js';
import { getOrdinal, getPersistentVolumeClaimName, identityMatches, newPersistentVolumeClaim, storageMatches, storageVolumes, updateIdentity } from './identity.js';
import { type PodFacts, isPending, podFacts } from './pod-state.js';
import { objectKey } from '../../api/object-key.js';

type ReadonlySet = DeepReadonly<StatefulSet>;
type AnyPod = DeepReadonly<Pod> | Pod;

type ReadonlyClaim = DeepReadonly<PersistentVolumeClaim>;

/** A pod's claim names and informer keys, for one set's templates. */
interface PodClaimKeys {
  readonly templates: object | undefined;
  readonly names: readonly string[];
  readonly keys: readonly string[];
}

export class StatefulPodControl {
  /**
   * How many changes the claim informer has seen: while it stays the same, every claim lookup
   * answers as before (see isConsistent).
   */
  private claimChanges = 0;

  /** How many changes the claim informer has seen (an answer of isConsistent holds while this stays). */
  get changesSeen(): number {
    return this.claimChanges;
  }
  /**
   * Claim keys by (immutable) pod object: every sync looks every pod's claims up, and a key
   * string built once keeps its hash.
   */
  private readonly claimKeysByPod = new WeakMap<object, PodClaimKeys>();

  constructor(
    private readonly api: ApiServer,
    private readonly claims: Informer<PersistentVolumeClaim>,
  ) {
    // Counts only; enqueues nothing (claim events do not wake a set, as upstream).
    const changed = (): void => void this.claimChanges++;
    claims.addEventHandler({ add: changed, update: changed, delete: changed });
  }

  /** The names and informer keys of the pod's claims, in template order. */
  private claimKeys(set: ReadonlySet, pod: AnyPod): PodClaimKeys {
    let cached = this.claimKeysByPod.get(pod);
    if (cached === undefined || cached.templates !== set.spec.volumeClaimTemplates) {
      const ordinal = getOrdinal(pod);
      const names = (set.spec.volumeClaimTemplates ?? []).map((template) => getPersistentVolumeClaimName(set, template.metadata.name, ordinal));
      cached = { templates: set.spec.volumeClaimTemplates, names, keys: names.map((name) => objectKey(set.metadata.namespace, name)) };
      this.claimKeysByPod.set(pod, cached);
    }
    return cached;
  }

  /** The pod's claims in template order, as the informer holds them (undefined when missing). */
  private podClaims(set: ReadonlySet, pod: AnyPod): { readonly names: readonly string[]; readonly claims: (ReadonlyClaim | undefined)[] } {
    const { names, keys } = this.claimKeys(set, pod);
    return { names, claims: keys.map((key) => this.claims.getByKey(key)) };
  }

  /**
   * Whether processReplica has nothing to repair on this existing pod: when it is pending, every
   * claim exists, is not being deleted and has the owners the policy wants
   * (createMissingPersistentVolumeClaims writes nothing); its identity and storage match; and
   * every existing claim has the wanted owners (claimsMatchRetentionPolicy). A false answer
   * means only "look closer": the caller then takes upstream's path.
   *
   * Every sync asks this of every pod of the set, so a pod found consistent is remembered with
   * its facts (by immutable pod object), with this control, the set's spec object and uid, and
   * the claim objects it was checked against. The answer depends on nothing else: the set's name and namespace go
   * with its uid, the checks read no template (so the set at its update revision, which differs
   * only in its template, gets the same answer) and no status, and stored objects never change,
   * so the same objects give the same answer. The claims need not even be looked up again while
   * the claim informer has seen no change since they were last found to be the same.
   */
  isConsistent(set: ReadonlySet, pod: DeepReadonly<Pod>, facts: PodFacts = podFacts(pod)): boolean {
    const known = facts.consistentWith;
    if (known !== undefined && known.control === this && known.spec === set.spec && known.uid === set.metadata.uid) {
      if (known.claimsSeenAt === this.claimChanges) return true;
      const { keys } = this.claimKeys(set, pod);
      let same = true;
      for (let i = 0; i < keys.length && same; i++) same = this.claims.getByKey(keys[i]) === known.claims[i];
      if (same) {
        known.claimsSeenAt = this.claimChanges;
        return true;
      }
    }
    const pending = isPending(pod);
    const claims = this.claimKeys(set, pod).keys.map((key) => this.claims.getByKey(key));
    for (const claim of claims) {
      if (claim === undefined) {
        if (pending) return false;
        continue;
      }
      if (pending && claim.metadata.deletionTimestamp !== undefined) return false;
      if (!isClaimOwnerUpToDate(claim, set, pod)) return false;
    }
    if (!identityMatches(set, pod) || !storageMatches(set, pod)) return false;
    facts.consistentWith = { control: this, spec: set.spec, uid: set.metadata.uid, claims, claimsSeenAt: this.claimChanges };
    return true;
  }

  /** CreateStatefulPod: the pod's claims first, then the pod, then the claims' owner references. */
  createStatefulPod(set: ReadonlySet, pod: Pod): void {
    this.createPersistentVolumeClaims(set, pod);
    // The API server takes ownership of what it is given: it gets a copy, and `pod` stays the
    // local object (without a uid), as upstream discards the created pod.
    this.api.create<Pod>({ ...pod, metadata: { ...pod.metadata } });
    this.updatePodClaimForRetentionPolicy(set, pod);
  }

  /**
   * UpdateStatefulPod: restore the pod's identity and storage (creating missing claims) and its
   * claims' owner references; the pod is written only when something changed.
   */
  updateStatefulPod(set: ReadonlySet, current: DeepReadonly<Pod>): void {
    const pod = structuredClone(current) as Pod;
    let consistent = true;
    if (!identityMatches(set, pod)) {
      updateIdentity(set, pod);
      consistent = false;
    }
    if (!storageMatches(set, pod)) {
      pod.spec.volumes = storageVolumes(set, pod);
      consistent = false;
      this.createPersistentVolumeClaims(set, pod);
    }
    if (!this.claimsMatchRetentionPolicy(set, pod)) {
      this.updatePodClaimForRetentionPolicy(set, pod);
      consistent = false;
    }
    if (consistent) return;
    this.api.update(pod);
  }

  /** DeleteStatefulPod: a plain delete (the pod's claims stay, unless their owners say otherwise). */
  deleteStatefulPod(pod: AnyPod): void {
    this.api.delete('Pod', pod.metadata.namespace, pod.metadata.name);
  }

  /** ClaimsMatchRetentionPolicy: every existing claim of the pod has the references the policy wants. */
  claimsMatchRetentionPolicy(set: ReadonlySet, pod: AnyPod): boolean {
    // A missing claim is picked up by a later sync.
    for (const claim of this.podClaims(set, pod).claims) if (claim !== undefined && !isClaimOwnerUpToDate(claim, set, pod)) return false;
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy: rewrite the owner references of the claims that need it. */
  updatePodClaimForRetentionPolicy(set: ReadonlySet, pod: AnyPod): void {
    for (const claim of this.podClaims(set, pod).claims) {
      if (claim === undefined || isClaimOwnerUpToDate(claim, set, pod)) continue;
      const ownerReferences = updateClaimOwnerRefForSetAndPod(claim.metadata.ownerReferences, set, pod);
      const metadata: PersistentVolumeClaim['metadata'] = { ...(claim.metadata as PersistentVolumeClaim['metadata']), ownerReferences };
      if (ownerReferences.length === 0) delete metadata.ownerReferences;
      if (deepEqual(metadata.ownerReferences, claim.metadata.ownerReferences)) continue;
      this.api.update<PersistentVolumeClaim>({ ...(claim as PersistentVolumeClaim), metadata });
    }
  }

  /**
   * PodClaimIsStale: under whenScaled Delete, a claim that still belongs to an earlier pod of the
   * same name (about to be garbage collected) must be gone before the pod is created again.
   */
  podClaimIsStale(set: ReadonlySet, pod: AnyPod): boolean {
    if (getPersistentVolumeClaimRetentionPolicy(set).whenScaled === 'Retain') return false;
    const owner = podOwner(pod);
    return this.podClaims(set, pod).claims.some((existing) => existing !== undefined && hasStaleOwnerRef(existing.metadata.ownerReferences, owner));
  }

  /** createMissingPersistentVolumeClaims: for a pending pod, its missing claims and their references. */
  createMissingPersistentVolumeClaims(set: ReadonlySet, pod: AnyPod): void {
    this.createPersistentVolumeClaims(set, pod);
    this.updatePodClaimForRetentionPolicy(set, pod);
  }

  /**
   * createPersistentVolumeClaims: create each claim the informer does not hold; a claim being
   * deleted is an error (the pod would lose its storage). Every claim is attempted; the first
   * error is thrown at the end, as upstream aggregates them.
   */
  createPersistentVolumeClaims(set: ReadonlySet, pod: AnyPod): void {
    let firstError: ApiError | undefined;
    const ordinal = getOrdinal(pod);
    const templates = set.spec.volumeClaimTemplates ?? [];
    const { names, claims } = this.podClaims(set, pod);
    for (let i = 0; i < templates.length; i++) {
      const name = names[i];
      const existing = claims[i];
      if (existing === undefined) {
        try {
          this.api.create(newPersistentVolumeClaim(set, templates[i], ordinal));
        } catch (error) {
          if (!isApiError(error)) throw error;
          firstError ??= new ApiError(error.reason, `failed to create PVC ${name}: ${error.message}`, error.fieldErrors);
        }
      } else if (existing.metadata.deletionTimestamp !== undefined) {
        firstError ??= new ApiError('Forbidden', `pvc ${name} is being deleted`);
      }
    }
    if (firstError !== undefined) throw firstError;
  }
}
