/**
 * NodeResourcesBalancedAllocation (pkg/scheduler/framework/plugins/noderesources/
 * balanced_allocation.go): prefers nodes whose requested fractions of cpu and memory stay close
 * to each other once the pod is placed, so no resource is exhausted while another idles.
 * Uses actual requests (no non-zero defaults). Score only.
 */
import { FieldPath } from '../../api/field-errors.js';
import { ValidationError } from '../../errors.js';
import type { ScorePlugin } from '../framework.js';
import { type NodeInfo, type PodResources, samePodResources } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { InputEpoch, NodeScoreMemo } from '../score-memo.js';
import { DEFAULT_RESOURCES, ResourceAllocationScorer, type ResourceSpec, balancedResourceScorer, isDefaultResources, podResourceRequests, validateResources } from './resource-allocation.js';
import { MAX_NODE_SCORE } from '../framework.js';

/** Plugin arguments (NodeResourcesBalancedAllocationArgs). */
export interface BalancedAllocationArgs {
  /** Resources compared; empty or absent: cpu and memory. */
  readonly resources?: readonly ResourceSpec[];
}

/** Score plugin; see the file header. */
export class BalancedAllocation implements ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  private readonly scorer: ResourceAllocationScorer;
  private readonly podRequests: Float64Array;
  private readonly defaultResources: boolean;
  private readonly memo = new NodeScoreMemo();
  private readonly epoch = new InputEpoch<PodResources>(samePodResources);
  /** The resources `podRequests` were derived from. */
  private resourcesSeen: PodResources | undefined;

  /** Node-local: a raw score depends on the node's row and the pod's requests. */
  nodeMemoEpoch(pod: PodInfo): number {
    return this.epoch.note(pod.resources);
  }

  constructor(args: BalancedAllocationArgs = {}) {
    const resources = args.resources !== undefined && args.resources.length > 0 ? args.resources : DEFAULT_RESOURCES;
    const errors = validateResources(resources, FieldPath.root('resources'));
    if (errors.length > 0) throw new ValidationError('NodeResourcesBalancedAllocationArgs', this.name, errors);
    this.scorer = new ResourceAllocationScorer(resources, balancedResourceScorer, true);
    this.podRequests = new Float64Array(resources.length);
    this.defaultResources = isDefaultResources(resources);
  }

  preScore(pod: PodInfo): boolean {
    // Pods of a template share their resources object (pod-resources.ts).
    if (pod.resources !== this.resourcesSeen) {
      this.resourcesSeen = pod.resources;
      podResourceRequests(pod, this.scorer.resources, true, this.podRequests);
    }
    return true;
  }

  score(_pod: PodInfo, nodes: readonly NodeInfo[], count: number, scores: Int32Array): undefined {
    const { scorer, podRequests } = this;
    if (this.defaultResources) balancedCpuMemory(podRequests[0], podRequests[1], this.memo, nodes, count, scores);
    else scorer.scoreNodes(podRequests, nodes, count, scores);
    return undefined;
  }
}

/**
 * BalancedAllocation for the default cpu + memory from the node table's columns: the same
 * arithmetic as balancedResourceScorer over load() (actual requests; a resource the node lacks
 * is skipped; two fractions give |f1 − f2| / 2), without the indirections of the hot loop.
 * Scores are memoised per node across cycles (score-memo.ts: exact while the pod's requests and
 * the node's row are unchanged).
 */
function balancedCpuMemory(podCpu: number, podMemory: number, memo: NodeScoreMemo, nodes: readonly NodeInfo[], count: number, scores: Int32Array): void {
  if (count === 0) return;
  const table = nodes[0].table;
  memo.begin(table, podCpu, podMemory);
  const { seen, scores: memoised } = memo;
  const { version, allocatableMilliCpu, allocatableMemory, requestedMilliCpu, requestedMemory } = table;
  for (let i = 0; i < count; i++) {
    const slot = nodes[i].slot;
    if (seen[slot] === version[slot]) {
      scores[i] = memoised[slot];
    } else {
      const score = balancedScore(allocatableMilliCpu[slot], requestedMilliCpu[slot] + podCpu, allocatableMemory[slot], requestedMemory[slot] + podMemory);
      memoised[slot] = score;
      seen[slot] = version[slot];
      scores[i] = score;
    }
  }
}

/** balancedResourceScorer for cpu and memory: with either missing, no deviation. */
function balancedScore(cpuCap: number, cpu: number, memCap: number, memory: number): number {
  let std = 0;
  if (cpuCap !== 0 && memCap !== 0) std = Math.abs((Math.min(1, cpu / cpuCap) - Math.min(1, memory / memCap)) / 2);
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
