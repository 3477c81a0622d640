import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '../../src/engine/random.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, computePodResources } from '../../src/scheduler/pod-resources.js';
import { PodInfo } from '../../src/scheduler/pod-info.js';
import { SchedulerCache } from '../../src/scheduler/scheduler-cache.js';
import { selectHost } from '../../src/scheduler/schedule-one.js';
import { newNode, newPod } from './helpers.js';

const MI = 1024 * 1024;

describe('computePodResources', () => {
  it('sums app containers and applies non-zero defaults per container for scoring', () => {
    const pod = newPod('p', {
      containers: [
        { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        { name: 'b', resources: { requests: { cpu: '0' } } },
        { name: 'c' },
      ],
    });
    const resources = computePodResources(pod);
    assert.equal(resources.requests.milliCpu, 250);
    assert.equal(resources.requests.memory, 64 * MI);
    // b states cpu 0 (kept) but no memory; c states nothing.
    assert.equal(resources.nonZeroMilliCpu, 250 + 0 + DEFAULT_MILLI_CPU_REQUEST);
    assert.equal(resources.nonZeroMemory, 64 * MI + 2 * DEFAULT_MEMORY_REQUEST);
  });

  it('takes the larger of the app containers and the biggest init container, sidecars running alongside', () => {
    const pod = newPod('p', {
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '200m', memory: '10Mi' } } },
        { name: 'setup', resources: { requests: { cpu: '500m', memory: '300Mi' } } },
      ],
      containers: [
        { name: 'a', resources: { requests: { cpu: '300m', memory: '100Mi' } } },
        { name: 'b', resources: { requests: { cpu: '300m', memory: '100Mi' } } },
      ],
    });
    const { requests } = computePodResources(pod);
    // cpu: apps 600m + sidecar 200m = 800m beats setup 500m + sidecar 200m = 700m.
    assert.equal(requests.milliCpu, 800);
    // memory: apps 200Mi + sidecar 10Mi = 210Mi loses to setup 300Mi + sidecar 10Mi = 310Mi.
    assert.equal(requests.memory, 310 * MI);
  });

  it('parses the containers of a template once: pods sharing them share the result', () => {
    const spec = newPod('t', { cpu: '250m', memory: '64Mi' }).spec;
    const first = computePodResources({ ...newPod('a'), spec });
    assert.equal(computePodResources({ ...newPod('b'), spec }), first);
    // The same containers with init containers added are another pod shape.
    const withInit = computePodResources({ ...newPod('c'), spec: { ...spec, initContainers: [{ name: 'init', resources: { requests: { cpu: '1' } } }] } });
    assert.notEqual(withInit, first);
    assert.equal(withInit.requests.milliCpu, 1000);
    assert.equal(computePodResources({ ...newPod('d'), spec }).requests.milliCpu, 250);
  });

  it('tracks extended resources and ignores unknown names', () => {
    const { requests } = computePodResources(newPod('p', { cpu: '1', extra: { 'example.com/gpu': 2, bogus: 7 } }));
    assert.equal(requests.scalarValue('example.com/gpu'), 2);
    assert.equal(requests.scalar?.has('bogus'), false);
  });
});

