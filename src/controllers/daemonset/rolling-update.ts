/**
 * The DaemonSet RollingUpdate (pkg/controller/daemon/update.go: rollingUpdate,
 * findUpdatedPodsOnNode, updatedDesiredNodeCounts), split into what each node says about itself
 * (rollingNodeState, a pure function of its pods) and what the totals decide (the two plan
 * functions), so the controller can keep the per-node states and recount only changed nodes.
 *
 * Without surge (maxUnavailable drives): an old pod that is not available is replaced at once;
 * otherwise old available pods are deleted while fewer than maxUnavailable nodes are unavailable
 * (a node with no pod, two pods, or an unavailable new pod counts as unavailable). The manage
 * loop creates the replacements once the old pods are gone. Worked example: 10 nodes,
 * maxUnavailable 2, all old and available → 2 deletions; while those 2 nodes have no pod or a new
 * pod not yet available they count as unavailable, so nothing more goes until one turns available.
 *
 * With surge (maxSurge drives): a new pod is created next to an old one that is not available, and
 * next to at most maxSurge − (nodes already surging) available old ones; an old pod goes once the
 * new pod beside it is available. Old pods on nodes the DaemonSet no longer should run on go only
 * as far as the available pods exceed the desired count.
 *
 * Deliberate difference: upstream walks nodes in Go map order (random), which decides *which*
 * candidates are replaced first; here candidates are taken in the order the controller lists the
 * nodes (deterministic). How many are replaced is the same.
 */
import { isPodAvailable, isPodReady } from '../../api/pod-util.js';
import type { DaemonSet } from '../../api/types/daemonset.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import { isPodUpdated, surgeCount, unavailableCount } from './daemonset-util.js';

type ReadonlyPod = DeepReadonly<Pod>;

