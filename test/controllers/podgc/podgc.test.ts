import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCondition } from '../../../src/api/conditions.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { WatchEvent } from '../../../src/cluster/api-server.js';
import { QUARANTINE_TIME_MS, podGarbageCollector } from '../../../src/controllers/podgc/podgc-controller.js';
import { newCluster, newNode, newPod } from '../garbage-collector/harness.js';

function setup() {
  const cluster = newCluster(podGarbageCollector);
  const { api } = cluster;
  api.create(newNode('n1'));
  api.create(newNode('n2'));
  api.create(newPod('on-n1', { nodeName: 'n1' }));
  api.create(newPod('on-n2', { nodeName: 'n2' }));
  const modified: Pod[] = [];
  api.observe((event: WatchEvent) => {
    if (event.type === 'MODIFIED' && event.object.kind === 'Pod') modified.push(event.object as Pod);
  });
  cluster.sim.run();
  return { ...cluster, modified };
}

const pod = (api: ReturnType<typeof setup>['api'], name: string) => api.get<Pod>('Pod', 'default', name);

describe('pod garbage collector: orphaned pods', () => {
  it('deletes the pods of a deleted node once the quarantine is over, after marking them Failed', () => {
    const { api, sim, modified } = setup();
    const deletedAt = sim.now;
    api.delete('Node', undefined, 'n1');
    sim.run({ until: deletedAt + QUARANTINE_TIME_MS - 1 });
    assert.ok(pod(api, 'on-n1') !== undefined, 'still quarantined');
    assert.equal(modified.length, 0);

    sim.run({ until: deletedAt + QUARANTINE_TIME_MS });
    assert.equal(pod(api, 'on-n1'), undefined);
    assert.ok(pod(api, 'on-n2') !== undefined, 'pods of other nodes are spared');
    assert.equal(modified.length, 1, 'one status update before the delete');
    const failed = modified[0] as Pod;
    assert.equal(failed.status?.phase, 'Failed');
    const condition = getCondition(failed.status?.conditions, 'DisruptionTarget');
    assert.deepEqual(condition, {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByPodGC',
      message: 'PodGC: node no longer exists',
      lastTransitionTime: deletedAt + QUARANTINE_TIME_MS,
    });
  });

  it('spares the pods when the node comes back during the quarantine', () => {
    const { api, sim } = setup();
    api.delete('Node', undefined, 'n1');
    sim.schedule(20_000, () => api.create(newNode('n1')));
    sim.run({ until: 3 * QUARANTINE_TIME_MS });
    assert.ok(pod(api, 'on-n1') !== undefined);
    assert.equal(pod(api, 'on-n1')?.status?.phase, 'Pending');
  });

  it('restarts the quarantine when the node goes again', () => {
    const { api, sim } = setup();
    api.delete('Node', undefined, 'n1');
    sim.schedule(10_000, () => api.create(newNode('n1')));
    sim.schedule(20_000, () => api.delete('Node', undefined, 'n1'));
    sim.run({ until: 20_000 + QUARANTINE_TIME_MS - 1 });
    assert.ok(pod(api, 'on-n1') !== undefined, 'the first deletion no longer counts');
    sim.run({ until: 20_000 + QUARANTINE_TIME_MS });
    assert.equal(pod(api, 'on-n1'), undefined);
  });

  it('collects a pod bound to a node that never existed, 40 s after seeing it', () => {
    const { api, sim } = setup();
    sim.run({ until: 5_000 });
    api.create(newPod('stray', { nodeName: 'ghost' }));
    sim.run({ until: 5_000 + QUARANTINE_TIME_MS - 1 });
    assert.ok(pod(api, 'stray') !== undefined);
    sim.run({ until: 5_000 + QUARANTINE_TIME_MS });
    assert.equal(pod(api, 'stray'), undefined);
  });

  it('schedules nothing for a deleted node without pods', () => {
    const { api, sim, runners } = setup();
    api.create(newNode('empty'));
    sim.run();
    api.delete('Node', undefined, 'empty');
    const result = sim.run();
    assert.equal(result.state, 'drained');
    assert.equal(runners[0]?.queue.delayed, 0);
  });
});

describe('pod garbage collector: unscheduled terminating pods', () => {
  it('marks a terminating pod without a node Failed and deletes it', () => {
    const { api, sim } = setup();
    api.create(newPod('held', { finalizers: ['example.com/hold'] }));
    sim.run();
    api.delete('Pod', 'default', 'held');
    sim.run();
    const held = pod(api, 'held');
    assert.ok(held !== undefined, 'its finalizer still holds it');
    assert.equal(held.status?.phase, 'Failed');
    assert.equal(getCondition(held.status?.conditions, 'DisruptionTarget'), undefined, 'no condition for unscheduled pods');

    // Once the finalizer's owner lets go, the pod is gone.
    api.update<Pod>({ ...(held as Pod), metadata: { ...(held.metadata as Pod['metadata']), finalizers: [] } });
    assert.equal(pod(api, 'held'), undefined);
  });

  it('leaves running unscheduled pods alone', () => {
    const { api, sim } = setup();
    api.create(newPod('pending'));
    sim.run();
    assert.equal(pod(api, 'pending')?.status?.phase, 'Pending');
  });
});
