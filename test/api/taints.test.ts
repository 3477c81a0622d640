import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUntoleratedTaint, isTaintTolerated, toleratesTaint } from '../../src/api/taints.js';
import type { Taint } from '../../src/api/types/node.js';
import type { Toleration } from '../../src/api/types/pod.js';

const taint: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  it('Equal (explicit or default) needs the same key, value and effect', () => {
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint), true);
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, taint), true, 'operator defaults to Equal');
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }, taint), false);
    assert.equal(toleratesTaint({ key: 'other', value: 'gpu', effect: 'NoSchedule' }, taint), false);
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, taint), false);
  });

  it('Equal treats a missing value as the empty string', () => {
    const bare: Taint = { key: 'k', effect: 'NoExecute' };
    assert.equal(toleratesTaint({ key: 'k', operator: 'Equal', effect: 'NoExecute' }, bare), true);
    assert.equal(toleratesTaint({ key: 'k', operator: 'Equal', value: '', effect: 'NoExecute' }, bare), true);
    assert.equal(toleratesTaint({ key: 'k', operator: 'Equal', value: 'x', effect: 'NoExecute' }, bare), false);
    assert.equal(toleratesTaint({ key: 'k', operator: 'Equal', effect: 'NoExecute' }, { ...bare, value: 'x' }), false);
  });

  it('Exists matches any value of the key', () => {
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, taint), true);
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists', value: 'ignored', effect: 'NoSchedule' }, taint), true);
    assert.equal(toleratesTaint({ key: 'other', operator: 'Exists', effect: 'NoSchedule' }, taint), false);
  });

  it('an empty key with Exists matches every taint (of a matching effect)', () => {
    assert.equal(toleratesTaint({ operator: 'Exists' }, taint), true);
    assert.equal(toleratesTaint({ key: '', operator: 'Exists' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }), true);
    assert.equal(toleratesTaint({ operator: 'Exists', effect: 'NoExecute' }, taint), false);
  });

  it('an empty effect (absent or "") matches every effect', () => {
    for (const effect of ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const) {
      assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, { ...taint, effect }), true, effect);
      assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: '' as Toleration['effect'] }, { ...taint, effect }), true, `"" vs ${effect}`);
    }
  });
});

describe('isTaintTolerated and findUntoleratedTaint', () => {
  const tolerations: Toleration[] = [
    { key: 'a', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'b', value: '1', effect: 'NoExecute' },
  ];

  it('a taint is tolerated if any toleration matches; none when tolerations are missing', () => {
    assert.equal(isTaintTolerated({ key: 'a', value: 'z', effect: 'NoSchedule' }, tolerations), true);
    assert.equal(isTaintTolerated({ key: 'b', value: '1', effect: 'NoExecute' }, tolerations), true);
    assert.equal(isTaintTolerated({ key: 'b', value: '2', effect: 'NoExecute' }, tolerations), false);
    assert.equal(isTaintTolerated({ key: 'a', effect: 'NoSchedule' }, undefined), false);
    assert.equal(isTaintTolerated({ key: 'a', effect: 'NoSchedule' }, []), false);
  });

  it('returns the first untolerated taint among the given effects only', () => {
    const taints: Taint[] = [
      { key: 'a', effect: 'NoSchedule' },
      { key: 'soft', effect: 'PreferNoSchedule' },
      { key: 'c', effect: 'NoSchedule' },
      { key: 'd', effect: 'NoExecute' },
    ];
    assert.deepEqual(findUntoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute']), { key: 'c', effect: 'NoSchedule' });
    assert.deepEqual(findUntoleratedTaint(taints, tolerations, ['NoExecute']), { key: 'd', effect: 'NoExecute' });
    assert.equal(findUntoleratedTaint(taints.slice(0, 2), tolerations, ['NoSchedule', 'NoExecute']), undefined);
    assert.equal(findUntoleratedTaint(undefined, tolerations, ['NoSchedule']), undefined);
    assert.equal(findUntoleratedTaint(taints, [{ operator: 'Exists' }], ['NoSchedule', 'NoExecute']), undefined);
  });
});
