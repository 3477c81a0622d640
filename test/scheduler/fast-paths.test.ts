/**
 * The default-resource fast paths of LeastAllocated and BalancedAllocation score exactly as the
 * generic scorer does, for random nodes and pods (including nodes without cpu or memory).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BalancedAllocation } from '../../src/scheduler/plugins/balanced-allocation.js';
import { NodeResourcesFit } from '../../src/scheduler/plugins/node-resources-fit.js';
import { DEFAULT_RESOURCES, ResourceAllocationScorer, balancedResourceScorer, leastResourceScorer, podResourceRequests } from '../../src/scheduler/plugins/resource-allocation.js';
import { newNode, newPod, nodeInfo, podInfo } from './helpers.js';

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;
const quantity = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64_000 }));
const request = fc.option(fc.integer({ min: 1, max: 8000 }), { nil: undefined });

test('the fast paths agree with the generic scorer', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ cpu: quantity, memory: quantity, usedCpu: request, usedMemory: request }), { minLength: 1, maxLength: 12 }),
      request,
      request,
      (shapes, cpu, memory) => {
        const nodes = shapes.map((shape, i) =>
          nodeInfo(newNode(`n${i}`, { cpu: `${shape.cpu}m`, memory: `${shape.memory}Mi` }), [
            newPod(`p${i}`, { cpu: shape.usedCpu !== undefined ? `${shape.usedCpu}m` : undefined, memory: shape.usedMemory !== undefined ? `${shape.usedMemory}Mi` : undefined }),
          ]),
        );
        const pod = podInfo('new', { cpu: cpu !== undefined ? `${cpu}m` : undefined, memory: memory !== undefined ? `${memory}Mi` : undefined });
        for (const [plugin, generic, useRequested] of [
          [new NodeResourcesFit(), new ResourceAllocationScorer(DEFAULT_RESOURCES, leastResourceScorer(DEFAULT_RESOURCES), false), false],
          [new BalancedAllocation(), new ResourceAllocationScorer(DEFAULT_RESOURCES, balancedResourceScorer, true), true],
        ] as const) {
          plugin.preScore(pod);
          const scores = new Int32Array(nodes.length);
          plugin.score(pod, nodes, nodes.length, scores);
          const requests = new Float64Array(2);
          podResourceRequests(pod, DEFAULT_RESOURCES, useRequested, requests);
          assert.deepEqual([...scores], nodes.map((node) => generic.score(requests, node)), plugin.name);
        }
      },
    ),
    { numRuns: 300, seed },
  );
});
