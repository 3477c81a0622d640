/**
 * One scheduling decision: filter, score, select (pkg/scheduler/schedule_one.go: schedulePod,
 * findNodesThatFitPod, findNodesThatPassFilters, prioritizeNodes, selectHost).
 *
 * Filtering starts at a rotating index so that, across pods, every node gets its turn at being
 * considered, and stops once numFeasibleNodesToFind nodes fit. A single feasible node is taken
 * without scoring. Otherwise the highest weighted total wins; ties are broken uniformly at random
 * by reservoir sampling over the feasible nodes in the order they were found.
 *
 * When PreFilter narrows the candidates (a DaemonSet pod pinned to its node), only those nodes
 * are filtered, and the others appear in a FitError as "N node(s) didn't satisfy plugin(s)
 * [NodeAffinity]", as in newer upstream releases (1.28 left them out of the message).
 *
 * Speed: nothing in the per-node loops allocates — candidate and feasible nodes and scores
 * live in arrays reused across cycles, and plugins prepare per-pod data once per cycle (once
 * per template when consecutive pods share it). When every plugin in play is node-local, the
 * cycle is decided from the framework's memo of each node's verdict and weighted score: one
 * number read per node, only nodes changed since their entry was made (as a rule the node that
 * took the last pod) filtered and scored, and the host picked as nodes are found
 * (decideFromMemo). Otherwise plugins skip batches their trait concerns on no node, keep
 * scores from cycle to cycle while a node's row is unchanged (score-memo.ts), and report a
 * score every node shares once instead of per node. None of this changes a decision, which
 * test/scheduler/reference-equivalence.test.ts checks against a plain node-by-node run.
 * Filtering is serial (upstream runs 16 goroutines and may look at a few nodes more).
 */
import type { Rng } from '../engine/random.js';
import { FitError, NO_NODES_AVAILABLE } from './fit-error.js';
import { Diagnosis, type Framework } from './framework.js';
import type { NodeInfo } from './node-info.js';
import { numFeasibleNodesToFind } from './num-feasible-nodes.js';
import type { PodInfo } from './pod-info.js';
import type { SchedulerCache } from './scheduler-cache.js';
import { type NodeResultMemo, STALE, UNFIT } from './score-memo.js';

/** A node for the pod (with how many nodes were looked at and fit), or why there is none. */
export type ScheduleResult =
  | { readonly kind: 'scheduled'; readonly node: string; readonly evaluatedNodes: number; readonly feasibleNodes: number }
  | { readonly kind: 'unschedulable'; readonly fitError: FitError };

/**
 * Index of the highest total among `totals[0..count)`, ties broken uniformly at random by
 * reservoir sampling: the k-th tie replaces the pick with probability 1/k (selectHost).
 */
export function selectHost(totals: Int32Array, count: number, rng: Rng): number {
  let selected = 0;
  let maxScore = totals[0];
  let ties = 1;
  for (let i = 1; i < count; i++) {
    const score = totals[i];
    if (score > maxScore) {
      maxScore = score;
      selected = i;
      ties = 1;
    } else if (score === maxScore) {
      ties++;
      if (rng.int(ties) === 0) selected = i;
    }
  }
  return selected;
}

/** Writes `array[index]`, appending at the end: reused arrays stay dense (fast element access). */
function setAt<T>(array: T[], index: number, value: T): void {
  if (index < array.length) array[index] = value;
  else array.push(value);
}

/** The filter–score–select pipeline, with the rotating start index and reused buffers. */
export class ScheduleAlgorithm {
  private nextStartNodeIndex = 0;
  private readonly diagnosis = new Diagnosis();
  private readonly feasible: NodeInfo[] = [];
  /** The nodes being filtered, reused across cycles. */
  private readonly batch: NodeInfo[] = [];
  private totals = new Int32Array(256);
  private scratch = new Int32Array(256);

  constructor(
    private readonly framework: Framework,
    private readonly cache: SchedulerCache,
    private readonly rng: Rng,
    private readonly percentageOfNodesToScore: number,
  ) {}

  /** Finds a node for the pod, or says why there is none. */
  schedulePod(pod: PodInfo): ScheduleResult {
    const allNodes = this.cache.nodeList;
    if (allNodes.length === 0) return { kind: 'unschedulable', fitError: NO_NODES_AVAILABLE };
    const nodes = this.candidates(pod, allNodes);
    if (nodes.length === 0) return { kind: 'unschedulable', fitError: FitError.fromDiagnosis(allNodes.length, this.diagnosis) };
    // PreScore before filtering (upstream runs it on the feasible nodes): no PreScore here looks
    // at nodes, and the memo must know which score plugins take part.
    this.framework.runPreScorePlugins(pod);
    const memo = this.framework.beginMemoCycle(pod, nodes[0].table);
    if (memo !== undefined) {
      const start = this.nextStartNodeIndex;
      const slots = nodes === allNodes ? this.cache.nodeSlots : Int32Array.from(nodes, (node) => node.slot);
      const result = this.decideFromMemo(pod, nodes, slots, allNodes.length, memo);
      if (result !== undefined) return result;
      // No node fits: filter again the plain way, which gathers the reasons.
      this.nextStartNodeIndex = start;
    }
    const { count, evaluated } = this.findNodesThatFitPod(pod, nodes, allNodes.length);
    if (count === 0) return { kind: 'unschedulable', fitError: FitError.fromDiagnosis(allNodes.length, this.diagnosis) };
    let index = 0;
    if (count > 1) {
      // The part of the sums every node shares is left out of `totals`: it decides nothing.
      this.framework.scoreNodes(pod, this.feasible, count, this.totals, this.scratch);
      index = selectHost(this.totals, count, this.rng);
    }
    return { kind: 'scheduled', node: this.feasible[index].name, evaluatedNodes: evaluated, feasibleNodes: count };
  }

