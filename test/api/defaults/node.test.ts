import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultNode } from '../../../src/api/defaults/node.js';
import type { Node } from '../../../src/api/types/index.js';

function node(status?: Node['status']): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {}, status };
}

describe('defaultNode', () => {
  it('copies capacity into a missing allocatable', () => {
    const n = node({ capacity: { cpu: '4', memory: '16Gi', pods: '110' } });
    defaultNode(n);
    assert.deepEqual(n.status?.allocatable, { cpu: '4', memory: '16Gi', pods: '110' });
    assert.notEqual(n.status?.allocatable, n.status?.capacity, 'a copy, not the same map');
  });

  it('keeps an explicit allocatable and leaves the spec alone', () => {
    const n = node({ capacity: { cpu: '4' }, allocatable: { cpu: '3800m' } });
    defaultNode(n);
    assert.deepEqual(n.status?.allocatable, { cpu: '3800m' });
    assert.deepEqual(n.spec, {});
    const bare = node();
    defaultNode(bare);
    assert.equal(bare.status, undefined);
  });
});
