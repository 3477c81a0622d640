/**
 * Upstream's scheduler unit-test cases (copied verbatim from the shared k8s-vectors.json into
 * ./vectors), run against the pure score functions and numFeasibleNodesToFind.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Container, Pod } from '../../src/api/types/pod.js';
import { NodeInfo, type PodResources, Resource } from '../../src/scheduler/node-info.js';
import { numFeasibleNodesToFind } from '../../src/scheduler/num-feasible-nodes.js';
import { PodInfo } from '../../src/scheduler/pod-info.js';
import {
  ResourceAllocationScorer,
  type ResourceSpec,
  balancedResourceScorer,
  leastResourceScorer,
  podResourceRequests,
  validateResources,
} from '../../src/scheduler/plugins/resource-allocation.js';

interface Vector<I, E> {
  readonly test_name: string;
  readonly note: string;
  readonly inputs: I;
  readonly expected: E;
}

function loadVectors<I, E>(file: string): Vector<I, E>[] {
  return JSON.parse(readFileSync(new URL(`./vectors/${file}`, import.meta.url), 'utf8')) as Vector<I, E>[];
}

/** Amounts keyed by resource name; the balanced-allocation cases spell cpu `milliCPU`. */
type Amounts = Record<string, number>;

function resourceName(key: string): string {
  return key === 'milliCPU' ? 'cpu' : key;
}

/** A Resource from vector amounts (cpu already in millicores). */
function resource(amounts: Amounts | undefined): Resource {
  const result = new Resource();
  for (const [key, value] of Object.entries(amounts ?? {})) {
    const name = resourceName(key);
    if (name === 'cpu') result.milliCpu = value;
    else if (name === 'memory') result.memory = value;
    else result.addScalar(name, value);
  }
  return result;
}

interface VectorNode {
  name: string;
  allocatable: Amounts;
  requested?: Amounts;
  existingPods?: number;
}

/** A NodeInfo whose requests (actual and non-zero alike) are the vector's `requested`. */
function vectorNode(node: VectorNode): NodeInfo {
  const info = new NodeInfo(node.name);
  info.setAllocatable(resource(node.allocatable));
  const requests = resource(node.requested);
  info.addPod({ requests, nonZeroMilliCpu: requests.milliCpu, nonZeroMemory: requests.memory });
  // Existing pods without containers request nothing, even in the non-zero form.
  const empty: PodResources = { requests: new Resource(), nonZeroMilliCpu: 0, nonZeroMemory: 0 };
  for (let i = 0; i < (node.existingPods ?? 0); i++) info.addPod(empty);
  return info;
}

interface VectorPod {
  requests?: Amounts;
  containers?: { cpu: number; memory: number }[];
}

/**
 * The pod's per-resource requests. With containers listed, they go through the real pod
 * resource computation (non-zero defaults included unless `useRequested`).
 */
function podRequests(pod: VectorPod, resources: readonly ResourceSpec[], useRequested: boolean): Float64Array {
  const out = new Float64Array(resources.length);
  if (pod.containers !== undefined) {
    const containers: Container[] = pod.containers.map((c, i) => ({ name: `c${i}`, resources: { requests: { cpu: `${c.cpu}m`, memory: c.memory } } }));
    const info = new PodInfo({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers } } as Pod);
    podResourceRequests(info, resources, useRequested, out);
    return out;
  }
  const requests = resource(pod.requests);
  resources.forEach((spec, i) => (out[i] = requests.amount(spec.name)));
  return out;
}

describe('vectors: scheduler-least-allocated (NodeResourcesFit LeastAllocated)', () => {
  type Inputs = { resources: ResourceSpec[] | null; pod?: VectorPod; nodes?: VectorNode[] };
  type Expected = { scores?: Record<string, number>; status?: string; validationError?: string };
  for (const vector of loadVectors<Inputs, Expected>('least-allocated.json')) {
    it(vector.test_name, () => {
      const { inputs, expected } = vector;
      if (expected.validationError !== undefined) {
        const [field] = expected.validationError.split(' ');
        const errors = validateResources(inputs.resources ?? []);
        assert.deepEqual(errors.map((e) => [e.type, e.field]), [['Invalid', field]]);
        return;
      }
      const resources = inputs.resources ?? [];
      const scorer = new ResourceAllocationScorer(resources, leastResourceScorer(resources), false);
      const requests = podRequests(inputs.pod ?? {}, resources, false);
      if (inputs.pod?.containers !== undefined && inputs.pod.requests !== undefined) {
        // The vector states the sum of its containers; the computation must agree.
        assert.deepEqual([...requests], resources.map((spec) => inputs.pod?.requests?.[spec.name] ?? 0));
      }
      for (const node of inputs.nodes ?? []) {
        const info = vectorNode(node);
        if (expected.status === 'Error') {
          assert.throws(() => scorer.score(requests, info), /resources not found/);
          assert.equal(expected.scores?.[node.name], 0);
        } else {
          assert.equal(scorer.score(requests, info), expected.scores?.[node.name], `${node.name}: ${vector.note}`);
        }
      }
    });
  }
});

describe('vectors: scheduler-balanced-allocation (NodeResourcesBalancedAllocation)', () => {
  type Inputs = { resources: string[]; pod: VectorPod; nodes: VectorNode[] };
  type Expected = { scores: Record<string, number> };
  for (const vector of loadVectors<Inputs, Expected>('balanced-allocation.json')) {
    it(vector.test_name, () => {
      const resources = vector.inputs.resources.map((name) => ({ name, weight: 1 }));
      const scorer = new ResourceAllocationScorer(resources, balancedResourceScorer, true);
      const requests = podRequests(vector.inputs.pod, resources, true);
      for (const node of vector.inputs.nodes) {
        assert.equal(scorer.score(requests, vectorNode(node)), vector.expected.scores[node.name], `${node.name}: ${vector.note}`);
      }
    });
  }
});

describe('vectors: scheduler-num-feasible-nodes (numFeasibleNodesToFind)', () => {
  type Inputs = { globalPercentage: number; profilePercentage: number | null; numAllNodes?: number; numAllNodesList?: number[] };
  type Expected = { numNodes: number | number[] };
  for (const vector of loadVectors<Inputs, Expected>('num-feasible-nodes.json')) {
    it(vector.test_name, () => {
      const { globalPercentage, profilePercentage, numAllNodes, numAllNodesList } = vector.inputs;
      // The profile's percentage, when set, overrides the global one.
      const percentage = profilePercentage ?? globalPercentage;
      const counts = numAllNodesList ?? [numAllNodes as number];
      const expected = Array.isArray(vector.expected.numNodes) ? vector.expected.numNodes : [vector.expected.numNodes];
      assert.deepEqual(counts.map((n) => numFeasibleNodesToFind(percentage, n)), expected, vector.note);
    });
  }
});