  /**
   * Runs PreFilter and returns the nodes to filter: all of them, or those PreFilter narrowed
   * the candidates to (the others are reported as rejected); none when PreFilter rejected.
   */
  private candidates(pod: PodInfo, allNodes: readonly NodeInfo[]): readonly NodeInfo[] {
    this.diagnosis.reset();
    const preFilter = this.framework.runPreFilterPlugins(pod, this.diagnosis);
    if (preFilter.rejected) return [];
    const nodeNames = preFilter.nodeNames;
    if (nodeNames === undefined) return allNodes;
    const nodes = allNodes.filter((node) => nodeNames.has(node.name));
    if (nodes.length < allNodes.length) {
      this.diagnosis.reject(`node(s) didn't satisfy plugin(s) [${preFilter.narrowedBy?.join(' ')}]`, allNodes.length - nodes.length);
    }
    return nodes;
  }

  /**
   * findNodesThatFitPod and selectHost at once, from the framework's memo (beginMemoCycle):
   * node by node from the rotating start, as upstream's search, until enough fit; a node whose
   * entry is stale (as a rule only the one that took the last pod) is filtered and scored on the
   * spot. The host is picked by selectHost's reservoir sampling as each feasible node is found —
   * the same draws in the same order, since ties can only occur from the second feasible node
   * on, when selectHost would run too. Undefined when no node fits (the caller then gathers the
   * reasons). `slots` holds the nodes' table slots, in order.
   */
  private decideFromMemo(pod: PodInfo, nodes: readonly NodeInfo[], slots: Int32Array, numAllNodes: number, memo: NodeResultMemo): ScheduleResult | undefined {
    const numNodes = nodes.length;
    const numNodesToFind = numFeasibleNodesToFind(this.percentageOfNodesToScore, numNodes);
    const { batch, framework, rng } = this;
    const totals = memo.totals;
    let count = 0;
    let processed = 0;
    let index = this.nextStartNodeIndex % numNodes;
    let selected = -1;
    let maxScore = 0;
    let ties = 0;
    while (processed < numNodes && count < numNodesToFind) {
      const at = index;
      if (++index === numNodes) index = 0;
      processed++;
      const slot = slots[at];
      let score = totals[slot];
      if (score === STALE) {
        setAt(batch, 0, nodes[at]);
        framework.evaluateIntoMemo(pod, batch, 1);
        score = totals[slot];
      }
      if (score === UNFIT) continue;
      // selectHost's loop body, for the count-th feasible node.
      if (++count === 1 || score > maxScore) {
        selected = at;
        maxScore = score;
        ties = 1;
      } else if (score === maxScore) {
        ties++;
        if (rng.int(ties) === 0) selected = at;
      }
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % numAllNodes;
    if (selected < 0) return undefined;
    return { kind: 'scheduled', node: nodes[selected].name, evaluatedNodes: processed, feasibleNodes: count };
  }

  /** Fills `feasible[0..count)`; `evaluated` counts every node filtered. */
  private findNodesThatFitPod(pod: PodInfo, nodes: readonly NodeInfo[], numAllNodes: number): { count: number; evaluated: number } {
    const numNodes = nodes.length;
    const numNodesToFind = numFeasibleNodesToFind(this.percentageOfNodesToScore, numNodes);
    this.ensureCapacity(numNodesToFind);
    const { feasible, batch } = this;
    let count = 0;
    let processed = 0;
    let index = this.nextStartNodeIndex % numNodes;
    // Filter in batches of exactly the number of nodes still wanted: a serial scan would reach
    // every one of them before it could stop, so the result, the diagnosis and the count of
    // processed nodes are those of upstream's node-by-node search.
    while (processed < numNodes && count < numNodesToFind) {
      const size = Math.min(numNodesToFind - count, numNodes - processed);
      // The first batch is filtered where its survivors belong, at the front of `feasible`;
      // later ones (when nodes were rejected) in `batch`, then appended.
      const target = count === 0 ? feasible : batch;
      for (let i = 0; i < size; i++) {
        setAt(target, i, nodes[index]);
        if (++index === numNodes) index = 0;
      }
      processed += size;
      const kept = this.framework.runFilterPlugins(pod, target, size, this.diagnosis);
      if (target === feasible) count = kept;
      else for (let i = 0; i < kept; i++) setAt(feasible, count++, batch[i]);
    }
    // Always advance, so the next pod starts where this one stopped looking.
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % numAllNodes;
    return { count, evaluated: processed };
  }

  private ensureCapacity(size: number): void {
    if (this.totals.length >= size) return;
    let capacity = this.totals.length;
    while (capacity < size) capacity *= 2;
    this.totals = new Int32Array(capacity);
    this.scratch = new Int32Array(capacity);
  }
}
