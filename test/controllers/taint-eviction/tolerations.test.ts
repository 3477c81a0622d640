/**
 * getMinTolerationTime (upstream TestGetMinTolerationTime, all cases), GetMatchingTolerations
 * (the first matching toleration of each taint is the one that counts) and getNoExecuteTaints.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Taint } from '../../../src/api/types/node.js';
import type { Toleration } from '../../../src/api/types/pod.js';
import { getMatchingTolerations, getMinTolerationTime, getNoExecuteTaints } from '../../../src/controllers/taint-eviction/tolerations.js';

describe('getMinTolerationTime (upstream vectors)', () => {
  const cases: { name: string; tolerations: Toleration[]; expected: number }[] = [
    { name: 'no tolerations: at once', tolerations: [], expected: 0 },
    { name: 'one without seconds: forever', tolerations: [{}], expected: -1 },
    { name: 'the shorter of 1 s and 2 s', tolerations: [{ tolerationSeconds: 1 }, { tolerationSeconds: 2 }], expected: 1000 },
    { name: '1 s and forever: 1 s', tolerations: [{ tolerationSeconds: 1 }, {}], expected: 1000 },
    { name: 'forever and 1 s: 1 s', tolerations: [{}, { tolerationSeconds: 1 }], expected: 1000 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(getMinTolerationTime(c.tolerations), c.expected));

  it('zero or negative seconds mean at once', () => {
    assert.equal(getMinTolerationTime([{ tolerationSeconds: 300 }, { tolerationSeconds: 0 }]), 0);
    assert.equal(getMinTolerationTime([{ tolerationSeconds: -5 }]), 0);
  });
});

describe('getMatchingTolerations', () => {
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const custom: Taint = { key: 'maintenance', value: 'true', effect: 'NoExecute' };
  const defaults: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ];

  it('every taint tolerated: the matching tolerations, one per taint', () => {
    assert.deepEqual(getMatchingTolerations([unreachable], defaults), { allTolerated: true, used: [defaults[1]] });
  });

  it('one taint untolerated: none used', () => {
    assert.deepEqual(getMatchingTolerations([unreachable, custom], defaults), { allTolerated: false, used: [] });
    assert.deepEqual(getMatchingTolerations([unreachable], undefined), { allTolerated: false, used: [] });
  });

  it('no taints: tolerated', () => {
    assert.deepEqual(getMatchingTolerations([], undefined), { allTolerated: true, used: [] });
  });

  it('only the first matching toleration counts, even when a later one is shorter', () => {
    const tolerations: Toleration[] = [{ operator: 'Exists' }, ...defaults.map((t) => ({ ...t, tolerationSeconds: 1 }))];
    const { used } = getMatchingTolerations([unreachable], tolerations);
    assert.deepEqual(used, [{ operator: 'Exists' }]);
    assert.equal(getMinTolerationTime(used), -1, 'a wildcard toleration first keeps the pod forever');
  });

  it('getNoExecuteTaints keeps NoExecute taints in order', () => {
    assert.deepEqual(getNoExecuteTaints([{ key: 'a', effect: 'NoSchedule' }, custom, { key: 'b', effect: 'PreferNoSchedule' }, unreachable]), [custom, unreachable]);
    assert.deepEqual(getNoExecuteTaints(undefined), []);
  });
});
