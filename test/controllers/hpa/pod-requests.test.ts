/**
 * calculateRequests (replica_calculator.go): the sum of the containers' and sidecars' requests,
 * or one container's, and upstream's errors for a missing request or container.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../src/api/types/pod.js';
import { calculateRequests } from '../../../src/controllers/hpa/pod-requests.js';
import { testPod } from './fixtures.js';

const withSidecar = (restartPolicy?: string): Pod => {
  const pod = testPod('p', { containers: [{ name: 'app', cpu: 500 }] });
  pod.spec.initContainers = [{ name: 'proxy', image: 'proxy:1', resources: { requests: { cpu: '250m' } }, ...(restartPolicy !== undefined ? { restartPolicy } : {}) }];
  return pod;
};

describe('calculateRequests', () => {
  it('sums every container of each pod, in millicores', () => {
    const pods = [testPod('a', { containers: [{ name: 'x', cpu: 300 }, { name: 'y', cpu: 200 }] }), testPod('b', { containers: [{ name: 'x', cpu: 1000 }] })];
    assert.deepEqual([...(calculateRequests(pods, '', 'cpu') as Map<string, number>)], [['a', 500], ['b', 1000]]);
  });

  it('counts a sidecar (an init container with restartPolicy Always), not a plain init container', () => {
    assert.equal((calculateRequests([withSidecar('Always')], '', 'cpu') as Map<string, number>).get('p'), 750);
    assert.equal((calculateRequests([withSidecar()], '', 'cpu') as Map<string, number>).get('p'), 500);
  });

  it('takes one named container only', () => {
    const pods = [testPod('a', { containers: [{ name: 'x', cpu: 300 }, { name: 'y', cpu: 200 }] })];
    assert.equal((calculateRequests(pods, 'y', 'cpu') as Map<string, number>).get('a'), 200);
  });

  it('fails on a container without the request, or a named container that is not there', () => {
    const pods = [testPod('a', { containers: [{ name: 'x', cpu: 300 }, { name: 'y' }] })];
    assert.deepEqual(calculateRequests(pods, '', 'cpu'), { error: 'missing request for cpu in container y of Pod a' });
    assert.deepEqual(calculateRequests(pods, 'z', 'cpu'), { error: 'container z not found in Pod a' });
  });
});
