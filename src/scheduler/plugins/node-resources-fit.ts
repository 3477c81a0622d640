/**
 * NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go, least_allocated.go).
 *
 * Filter: the node must have room for one more pod (`pods` allocatable) and for each resource
 * the pod requests: requested-on-node + pod ≤ allocatable. Every shortfall is a reason
 * ("Too many pods", "Insufficient cpu", …). A node that reports no `pods` allocatable fits none.
 * Score: the LeastAllocated strategy (cpu and memory, weight 1 each, by default) — emptier
 * nodes score higher, which spreads pods.
 *
 * Deliberate gaps: only the LeastAllocated strategy (MostAllocated and
 * RequestedToCapacityRatio are configuration-only upstream); no ignoredResources arguments.
 */
import { ValidationError } from '../../errors.js';
import { ActionType, type ClusterEventRegistration } from '../cluster-events.js';
import type { FilterPlugin, PreFilterPlugin, PreFilterResult, Rejections, ScorePlugin } from '../framework.js';
import { type NodeInfo, type PodResources, type Resource, samePodResources } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { InputEpoch, NodeScoreMemo } from '../score-memo.js';
import {
  DEFAULT_RESOURCES,
  ResourceAllocationScorer,
  type ResourceSpec,
  isDefaultResources,
  leastRequestedScore,
  leastResourceScorer,
  podResourceRequests,
  validateResources,
} from './resource-allocation.js';

/** Plugin arguments (NodeResourcesFitArgs, LeastAllocated scoring strategy). */
export interface NodeResourcesFitArgs {
  /** Resources LeastAllocated scores, with weights in (0, 100]. Empty or absent: cpu and memory, weight 1. */
  readonly resources?: readonly ResourceSpec[];
}

/**
 * True when `request` fits on the node next to what is already requested there (fitsRequest).
 * Each insufficient resource is reported to `rejections`, in upstream's order: pods, cpu,
 * memory, ephemeral-storage, scalar resources.
 */
export function fitsRequest(request: Resource, node: NodeInfo, rejections: Rejections | undefined): boolean {
  let fits = true;
  const { table, slot } = node;
  if (table.podCount[slot] + 1 > table.allowedPodNumber[slot]) {
    rejections?.reject('Too many pods');
    fits = false;
  }
  const { milliCpu, memory, ephemeralStorage, scalar } = request;
  if (milliCpu === 0 && memory === 0 && ephemeralStorage === 0 && scalar === undefined) return fits;
  if (milliCpu > 0 && milliCpu > table.allocatableMilliCpu[slot] - table.requestedMilliCpu[slot]) {
    rejections?.reject('Insufficient cpu');
    fits = false;
  }
  if (memory > 0 && memory > table.allocatableMemory[slot] - table.requestedMemory[slot]) {
    rejections?.reject('Insufficient memory');
    fits = false;
  }
  if (ephemeralStorage > 0 && ephemeralStorage > table.allocatableEphemeralStorage[slot] - table.requestedEphemeralStorage[slot]) {
    rejections?.reject('Insufficient ephemeral-storage');
    fits = false;
  }
  if (scalar !== undefined) {
    for (const [name, amount] of scalar) {
      if (amount > 0 && amount > node.allocatable(name) - node.requested(name)) {
        rejections?.reject(`Insufficient ${name}`);
        fits = false;
      }
    }
  }
  return fits;
}

/** The filter node by node through fitsRequest: for scalar requests, which need the maps. */
function filterGeneral(request: Resource, nodes: NodeInfo[], count: number, rejections: Rejections): number {
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const node = nodes[i];
    if (fitsRequest(request, node, rejections)) nodes[kept++] = node;
  }
  return kept;
}

