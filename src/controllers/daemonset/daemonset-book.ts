/**
 * What the controller remembers about one DaemonSet between syncs, so that a sync costs what
 * changed rather than the size of the cluster: where the DaemonSet should run (per node), each
 * node's share of the status counts and of the rolling-update totals, and which nodes need another
 * look.
 *
 * Upstream syncs every node on every sync (manage walks the node list, the rolling update and the
 * status walk the node-to-pods map). The same decisions come out of looking only at nodes whose
 * node object, pods or timing changed since the last look, because a node's plan, counts and
 * rolling state are functions of its node, its pods, the DaemonSet's spec and hash, and time:
 * - node and pod events mark their node (`dirty`: plan again; `stale`: count again);
 * - a ready pod short of minReadySeconds keeps its node `waiting` (looked at on every sync);
 * - a node whose failed pod waits for its back-off, or whose action was cut by the burst limit or
 *   failed, stays dirty;
 * - a new generation or hash of the DaemonSet, or a pod to adopt or release, rebuilds everything
 *   (`rebuild`), which is upstream's full pass.
 */
import type { LabelPredicate } from '../../api/label-selector.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import { DAEMONSET_HASH_LABEL } from './daemonset-util.js';
import type { NodeDecision } from './node-should-run.js';
import { NOT_IN_ROLLOUT, type NodePod, type RollingContext, type RollingNodeState, type RollingTotals, rollingNodeState } from './rolling-update.js';
import { type StatusContext, type StatusCounts, addCounts, awaitsAvailability, nodeStatusCounts, zeroCounts } from './status.js';

type ReadonlyPod = DeepReadonly<Pod>;

interface NodeEntry {
  readonly status: StatusCounts;
  readonly rolling: RollingNodeState;
}

const NO_COUNTS: StatusCounts = Object.freeze(zeroCounts());
const EMPTY_ENTRY: NodeEntry = Object.freeze({ status: NO_COUNTS, rolling: NOT_IN_ROLLOUT });

export class DaemonSetBook implements RollingTotals {
  /** The generation and hash the per-node state was computed for; anything else rebuilds. */
  generation = -1;
  hash = '';
  /** Set when the whole DaemonSet must be looked at again (first sync, spec or hash change, claiming). */
  rebuild = true;
  /** The DaemonSet's selector, once known, for spotting owned pods that stopped matching. */
  selector: LabelPredicate | undefined;

  /** NodeShouldRunDaemonPod per existing node. */
  readonly decisions = new Map<string, NodeDecision>();
  /** Nodes whose pods or node changed: plan them (manage) and count them again. */
  readonly dirty = new Set<string>();
  /** Nodes to count again although their plan cannot have changed (manage was skipped). */
  readonly stale = new Set<string>();
  /** Nodes with a ready pod short of minReadySeconds: their counts change with time alone. */
  readonly waiting = new Set<string>();
  /** Pods per controller-revision-hash, for sparing live revisions in history cleanup. */
  readonly hashes = new Map<string, number>();
  /** Owned pods (by key) whose labels no longer match the selector: to be released. */
  readonly mismatched = new Set<string>();

  readonly totals: StatusCounts = zeroCounts();
  private readonly entries = new Map<string, NodeEntry>();

  // RollingTotals: kept from the per-node states; the maps keep nodes in the order they joined.
  numUnavailable = 0;
  numSurge = 0;
  numAvailable = 0;
  private readonly replacementPods = new Map<string, string>();
  private readonly candidatePods = new Map<string, string>();
  private readonly oldPodsToDelete = new Map<string, string>();
  private readonly shouldNotRunPods = new Map<string, string>();
  private readonly allowedNew = new Set<string>();
  private readonly candidateNew = new Set<string>();
  private readonly missing = new Set<string>();

  constructor(readonly uid: string) {}

  get replacements(): Iterable<NodePod> {
    return this.replacementPods.entries();
  }

  get candidates(): Iterable<NodePod> {
    return this.candidatePods.entries();
  }

  get oldToDelete(): Iterable<NodePod> {
    return this.oldPodsToDelete.entries();
  }

