/**
 * What the last sync of a Parallel StatefulSet saw, kept so that the next sync costs the pods
 * that changed since rather than all of the set's pods.
 *
 * Upstream's sync looks at every pod of the set, and every pod transition wakes the set: a set of
 * n replicas does O(n) work O(n) times. In Parallel pod management nothing orders the pods, so
 * a pod's part in a sync depends only on that pod (as its object stands), the set's spec, the
 * revisions and the pod's claims: a pod that was left alone by the last sync — it exists, is
 * neither failed nor succeeded, and its identity, storage and claims are as the set wants them
 * (StatefulPodControl.isConsistent) — is left alone by this one too, as long as none of those
 * changed. What the status and the rolling update count of a pod (created, Running and Ready,
 * Ready since when, terminating, at which revision) is kept per ordinal in typed arrays, and
 * summed in counters (and, for minReadySeconds, sorted Ready times) kept up to date as pods come
 * and go, so a sync reads them without touching the pod objects.
 *
 * The controller's pod event handlers record which pods changed (`dirty`); a sync re-reads those
 * from the informer (applyDirty) and goes through processReplica for the ordinals that need it
 * (`pending`): those without a pod, and those whose pod is not left alone (`ATTENTION`). The
 * memo is only used while the set's spec object, uid, revisions and the claim informer are those
 * it was built with — any claim's change makes the next sync a full one — and is dropped whenever
 * the sync would have to do something it cannot vouch for (a pod to release or an orphan to
 * adopt, two pods on one ordinal): the caller then takes upstream's full sync, and builds the
 * memo again from what that sync saw.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { LabelPredicate } from '../../api/label-selector.js';
import { getControllerOf } from '../../api/pod-util.js';
import { getStartOrdinal } from './identity.js';
import { type PodFacts, factsAvailable, factsRunningAndReady, isFailed, isSucceeded, podFacts } from './pod-state.js';
import type { ReplicaCounts } from './status.js';
import type { StatefulSet } from '../../api/types/statefulset.js';

type ReadonlyPod = DeepReadonly<Pod>;
type ReadonlySet = DeepReadonly<StatefulSet>;

/** Per-ordinal flags. */
const PRESENT = 1;
const CREATED = 2;
const RUNNING_READY = 4;
const READY = 8;
const TERMINATING = 16;
const AT_CURRENT = 32;
const AT_UPDATE = 64;
/** processReplica may act on the pod: it must not be skipped. */
const ATTENTION = 128;

/** Whether a sync leaves the pod alone (see the header); pods that are not must be processed. */
export type LeftAlone = (pod: ReadonlyPod, facts: PodFacts) => boolean;

/** A pod's place in the set: its ordinal's slot, condemned, or neither (no ordinal). */
interface Placement {
  readonly pod: ReadonlyPod;
  readonly facts: PodFacts;
}

export class ParallelSyncMemo {
  /** Keys of the pods changed since the last sync (added by the controller's pod handlers). */
  readonly dirty = new Set<string>();
  /** The set's member pods as the last sync saw them, by key. */
  private readonly members = new Map<string, Placement>();
  /** By ordinal − start: the pod there (undefined: none), its flags and Ready time (NaN: none). */
  readonly slots: (ReadonlyPod | undefined)[];
  private readonly slotKeys: (string | undefined)[];
  private readonly flags: Uint8Array;
  private readonly readySince: Float64Array;
  /** Pods beyond the replicas, by key. */
  readonly condemned = new Map<string, Placement>();
  private readonly condemnedOrdinals = new Set<number>();
  readonly start: number;
  readonly replicas: number;
  /** The slots without a pod or whose pod needs attention: the ones a sync must process. */
  readonly pending = new Set<number>();
  // Counts over the present slots, kept as pods come and go, so a sync reads them without a pass
  // over the slots: created; Running and Ready; created, not terminating and at the current or
  // the update revision; Ready and not terminating; not at the update revision nor terminating
  // (the rolling update's candidates).
  private created = 0;
  private runningReady = 0;
  private atCurrent = 0;
  private atUpdate = 0;
  private readyUp = 0;
  private outdated = 0;
  /**
   * The Ready times (ascending) of the Running and Ready pods, and of the Ready pods not
   * terminating: with minReadySeconds, how many are available depends on the time.
   */
  private readonly runningReadySince: number[] = [];
  private readonly readyUpSince: number[] = [];

