/**
 * Scoring by how much of a node's resources would be requested with the pod on it, shared by
 * NodeResourcesFit's LeastAllocated strategy and BalancedAllocation
 * (pkg/scheduler/framework/plugins/noderesources/resource_allocation.go, least_allocated.go,
 * balanced_allocation.go).
 *
 * For each configured resource: allocatable, and requested = the node's requests + the pod's.
 * LeastAllocated uses the non-zero CPU/memory form on both sides (a node of pods without
 * requests still looks busy); BalancedAllocation uses actual requests. A resource the node does
 * not have (allocatable 0) is skipped, and so is an extended resource the pod does not request.
 */
import { type FieldError, FieldPath, fieldError } from '../../api/field-errors.js';
import { MAX_NODE_SCORE } from '../framework.js';
import { type NodeInfo, isScalarResourceName } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';

/** A resource a scoring strategy looks at, with its weight (config.ResourceSpec). */
export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

/** cpu and memory, weight 1 each: the default for both plugins. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** Largest resource weight (config validation: weights are in (0, 100]). */
const MAX_RESOURCE_WEIGHT = 100;

/** Scores one node from per-resource requested and allocatable amounts (0 = skip resource). */
export type ResourceScorer = (requested: ArrayLike<number>, allocatable: ArrayLike<number>) => number;

/**
 * Field errors for resource weights outside (0, 100] (validation_pluginargs.go:
 * validateResources), reported at `path[i].weight`.
 */
export function validateResources(resources: readonly ResourceSpec[], path: FieldPath = FieldPath.root('scoringStrategy').child('resources')): FieldError[] {
  const errors: FieldError[] = [];
  resources.forEach((resource, i) => {
    if (!(resource.weight > 0 && resource.weight <= MAX_RESOURCE_WEIGHT)) {
      errors.push(fieldError.invalid(path.index(i).child('weight'), resource.weight, `resource weight of ${resource.name} not in valid range (0, ${MAX_RESOURCE_WEIGHT}]`));
    }
  });
  return errors;
}

/** (capacity − requested) × 100 / capacity, 0 when over-requested (leastRequestedScore). */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** Weighted mean of the per-resource leastRequestedScore, integer division (leastResourceScorer). */
export function leastResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  const weights = Float64Array.from(resources, (resource) => resource.weight);
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < weights.length; i++) {
      if (allocatable[i] === 0) continue;
      nodeScore += leastRequestedScore(requested[i], allocatable[i]) * weights[i];
      weightSum += weights[i];
    }
    return weightSum === 0 ? 0 : Math.floor(nodeScore / weightSum);
  };
}

/**
 * 100 × (1 − standard deviation of the requested fractions), truncated; fractions capped at 1.
 * Two resources: |f1 − f2| / 2; more: the population standard deviation.
 * Worked example: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5 → std 0.125 → 87.
 */