/** PreFilter, Filter and Score plugin; see the file header. */
export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'NodeResourcesFit';
  readonly events: readonly ClusterEventRegistration[] = [
    { resource: 'Pod', actionType: ActionType.Delete },
    { resource: 'Node', actionType: ActionType.Add | ActionType.Update },
  ];
  private readonly scorer: ResourceAllocationScorer;
  private readonly podRequests: Float64Array;
  private request: Resource | undefined;
  private readonly defaultResources: boolean;
  private readonly memo = new NodeScoreMemo();
  private readonly epoch = new InputEpoch<PodResources>(samePodResources);
  /** The resources `podRequests` were derived from. */
  private resourcesSeen: PodResources | undefined;

  /** Node-local: a verdict and raw score depend on the node's row and the pod's requests. */
  nodeMemoEpoch(pod: PodInfo): number {
    return this.epoch.note(pod.resources);
  }

  constructor(args: NodeResourcesFitArgs = {}) {
    const resources = args.resources !== undefined && args.resources.length > 0 ? args.resources : DEFAULT_RESOURCES;
    const errors = validateResources(resources);
    if (errors.length > 0) throw new ValidationError('NodeResourcesFitArgs', this.name, errors);
    this.scorer = new ResourceAllocationScorer(resources, leastResourceScorer(resources), false);
    this.podRequests = new Float64Array(resources.length);
    this.defaultResources = isDefaultResources(resources);
  }

  preFilter(pod: PodInfo): PreFilterResult {
    this.request = pod.resources.requests;
    return undefined;
  }

  filter(_pod: PodInfo, nodes: NodeInfo[], count: number, rejections: Rejections): number {
    const request = this.request as Resource;
    if (request.scalar !== undefined || count === 0) return filterGeneral(request, nodes, count, rejections);
    const { milliCpu, memory, ephemeralStorage } = request;
    // The columns of the table the nodes share. The test below is fitsRequest's without the
    // reasons, so a node it rejects goes to fitsRequest only to report them.
    const { podCount, allowedPodNumber, allocatableMilliCpu, requestedMilliCpu, allocatableMemory, requestedMemory, allocatableEphemeralStorage, requestedEphemeralStorage } = nodes[0].table;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const node = nodes[i];
      const slot = node.slot;
      const fits =
        podCount[slot] + 1 <= allowedPodNumber[slot] &&
        !(milliCpu > 0 && milliCpu > allocatableMilliCpu[slot] - requestedMilliCpu[slot]) &&
        !(memory > 0 && memory > allocatableMemory[slot] - requestedMemory[slot]) &&
        !(ephemeralStorage > 0 && ephemeralStorage > allocatableEphemeralStorage[slot] - requestedEphemeralStorage[slot]);
      if (fits) {
        if (kept !== i) nodes[kept] = node;
        kept++;
      } else {
        fitsRequest(request, node, rejections);
      }
    }
    return kept;
  }

  preScore(pod: PodInfo): boolean {
    // Pods of a template share their resources object (pod-resources.ts).
    if (pod.resources !== this.resourcesSeen) {
      this.resourcesSeen = pod.resources;
      podResourceRequests(pod, this.scorer.resources, false, this.podRequests);
    }
    return true;
  }

  score(_pod: PodInfo, nodes: readonly NodeInfo[], count: number, scores: Int32Array): undefined {
    const { scorer, podRequests } = this;
    if (this.defaultResources) leastAllocatedCpuMemory(podRequests[0], podRequests[1], this.memo, nodes, count, scores);
    else scorer.scoreNodes(podRequests, nodes, count, scores);
    return undefined;
  }
}

/**
 * LeastAllocated for the default cpu + memory, weight 1 each, straight from the node table's
 * columns: the same arithmetic as leastResourceScorer over load(), without the indirections,
 * since this loop runs for hundreds of nodes per pod. Scores are memoised per node across
 * cycles (score-memo.ts: exact while the pod's non-zero requests and the node's row are
 * unchanged).
 */
function leastAllocatedCpuMemory(podCpu: number, podMemory: number, memo: NodeScoreMemo, nodes: readonly NodeInfo[], count: number, scores: Int32Array): void {
  if (count === 0) return;
  const table = nodes[0].table;
  memo.begin(table, podCpu, podMemory);
  const { seen, scores: memoised } = memo;
  const { version, allocatableMilliCpu, allocatableMemory, nonZeroMilliCpu, nonZeroMemory } = table;
  for (let i = 0; i < count; i++) {
    const slot = nodes[i].slot;
    if (seen[slot] === version[slot]) {
      scores[i] = memoised[slot];
    } else {
      const score = leastAllocatedScore(allocatableMilliCpu[slot], nonZeroMilliCpu[slot] + podCpu, allocatableMemory[slot], nonZeroMemory[slot] + podMemory);
      memoised[slot] = score;
      seen[slot] = version[slot];
      scores[i] = score;
    }
  }
}

/** leastResourceScorer for cpu and memory of weight 1: resources the node lacks are skipped. */
function leastAllocatedScore(cpuCap: number, cpu: number, memCap: number, memory: number): number {
  let sum = 0;
  let weights = 0;
  if (cpuCap !== 0) {
    sum += leastRequestedScore(cpu, cpuCap);
    weights++;
  }
  if (memCap !== 0) {
    sum += leastRequestedScore(memory, memCap);
    weights++;
  }
  return weights === 0 ? 0 : Math.floor(sum / weights);
}