  constructor(
    readonly setKey: string,
    readonly set: ReadonlySet,
    readonly currentRevision: string,
    readonly updateRevision: string,
    /** The claim informer's change count the left-alone answers were given at. */
    readonly claimChanges: number,
  ) {
    this.start = getStartOrdinal(set);
    this.replicas = set.spec.replicas ?? 1;
    this.slots = new Array<ReadonlyPod | undefined>(this.replicas);
    this.slotKeys = new Array<string | undefined>(this.replicas);
    this.flags = new Uint8Array(this.replicas);
    this.readySince = new Float64Array(this.replicas).fill(Number.NaN);
    for (let slot = 0; slot < this.replicas; slot++) this.pending.add(slot);
  }

  /**
   * A memo of `pods` (the set's claimed members, as a full sync saw them). Undefined when two of
   * them share an ordinal: which one a sync takes then depends on the order it lists them in.
   */
  static build(
    setKey: string,
    set: ReadonlySet,
    currentRevision: string,
    updateRevision: string,
    claimChanges: number,
    pods: Iterable<[string, ReadonlyPod]>,
    leftAlone: LeftAlone,
  ): ParallelSyncMemo | undefined {
    const memo = new ParallelSyncMemo(setKey, set, currentRevision, updateRevision, claimChanges);
    for (const [key, pod] of pods) if (!memo.place(key, pod, leftAlone)) return undefined;
    return memo;
  }

  /** Whether the memo speaks for this sync of `set` (the same spec object, uid and revisions). */
  fits(set: ReadonlySet, currentRevision: string, updateRevision: string, claimChanges: number): boolean {
    return (
      set.spec === this.set.spec &&
      set.metadata.uid === this.set.metadata.uid &&
      set.metadata.deletionTimestamp === undefined &&
      currentRevision === this.currentRevision &&
      updateRevision === this.updateRevision &&
      claimChanges === this.claimChanges
    );
  }

  /** The member pods, by key. */
  *pods(): IterableIterator<[string, ReadonlyPod]> {
    for (const [key, placement] of this.members) yield [key, placement.pod];
  }

  /**
   * Brings the memo up to date with the informer: each changed pod is re-read and placed anew.
   * False when a full sync is needed instead: a pod the set controls no longer matches its
   * selector (the sync would release it) or lands on an ordinal another pod holds.
   */
  applyDirty(get: (key: string) => ReadonlyPod | undefined, matches: LabelPredicate, leftAlone: LeftAlone): boolean {
    const uid = this.set.metadata.uid;
    for (const key of this.dirty) {
      const pod = get(key);
      this.remove(key);
      // Pods the set does not control are not its (getPodsForStatefulSet lists its controller-uid index).
      if (pod === undefined || getControllerOf(pod.metadata)?.uid !== uid) continue;
      if (!matches(pod.metadata.labels)) return false;
      if (!this.place(key, pod, leftAlone)) return false;
    }
    this.dirty.clear();
    return true;
  }

  private place(key: string, pod: ReadonlyPod, leftAlone: LeftAlone): boolean {
    const facts = podFacts(pod);
    // Not a member (its name is not the set's): a sync ignores it.
    if (facts.parent !== this.set.metadata.name) return true;
    this.members.set(key, { pod, facts });
    const ordinal = facts.ordinal;
    const slot = ordinal - this.start;
    if (slot >= 0 && slot < this.replicas) {
      if (this.slots[slot] !== undefined) return false;
      this.slots[slot] = pod;
      this.slotKeys[slot] = key;
      const flags = flagsOf(pod, facts, this.currentRevision, this.updateRevision, leftAlone);
      this.flags[slot] = flags;
      this.readySince[slot] = facts.readySince ?? Number.NaN;
      this.count(slot, 1);
      if ((flags & ATTENTION) === 0) this.pending.delete(slot);
    } else if (ordinal >= 0) {
      if (this.condemnedOrdinals.has(ordinal)) return false;
      this.condemned.set(key, { pod, facts });
      this.condemnedOrdinals.add(ordinal);
    }
    return true;
  }

  private remove(key: string): void {
    const placement = this.members.get(key);
    if (placement === undefined) return;
    this.members.delete(key);
    const slot = placement.facts.ordinal - this.start;
    if (slot >= 0 && slot < this.replicas && this.slotKeys[slot] === key) {
      this.count(slot, -1);
      this.pending.add(slot);
      this.slots[slot] = undefined;
      this.slotKeys[slot] = undefined;
      this.flags[slot] = 0;
      this.readySince[slot] = Number.NaN;
    } else if (this.condemned.delete(key)) {
      this.condemnedOrdinals.delete(placement.facts.ordinal);
    }
  }

