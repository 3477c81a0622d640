/**
 * MarkPodsNotReady: only the Ready condition turns False (its transition time now), nothing else
 * in the status changes, and a pod already not ready (or without the condition) is not written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, PodStatus } from '../../../src/api/types/pod.js';
import { ApiServer } from '../../../src/cluster/api-server.js';
import { markPodsNotReady, podStatusNotReady } from '../../../src/controllers/node-lifecycle/mark-pods-not-ready.js';
import { RandomStreams } from '../../../src/engine/random.js';
import { Simulation } from '../../../src/engine/simulation.js';

const running: PodStatus = {
  phase: 'Running',
  podIP: '10.0.0.5',
  conditions: [
    { type: 'ContainersReady', status: 'True', lastTransitionTime: 1 },
    { type: 'Ready', status: 'True', lastTransitionTime: 1 },
  ],
};

describe('podStatusNotReady', () => {
  it('turns only Ready to False, now', () => {
    assert.deepEqual(podStatusNotReady(running, 9), {
      phase: 'Running',
      podIP: '10.0.0.5',
      conditions: [
        { type: 'ContainersReady', status: 'True', lastTransitionTime: 1 },
        { type: 'Ready', status: 'False', lastTransitionTime: 9 },
      ],
    });
  });

  it('leaves a pod without the condition, or already not ready, alone', () => {
    assert.equal(podStatusNotReady({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] }, 9), undefined);
    assert.equal(podStatusNotReady({ conditions: [{ type: 'Ready', status: 'False' }] }, 9), undefined);
    assert.equal(podStatusNotReady(undefined, 9), undefined);
  });
});

describe('markPodsNotReady', () => {
  it('writes the pods of the node only, from their live state', () => {
    const api = new ApiServer(new Simulation(), new RandomStreams(1));
    const pod = (name: string, nodeName: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'i' }] } });
    const mine = api.create(pod('mine', 'n1'));
    const other = api.create(pod('other', 'n2'));
    api.updateStatus<Pod>({ ...(api.get<Pod>('Pod', 'default', 'mine') as Pod), status: running });
    api.updateStatus<Pod>({ ...(api.get<Pod>('Pod', 'default', 'other') as Pod), status: running });
    markPodsNotReady(api, [mine, other], 'n1', 7);
    assert.equal(api.get<Pod>('Pod', 'default', 'mine')?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
    assert.equal(api.get<Pod>('Pod', 'default', 'mine')?.status?.podIP, '10.0.0.5', 'the live status, not the stale cached one');
    assert.equal(api.get<Pod>('Pod', 'default', 'other')?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  });
});
