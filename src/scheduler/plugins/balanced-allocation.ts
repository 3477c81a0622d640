/**
 * NodeResourcesBalancedAllocation (pkg/scheduler/framework/plugins/noderesources/
 * balanced_allocation.go): prefers nodes whose requested fractions of cpu and memory stay close
 * to each other once the pod is placed, so no resource is exhausted while another idles.
 * Uses actual requests (no non-zero defaults). Score only.
 */
import { FieldPath } from '../../api/field-errors.js';
import { ValidationError } from '../../errors.js';
import type { ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
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

  constructor(args: BalancedAllocationArgs = {}) {
    const resources = args.resources !== undefined && args.resources.length > 0 ? args.resources : DEFAULT_RESOURCES;
    const errors = validateResources(resources, FieldPath.root('resources'));
    if (errors.length > 0) throw new ValidationError('NodeResourcesBalancedAllocationArgs', this.name, errors);
    this.scorer = new ResourceAllocationScorer(resources, balancedResourceScorer, true);
    this.podRequests = new Float64Array(resources.length);
    this.defaultResources = isDefaultResources(resources);
  }

  preScore(pod: PodInfo): boolean {
    podResourceRequests(pod, this.scorer.resources, true, this.podRequests);
    return true;
  }

  score(_pod: PodInfo, nodes: readonly NodeInfo[], count: number, scores: Int32Array): void {
    const { scorer, podRequests } = this;
    if (this.defaultResources) balancedCpuMemory(podRequests[0], podRequests[1], nodes, count, scores);
    else scorer.scoreNodes(podRequests, nodes, count, scores);
  }
}

/**
 * BalancedAllocation for the default cpu + memory from the node table's columns: the same
 * arithmetic as balancedResourceScorer over load() (actual requests; a resource the node lacks
 * is skipped; two fractions give |f1 − f2| / 2), without the indirections of the hot loop.
 */
function balancedCpuMemory(podCpu: number, podMemory: number, nodes: readonly NodeInfo[], count: number, scores: Int32Array): void {
  for (let i = 0; i < count; i++) {
    const { table, slot } = nodes[i];
    const cpuCap = table.allocatableMilliCpu[slot];
    const memCap = table.allocatableMemory[slot];
    let std = 0;
    if (cpuCap !== 0 && memCap !== 0) {
      const cpu = Math.min(1, (table.requestedMilliCpu[slot] + podCpu) / cpuCap);
      const memory = Math.min(1, (table.requestedMemory[slot] + podMemory) / memCap);
      std = Math.abs((cpu - memory) / 2);
    }
    scores[i] = Math.trunc((1 - std) * MAX_NODE_SCORE);
  }
}