/** findUpdatedPodsOnNode: the node's one new and one old pod (not deleting); undefined if it has more of either. */
export function findUpdatedPodsOnNode(
  pods: readonly ReadonlyPod[],
  hash: string,
  templateGeneration: number | undefined,
): { newPod?: ReadonlyPod; oldPod?: ReadonlyPod } | undefined {
  let newPod: ReadonlyPod | undefined;
  let oldPod: ReadonlyPod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    if (isPodUpdated(pod, hash, templateGeneration)) {
      if (newPod !== undefined) return undefined;
      newPod = pod;
    } else {
      if (oldPod !== undefined) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

/** updatedDesiredNodeCounts: both budgets for `desired` nodes; neither given → maxUnavailable 1. */
export function updatedDesiredNodeCounts(ds: DeepReadonly<DaemonSet>, desired: number): { maxSurge: number; maxUnavailable: number } {
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  // An impossible configuration (the API server rejects it) falls back to replacing one at a time.
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** What one node contributes to either kind of rolling update. */
export interface RollingNodeState {
  // Without surge:
  /** The node counts against maxUnavailable (no pod, two, an unavailable new one, or an old one being replaced). */
  readonly unavailable: boolean;
  /** An old pod that is not available: replaced regardless of the budget. */
  readonly replace?: string;
  /** An old available pod: replaced while the budget allows. */
  readonly candidate?: string;
  // With surge:
  /** The node has surged (two pods, or a new one not yet available). */
  readonly surging: boolean;
  /** The node's old pod, or else its new pod, is available. */
  readonly available: boolean;
  /** An old pod to delete now (its new pod is available, or it cannot stay). */
  readonly deleteOld?: string;
  /** An available old pod on a node the DaemonSet should no longer run on. */
  readonly shouldNotRun?: string;
  /** Create a new pod here at once (the old one is not available). */
  readonly allowNew: boolean;
  /** Create a new pod here while the surge budget allows. */
  readonly candidateNew: boolean;
  /** Upstream fails the sync when it needs this node and the node is gone. */
  readonly missingNode: boolean;
}

export const NOT_IN_ROLLOUT: RollingNodeState = Object.freeze({ unavailable: false, surging: false, available: false, allowNew: false, candidateNew: false, missingNode: false });

/** What a node's state depends on. */
export interface RollingContext {
  readonly hash: string;
  readonly templateGeneration: number | undefined;
  readonly minReadySeconds: number;
  readonly now: Time;
}

/**
 * One node's state. `pods`: its daemon pods (terminal pods being deleted excluded); `exists` and
 * `shouldRun` from the node list. A node takes part when it has pods or should run a pod.
 */
export function rollingNodeState(pods: readonly ReadonlyPod[], exists: boolean, shouldRun: boolean, c: RollingContext): RollingNodeState {
  if (pods.length === 0 && !(exists && shouldRun)) return NOT_IN_ROLLOUT;
  const found = findUpdatedPodsOnNode(pods, c.hash, c.templateGeneration);
  // Excess pods: the manage loop prunes them; meanwhile the node is unavailable, or surging.
  if (found === undefined) return { ...NOT_IN_ROLLOUT, unavailable: true, surging: true };
  const { newPod, oldPod } = found;
  const available = (pod: ReadonlyPod): boolean => isPodAvailable(pod, c.minReadySeconds, c.now);
  const state = {
    unavailable: false,
    replace: undefined as string | undefined,
    candidate: undefined as string | undefined,
    surging: false,
    available: oldPod !== undefined ? available(oldPod) : newPod !== undefined && available(newPod),
    deleteOld: undefined as string | undefined,
    shouldNotRun: undefined as string | undefined,
    allowNew: false,
    candidateNew: false,
    missingNode: false,
  };
  // maxSurge == 0.
  if ((oldPod === undefined) === (newPod === undefined)) state.unavailable = true;
  else if (newPod !== undefined) state.unavailable = !available(newPod);
  else if (oldPod !== undefined && !available(oldPod)) {
    state.replace = oldPod.metadata.name;
    state.unavailable = true;
  } else if (oldPod !== undefined) state.candidate = oldPod.metadata.name;
  // maxSurge > 0.
  if (oldPod !== undefined && newPod === undefined) {
    if (!exists) state.missingNode = true;
    else if (!available(oldPod)) {
      if (!shouldRun) state.deleteOld = oldPod.metadata.name;
      else state.allowNew = true;
    } else if (!shouldRun) state.shouldNotRun = oldPod.metadata.name;
    else state.candidateNew = true;
  } else if (oldPod !== undefined && newPod !== undefined) {
    if (!available(newPod)) state.surging = true;
    else state.deleteOld = oldPod.metadata.name;
  }
  return state;
}

/** Whether the node's state can change with time alone (a ready pod short of minReadySeconds). */
export function rollingAwaitsAvailability(pods: readonly ReadonlyPod[], c: RollingContext): boolean {
  if (c.minReadySeconds <= 0) return false;
  for (const pod of pods) if (isPodReady(pod) && !isPodAvailable(pod, c.minReadySeconds, c.now)) return true;
  return false;
}

/** A pod to delete, with the node it is on. */
export type NodePod = readonly [node: string, pod: string];

/** The running totals of the per-node states, with the nodes of each list in a stable order. */
export interface RollingTotals {
  readonly numUnavailable: number;
  readonly replacements: Iterable<NodePod>;
  readonly candidates: Iterable<NodePod>;
  readonly numSurge: number;
  readonly numAvailable: number;
  readonly oldToDelete: Iterable<NodePod>;
  readonly shouldNotRun: Iterable<NodePod>;
  readonly allowedNewNodes: Iterable<string>;
  readonly candidateNewNodes: Iterable<string>;
  /** A node the surge path needs that no longer exists (upstream: an error), if any. */
  readonly missingNode?: string;
}

function take<T>(items: Iterable<T>, count: number): T[] {
  const out: T[] = [];
  if (count <= 0) return out;
  for (const item of items) {
    out.push(item);
    if (out.length >= count) break;
  }
  return out;
}

/** The no-surge plan: pods to delete (replacements first, then candidates within the budget). */
export function planWithoutSurge(t: RollingTotals, maxUnavailable: number): NodePod[] {
  return [...t.replacements, ...take(t.candidates, maxUnavailable - t.numUnavailable)];
}

/** The surge plan: old pods to delete and nodes to create new pods on. */
export function planWithSurge(t: RollingTotals, maxSurge: number, desired: number): { deletes: NodePod[]; creates: string[] } {
  const deletes = [...t.oldToDelete];
  // With surge the owner expects full availability: an old pod on a node the DaemonSet left goes
  // only when enough pods are available elsewhere.
  deletes.push(...take(t.shouldNotRun, t.numAvailable - desired));
  const creates = [...t.allowedNewNodes, ...take(t.candidateNewNodes, maxSurge - t.numSurge)];
  return { deletes, creates };
}