export function balancedResourceScorer(requested: ArrayLike<number>, allocatable: ArrayLike<number>): number {
  let count = 0;
  let total = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const fraction = Math.min(1, requested[i] / allocatable[i]);
    if (count === 0) first = fraction;
    else if (count === 1) second = fraction;
    total += fraction;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((first - second) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const deviation = Math.min(1, requested[i] / allocatable[i]) - mean;
      sum += deviation * deviation;
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

const CPU = 0;
const MEMORY = 1;
const EPHEMERAL_STORAGE = 2;
const SCALAR = 3;
/** Names no node tracks (e.g. `pods`): always skipped. */
const UNTRACKED = 4;

function resourceKind(name: string): number {
  switch (name) {
    case 'cpu':
      return CPU;
    case 'memory':
      return MEMORY;
    case 'ephemeral-storage':
      return EPHEMERAL_STORAGE;
    default:
      return isScalarResourceName(name) ? SCALAR : UNTRACKED;
  }
}

/**
 * The pod's request for each resource: non-zero CPU/memory unless `useRequested`
 * (calculatePodResourceRequest).
 */
export function podResourceRequests(pod: PodInfo, resources: readonly ResourceSpec[], useRequested: boolean, out: Float64Array): void {
  const { requests, nonZeroMilliCpu, nonZeroMemory } = pod.resources;
  resources.forEach((resource, i) => {
    if (!useRequested && resource.name === 'cpu') out[i] = nonZeroMilliCpu;
    else if (!useRequested && resource.name === 'memory') out[i] = nonZeroMemory;
    else out[i] = requests.amount(resource.name);
  });
}

/**
 * One scoring strategy over a list of resources (resourceAllocationScorer). Holds scratch
 * arrays, so scoring a node allocates nothing.
 */
export class ResourceAllocationScorer {
  private readonly kinds: Int8Array;
  readonly requested: Float64Array;
  readonly allocatable: Float64Array;

  constructor(
    readonly resources: readonly ResourceSpec[],
    readonly scorer: ResourceScorer,
    /** BalancedAllocation: actual requests; LeastAllocated: the non-zero form. */
    readonly useRequested: boolean,
  ) {
    this.kinds = Int8Array.from(resources, (resource) => resourceKind(resource.name));
    this.requested = new Float64Array(resources.length);
    this.allocatable = new Float64Array(resources.length);
  }

  /** Scores a node for a pod whose per-resource requests are `podRequests` (see podResourceRequests). */
  score(podRequests: ArrayLike<number>, node: NodeInfo): number {
    if (this.resources.length === 0) throw new Error('resources not found');
    this.load(podRequests, node);
    return this.scorer(this.requested, this.allocatable);
  }

  /** Scores the first `count` nodes into `scores`: the general loop both resource plugins share. */
  scoreNodes(podRequests: ArrayLike<number>, nodes: readonly NodeInfo[], count: number, scores: Int32Array): void {
    const { requested, allocatable, scorer } = this;
    for (let i = 0; i < count; i++) {
      this.load(podRequests, nodes[i]);
      scores[i] = scorer(requested, allocatable);
    }
  }

  /**
   * Fills `requested` and `allocatable` for the node (calculateResourceAllocatableRequest);
   * a skipped resource gets 0 in both. Plugins call this and their scorer in their own loop.
   */
  load(podRequests: ArrayLike<number>, node: NodeInfo): void {
    const { kinds, requested, allocatable, useRequested } = this;
    const { table, slot } = node;
    for (let i = 0; i < kinds.length; i++) {
      const podRequest = podRequests[i];
      let alloc = 0;
      let req = 0;
      switch (kinds[i]) {
        case CPU:
          alloc = table.allocatableMilliCpu[slot];
          req = (useRequested ? table.requestedMilliCpu[slot] : table.nonZeroMilliCpu[slot]) + podRequest;
          break;
        case MEMORY:
          alloc = table.allocatableMemory[slot];
          req = (useRequested ? table.requestedMemory[slot] : table.nonZeroMemory[slot]) + podRequest;
          break;
        case EPHEMERAL_STORAGE:
          alloc = table.allocatableEphemeralStorage[slot];
          req = table.requestedEphemeralStorage[slot] + podRequest;
          break;
        case SCALAR:
          // An extended resource the pod does not ask for must not sway the score.
          if (podRequest === 0) break;
          alloc = node.allocatable(this.resources[i].name);
          req = node.requested(this.resources[i].name) + podRequest;
          break;
      }
      allocatable[i] = alloc;
      requested[i] = alloc === 0 ? 0 : req;
    }
  }
}

/** Whether `resources` is the default cpu + memory, weight 1 each (the plugins' fast path). */
export function isDefaultResources(resources: readonly ResourceSpec[]): boolean {
  return resources.length === 2 && resources[0].name === 'cpu' && resources[0].weight === 1 && resources[1].name === 'memory' && resources[1].weight === 1;
}