  /** Adds (`sign` 1) or takes away (−1) what the pod in `slot` counts for. */
  private count(slot: number, sign: 1 | -1): void {
    const flags = this.flags[slot];
    const since = this.readySince[slot];
    const created = (flags & CREATED) !== 0;
    const terminating = (flags & TERMINATING) !== 0;
    if (created) this.created += sign;
    if ((flags & RUNNING_READY) !== 0) {
      this.runningReady += sign;
      if (!Number.isNaN(since)) updateSorted(this.runningReadySince, since, sign);
    }
    if (created && !terminating) {
      if ((flags & AT_CURRENT) !== 0) this.atCurrent += sign;
      if ((flags & AT_UPDATE) !== 0) this.atUpdate += sign;
    }
    if ((flags & READY) !== 0 && !terminating) {
      this.readyUp += sign;
      if (!Number.isNaN(since)) updateSorted(this.readyUpSince, since, sign);
    }
    if ((flags & (AT_UPDATE | TERMINATING)) === 0) this.outdated += sign;
  }

  /**
   * Of `total` pods that are Ready, how many are available (isRunningAndAvailable): with
   * minReadySeconds, those Ready since strictly before now − minReadySeconds (`times` holds their
   * Ready times; a Ready pod without one is never available then).
   */
  private availableOf(total: number, times: readonly number[], minReadySeconds: number, now: number): number {
    return minReadySeconds <= 0 ? total : countBelow(times, now - minReadySeconds * 1000);
  }

  /** How many replicas are unavailable (isUnavailable); an empty slot's new pod is. */
  unavailable(minReadySeconds: number, now: number): number {
    return this.replicas - this.availableOf(this.readyUp, this.readyUpSince, minReadySeconds, now);
  }

  /** Whether some present pod is neither at the update revision nor terminating. */
  hasOutdated(): boolean {
    return this.outdated > 0;
  }

  /** The pod in `slot` is at the update revision or terminating: the rolling update passes it by. */
  updatedOrTerminating(slot: number): boolean {
    return (this.flags[slot] & (AT_UPDATE | TERMINATING)) !== 0;
  }

  /**
   * computeReplicaStatus over the replicas and the condemned pods. New pods for empty slots count
   * nothing (they are not created, not ready).
   */
  counts(minReadySeconds: number, now: number): ReplicaCounts {
    const counts: ReplicaCounts = {
      replicas: this.created,
      readyReplicas: this.runningReady,
      availableReplicas: this.availableOf(this.runningReady, this.runningReadySince, minReadySeconds, now),
      currentReplicas: this.atCurrent,
      updatedReplicas: this.atUpdate,
    };
    for (const { facts } of this.condemned.values()) {
      if (facts.created) counts.replicas++;
      if (factsRunningAndReady(facts)) {
        counts.readyReplicas++;
        if (factsAvailable(facts, minReadySeconds, now)) counts.availableReplicas++;
      }
      if (facts.created && !facts.terminating) {
        if (facts.revision === this.currentRevision) counts.currentReplicas++;
        if (facts.revision === this.updateRevision) counts.updatedReplicas++;
      }
    }
    return counts;
  }
}

/** The index of the first element of ascending `values` not below `value`. */
function lowerBound(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many of ascending `values` are strictly below `limit`. */
function countBelow(values: readonly number[], limit: number): number {
  return lowerBound(values, limit);
}

/** Inserts (`sign` 1) or removes (−1) one `value` in ascending `values`. */
function updateSorted(values: number[], value: number, sign: 1 | -1): void {
  const at = lowerBound(values, value);
  if (sign > 0) values.splice(at, 0, value);
  else values.splice(at, 1);
}

function flagsOf(pod: ReadonlyPod, facts: PodFacts, currentRevision: string, updateRevision: string, leftAlone: LeftAlone): number {
  let flags = PRESENT;
  if (facts.created) flags |= CREATED;
  if (factsRunningAndReady(facts)) flags |= RUNNING_READY;
  if (facts.ready) flags |= READY;
  if (facts.terminating) flags |= TERMINATING;
  if (facts.revision === currentRevision) flags |= AT_CURRENT;
  if (facts.revision === updateRevision) flags |= AT_UPDATE;
  if (isFailed(pod) || isSucceeded(pod) || !facts.created || !leftAlone(pod, facts)) flags |= ATTENTION;
  return flags;
}
