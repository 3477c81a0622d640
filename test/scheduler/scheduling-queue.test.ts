import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Simulation } from '../../src/engine/simulation.js';
import type { Pod } from '../../src/api/types/pod.js';
import { AssignedPodDelete, type ClusterEvent, NodeAdd } from '../../src/scheduler/cluster-events.js';
import { SchedulingQueue, calculateBackoffDuration, isPodUpdated } from '../../src/scheduler/scheduling-queue.js';
import { newPod } from './helpers.js';

const SETTINGS = { podInitialBackoffMs: 1000, podMaxBackoffMs: 10_000, podMaxInUnschedulablePodsDurationMs: 300_000 };
/** Plugin bits in these tests: 1 = a node-only plugin, 2 = a plugin that also cares about pod deletions. */
const NODE_PLUGIN = 1;
const RESOURCE_PLUGIN = 2;

function interested(event: ClusterEvent): number {
  return event.resource === 'Node' ? NODE_PLUGIN | RESOURCE_PLUGIN : RESOURCE_PLUGIN;
}

function newQueue(sim = new Simulation()) {
  let activations = 0;
  const queue = new SchedulingQueue(sim, SETTINGS, interested, () => activations++);
  return { sim, queue, activations: () => activations };
}

/** Pops a pod and reports it unschedulable, rejected by the plugins in `plugins`. */
function fail(queue: SchedulingQueue, plugins = RESOURCE_PLUGIN): void {
  const info = queue.pop();
  assert.ok(info !== undefined, 'a pod to pop');
  info.unschedulablePlugins = plugins;
  queue.addUnschedulableIfNotPresent(info);
}

describe('SchedulingQueue: order', () => {
  it('pops by priority, then in arrival order', () => {
    const { queue, activations } = newQueue();
    queue.add(newPod('low-1', { priority: 0 }));
    queue.add(newPod('high', { priority: 1000 }));
    queue.add(newPod('low-2'));
    queue.add(newPod('mid', { priority: 10 }));
    const order: string[] = [];
    for (let info = queue.pop(); info !== undefined; info = queue.pop()) order.push(info.podInfo.pod.metadata.name);
    assert.deepEqual(order, ['high', 'mid', 'low-1', 'low-2']);
    assert.equal(activations(), 4);
  });

  it('forgets deleted pods wherever they wait', () => {
    const { queue } = newQueue();
    queue.add(newPod('a'));
    queue.add(newPod('b'));
    queue.delete('default', 'a');
    assert.equal(queue.locate('default/a'), undefined);
    assert.equal(queue.pop()?.podInfo.key, 'default/b');
    assert.equal(queue.pop(), undefined);
  });
});

describe('SchedulingQueue: backoff', () => {
  it('doubles from the initial backoff per attempt up to the cap', () => {
    const durations = [1, 2, 3, 4, 5, 6, 7].map((attempts) => calculateBackoffDuration(attempts, 1000, 10_000));
    assert.deepEqual(durations, [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('sends a pod that missed a move request during its attempt to backoffQ, and releases it when the backoff ends', () => {
    const { sim, queue } = newQueue();
    queue.add(newPod('p'));
    const info = queue.pop();
    assert.ok(info);
    // A node appeared while the pod was being tried.
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    info.unschedulablePlugins = RESOURCE_PLUGIN;
    queue.addUnschedulableIfNotPresent(info);
    assert.equal(queue.locate('default/p'), 'backoff');
    sim.run({ until: 999 });
    assert.equal(queue.locate('default/p'), 'backoff');
    sim.run({ until: 1000 });
    assert.equal(queue.locate('default/p'), 'active');
    assert.equal(sim.pending, 0);
  });

  it('moves a pod to backoffQ on an event while it is still backing off, else straight to activeQ', () => {
    const { sim, queue } = newQueue();
    queue.add(newPod('p'));
    fail(queue); // t=0, first attempt: backoff until 1 s
    assert.equal(queue.locate('default/p'), 'unschedulable');
    sim.run({ until: 500 });
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    assert.equal(queue.locate('default/p'), 'backoff');
    sim.run({ until: 1000 });
    assert.equal(queue.locate('default/p'), 'active');
    fail(queue); // t=1 s, second attempt: backoff 2 s, until 3 s
    sim.run({ until: 5000 });
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    assert.equal(queue.locate('default/p'), 'active');
  });
});

describe('SchedulingQueue: cluster events', () => {
  it('moves only pods rejected by a plugin registered for the event, and that pass the pre-check', () => {
    const { sim, queue } = newQueue();
    for (const name of ['by-node-plugin', 'by-resource-plugin', 'by-nobody', 'fails-precheck']) queue.add(newPod(name));
    fail(queue, NODE_PLUGIN);
    fail(queue, RESOURCE_PLUGIN);
    fail(queue, 0);
    fail(queue, RESOURCE_PLUGIN);
    sim.run({ until: 60_000 });
    queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, (pod) => pod.pod.metadata.name !== 'fails-precheck');
    assert.equal(queue.locate('default/by-node-plugin'), 'unschedulable');
    assert.equal(queue.locate('default/by-resource-plugin'), 'active');
    assert.equal(queue.locate('default/by-nobody'), 'active');
    assert.equal(queue.locate('default/fails-precheck'), 'unschedulable');
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    assert.equal(queue.locate('default/by-node-plugin'), 'active');
    assert.equal(queue.locate('default/fails-precheck'), 'active');
  });

  it('moves an unschedulable pod when its spec changes, not when only its status does', () => {
    const { queue } = newQueue();
    const pod = newPod('p', { nodeSelector: { zone: 'nowhere' } });
    queue.add(pod);
    fail(queue, NODE_PLUGIN);
    const statusOnly: Pod = { ...pod, metadata: { ...pod.metadata, resourceVersion: '9' }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] } };
    assert.equal(isPodUpdated(pod, statusOnly), false);
    queue.update(pod, statusOnly);
    assert.equal(queue.locate('default/p'), 'unschedulable');
    const relaxed: Pod = { ...statusOnly, spec: { ...statusOnly.spec, nodeSelector: {} } };
    assert.equal(isPodUpdated(statusOnly, relaxed), true);
    queue.update(statusOnly, relaxed);
    assert.equal(queue.locate('default/p'), 'backoff');
  });
});

describe('SchedulingQueue: unschedulable leftovers', () => {
  it('retries a pod after 5 minutes in the unschedulable set, with one timer and only while it waits', () => {
    const { sim, queue } = newQueue();
    queue.add(newPod('p'));
    fail(queue);
    assert.equal(sim.pending, 1);
    sim.run({ until: 299_999 });
    assert.equal(queue.locate('default/p'), 'unschedulable');
    sim.run({ until: 300_000 });
    assert.equal(queue.locate('default/p'), 'active');
    assert.deepEqual(sim.run(), { state: 'drained', now: 300_000, steps: 0 });
  });

  it('cancels the timer when the set empties early', () => {
    const { sim, queue } = newQueue();
    queue.add(newPod('p'));
    fail(queue);
    sim.run({ until: 10_000 });
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    assert.equal(queue.locate('default/p'), 'active');
    // The cancelled timer is skipped: nothing runs and the clock stays.
    assert.deepEqual(sim.run(), { state: 'drained', now: 10_000, steps: 0 });
  });
});
