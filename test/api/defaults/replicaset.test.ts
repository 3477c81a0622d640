import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultReplicaSet } from '../../../src/api/defaults/replicaset.js';
import type { ReplicaSet } from '../../../src/api/types/index.js';

function rs(replicas?: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
}

describe('defaultReplicaSet', () => {
  it('defaults replicas to 1 and the template like a pod', () => {
    const obj = rs();
    defaultReplicaSet(obj);
    assert.equal(obj.spec.replicas, 1);
    assert.equal(obj.spec.template.spec.restartPolicy, 'Always');
    assert.equal(obj.spec.template.spec.containers[0].imagePullPolicy, 'Always');
  });

  it('keeps replicas 0 and does not invent a selector', () => {
    const obj = rs(0);
    defaultReplicaSet(obj);
    assert.equal(obj.spec.replicas, 0);
    assert.deepEqual(obj.spec.selector, { matchLabels: { app: 'web' } });
  });
});