  get shouldNotRun(): Iterable<NodePod> {
    return this.shouldNotRunPods.entries();
  }

  get allowedNewNodes(): Iterable<string> {
    return this.allowedNew;
  }

  get candidateNewNodes(): Iterable<string> {
    return this.candidateNew;
  }

  get missingNode(): string | undefined {
    for (const node of this.missing) return node;
    return undefined;
  }

  /** A node or one of its pods changed. */
  touch(node: string): void {
    this.dirty.add(node);
    this.stale.add(node);
  }

  /** Forgets every per-node count; `rebuild` refills them. */
  clearCounts(): void {
    this.entries.clear();
    Object.assign(this.totals, zeroCounts());
    this.numUnavailable = 0;
    this.numSurge = 0;
    this.numAvailable = 0;
    for (const collection of [this.replacementPods, this.candidatePods, this.oldPodsToDelete, this.shouldNotRunPods]) collection.clear();
    for (const collection of [this.allowedNew, this.candidateNew, this.missing, this.dirty, this.stale, this.waiting]) collection.clear();
  }

  /** The nodes whose counts must be computed again on this sync. */
  nodesToCount(): Set<string> {
    const nodes = new Set(this.dirty);
    for (const node of this.stale) nodes.add(node);
    for (const node of this.waiting) nodes.add(node);
    return nodes;
  }

  /**
   * Counts one node again: `pods` are its daemon pods (terminal pods being deleted excluded).
   * A node that neither exists nor has pods drops out.
   */
  count(node: string, pods: readonly ReadonlyPod[], status: StatusContext, rolling: RollingContext): void {
    const decision = this.decisions.get(node);
    const exists = decision !== undefined;
    const shouldRun = decision?.shouldRun ?? false;
    const entry: NodeEntry =
      !exists && pods.length === 0
        ? EMPTY_ENTRY
        : { status: exists ? nodeStatusCounts(shouldRun, pods, status) : NO_COUNTS, rolling: rollingNodeState(pods, exists, shouldRun, rolling) };
    this.update(node, this.entries.get(node) ?? EMPTY_ENTRY, entry);
    if (entry === EMPTY_ENTRY) this.entries.delete(node);
    else this.entries.set(node, entry);
    if (awaitsAvailability(pods, status.minReadySeconds, status.now)) this.waiting.add(node);
    else this.waiting.delete(node);
    this.stale.delete(node);
  }

  /** Moves the totals and lists from a node's old entry to its new one. */
  private update(node: string, old: NodeEntry, next: NodeEntry): void {
    addCounts(this.totals, old.status, -1);
    addCounts(this.totals, next.status, 1);
    const a = old.rolling;
    const b = next.rolling;
    this.numUnavailable += Number(b.unavailable) - Number(a.unavailable);
    this.numSurge += Number(b.surging) - Number(a.surging);
    this.numAvailable += Number(b.available) - Number(a.available);
    keep(this.replacementPods, node, b.replace);
    keep(this.candidatePods, node, b.candidate);
    keep(this.oldPodsToDelete, node, b.deleteOld);
    keep(this.shouldNotRunPods, node, b.shouldNotRun);
    keepFlag(this.allowedNew, node, b.allowNew);
    keepFlag(this.candidateNew, node, b.candidateNew);
    keepFlag(this.missing, node, b.missingNode);
  }

  /** Keeps the pod-hash counts in step with an owned pod appearing (+1) or going (−1). */
  countHash(pod: ReadonlyPod, sign: 1 | -1): void {
    const hash = pod.metadata.labels?.[DAEMONSET_HASH_LABEL];
    if (!hash) return;
    const count = (this.hashes.get(hash) ?? 0) + sign;
    if (count > 0) this.hashes.set(hash, count);
    else this.hashes.delete(hash);
  }
}

/** A node stays where it is in a list while it stays in it (Map.set keeps the position). */
function keep(map: Map<string, string>, node: string, pod: string | undefined): void {
  if (pod === undefined) map.delete(node);
  else map.set(node, pod);
}

function keepFlag(set: Set<string>, node: string, on: boolean): void {
  if (on) set.add(node);
  else set.delete(node);
}