describe('SchedulerCache', () => {
  it('lists nodes in insertion order and counts assumed, confirmed and removed pods', () => {
    const cache = new SchedulerCache();
    cache.addNode(newNode('a'));
    cache.addNode(newNode('b'));
    const pod = newPod('p', { cpu: '1', memory: '1Gi' });
    cache.assumePod(new PodInfo(pod), 'b');
    const b = cache.nodeInfo('b');
    assert.equal(b?.requested('cpu'), 1000);
    assert.equal(cache.isAssumed('default', 'p'), true);
    // The binding comes back through the watch.
    const bound = { ...pod, spec: { ...pod.spec, nodeName: 'b' } };
    assert.equal(cache.addPod(bound), true, 'confirms the assumed pod');
    assert.equal(cache.isAssumed('default', 'p'), false);
    assert.equal(cache.addPod(bound), false, 'nothing left to confirm');
    assert.equal(cache.addPod(newPod('q', { cpu: '1', nodeName: 'a' })), false, 'a pod bound by another');
    assert.equal(b?.podCount, 1);
    assert.equal(b?.requested('memory'), 1024 * MI);
    cache.removePod(bound);
    cache.removePod(newPod('q', { nodeName: 'a' }));
    assert.equal(b?.podCount, 0);
    assert.equal(b?.requested('cpu'), 0);
    assert.deepEqual(cache.nodeList.map((node) => node.name), ['a', 'b']);
  });

  it('leaves the node row untouched when an assumed pod is confirmed or only its status changes', () => {
    const cache = new SchedulerCache();
    cache.addNode(newNode('a'));
    const pod = newPod('p', { cpu: '1', memory: '1Gi' });
    cache.assumePod(new PodInfo(pod), 'a');
    const a = cache.nodeInfo('a') as NonNullable<ReturnType<SchedulerCache['nodeInfo']>>;
    const version = a.table.version[a.slot];
    const bound = { ...pod, spec: { ...pod.spec, nodeName: 'a' } };
    cache.addPod(bound);
    cache.updatePod({ ...bound, status: { phase: 'Running' } });
    assert.equal(a.table.version[a.slot], version);
    assert.deepEqual([cache.isAssumed('default', 'p'), a.podCount, a.requested('cpu')], [false, 1, 1000]);
    // New containers are new requests.
    cache.updatePod({ ...bound, spec: { ...bound.spec, containers: [{ name: 'app', resources: { requests: { cpu: '3' } } }] } });
    assert.notEqual(a.table.version[a.slot], version);
    assert.deepEqual([a.podCount, a.requested('cpu')], [1, 3000]);
  });

  it('forgets an assumed pod whose binding failed', () => {
    const cache = new SchedulerCache();
    cache.addNode(newNode('a'));
    cache.assumePod(new PodInfo(newPod('p', { cpu: '1' })), 'a');
    cache.forgetPod('default', 'p');
    assert.equal(cache.nodeInfo('a')?.podCount, 0);
    assert.equal(cache.podCount, 0);
  });

  it('keeps pods of a deleted node, and counts them when the node returns', () => {
    const cache = new SchedulerCache();
    const node = newNode('a');
    cache.addNode(node);
    cache.addPod(newPod('p', { cpu: '1', nodeName: 'a' }));
    cache.removeNode(node);
    assert.deepEqual(cache.nodeList, []);
    cache.addNode(node);
    assert.equal(cache.nodeInfo('a')?.requested('cpu'), 1000);
    // A pod bound to a node the cache has never seen waits for it the same way.
    cache.addPod(newPod('q', { cpu: '2', nodeName: 'later' }));
    cache.addNode(newNode('later'));
    assert.equal(cache.nodeInfo('later')?.requested('cpu'), 2000);
  });

  it('takes allocatable from status.allocatable, else status.capacity, and tracks image spread', () => {
    const cache = new SchedulerCache();
    const image = { names: ['app:1'], sizeBytes: 100 * MI };
    cache.addNode(newNode('a', { cpu: '2', images: [image] }));
    const capacityOnly = newNode('b', { images: [image] });
    capacityOnly.status = { capacity: { cpu: '3', memory: '1Gi', pods: 10 }, images: [image] };
    cache.addNode(capacityOnly);
    assert.equal(cache.nodeInfo('a')?.allocatable('cpu'), 2000);
    assert.equal(cache.nodeInfo('b')?.allocatable('cpu'), 3000);
    assert.equal(cache.imageState('app:1')?.numNodes, 2);
    cache.removeNode(capacityOnly);
    assert.equal(cache.imageState('app:1')?.numNodes, 1);
  });
});

describe('selectHost', () => {
  it('picks the highest total', () => {
    const rng = new RandomStreams(1).stream('scheduler');
    assert.equal(selectHost(Int32Array.from([10, 30, 20]), 3, rng), 1);
  });

  it('breaks ties uniformly at random, reproducibly for a seed', () => {
    const totals = Int32Array.from([5, 9, 9, 9, 1]);
    const draw = (seed: number) => {
      const rng = new RandomStreams(seed).stream('scheduler');
      return Array.from({ length: 3000 }, () => selectHost(totals, 5, rng));
    };
    const picks = draw(7);
    assert.deepEqual(picks, draw(7));
    const counts = [0, 0, 0, 0, 0];
    for (const pick of picks) counts[pick]++;
    assert.equal(counts[0] + counts[4], 0);
    for (const index of [1, 2, 3]) assert.ok(Math.abs(counts[index] - 1000) < 120, `index ${index} chosen ${counts[index]} times`);
  });
});
