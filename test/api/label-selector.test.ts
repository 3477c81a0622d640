import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type NodeSelectorSubject,
  compileLabelSelector,
  compiledLabelSelector,
  isEmptySelector,
  matchesLabelMap,
  nodeSelectorTermMatches,
  nodeSelectorTermsMatch,
} from '../../src/api/label-selector.js';

describe('compileLabelSelector: nil vs empty', () => {
  it('a missing selector (undefined or null) matches nothing', () => {
    assert.equal(compileLabelSelector(undefined)({ app: 'web' }), false);
    assert.equal(compileLabelSelector(null)({}), false);
    assert.equal(compileLabelSelector(undefined)(undefined), false);
  });

  it('an empty selector {} matches everything, even objects without labels', () => {
    const all = compileLabelSelector({});
    assert.equal(all({ app: 'web' }), true);
    assert.equal(all({}), true);
    assert.equal(all(undefined), true);
    assert.equal(compileLabelSelector({ matchLabels: {}, matchExpressions: [] })({ x: 'y' }), true);
  });

  it('isEmptySelector is true only for a present selector with no requirements', () => {
    assert.equal(isEmptySelector({}), true);
    assert.equal(isEmptySelector({ matchLabels: {}, matchExpressions: [] }), true);
    assert.equal(isEmptySelector(undefined), false);
    assert.equal(isEmptySelector({ matchLabels: { a: 'b' } }), false);
    assert.equal(isEmptySelector({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }), false);
  });
});

describe('compileLabelSelector: matchLabels and operators', () => {
  it('matchLabels requires every pair', () => {
    const match = compileLabelSelector({ matchLabels: { app: 'web', tier: 'front' } });
    assert.equal(match({ app: 'web', tier: 'front', extra: 'x' }), true);
    assert.equal(match({ app: 'web' }), false);
    assert.equal(match({ app: 'web', tier: 'back' }), false);
    assert.equal(match(undefined), false);
  });

  it('In: key present with one of the values', () => {
    const match = compileLabelSelector({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] });
    assert.equal(match({ env: 'prod' }), true);
    assert.equal(match({ env: 'staging' }), true);
    assert.equal(match({ env: 'dev' }), false);
    assert.equal(match({}), false);
    assert.equal(match(undefined), false);
  });

  it('NotIn: key absent, or present with none of the values', () => {
    const match = compileLabelSelector({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] });
    assert.equal(match({ env: 'dev' }), true);
    assert.equal(match({}), true);
    assert.equal(match(undefined), true);
    assert.equal(match({ env: 'prod' }), false);
  });

  it('Exists and DoesNotExist look only at the key', () => {
    const exists = compileLabelSelector({ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] });
    const absent = compileLabelSelector({ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] });
    assert.equal(exists({ gpu: '' }), true);
    assert.equal(exists({ cpu: 'x' }), false);
    assert.equal(exists(undefined), false);
    assert.equal(absent({ gpu: 'a100' }), false);
    assert.equal(absent({}), true);
    assert.equal(absent(undefined), true);
  });

  it('ANDs matchLabels with every expression', () => {
    const match = compileLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(match({ app: 'web', env: 'prod' }), true);
    assert.equal(match({ app: 'web', env: 'prod', canary: 'true' }), false);
    assert.equal(match({ app: 'api', env: 'prod' }), false);
    assert.equal(match({ app: 'web', env: 'dev' }), false);
  });

  it('Exists/DoesNotExist on keys that happen to name Object.prototype members see only own labels', () => {
    // Bug: the predicates use `key in labels`, which walks the prototype chain, so a selector on
    // the (valid) label key "constructor" or "toString" matches every labels object. Upstream
    // labels.Set is a map: `_, ok := ls[key]` finds only real labels.
    assert.equal(compileLabelSelector({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] })({ app: 'web' }), false);
    assert.equal(compileLabelSelector({ matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }] })({ app: 'web' }), true);
    // The node-selector path has the same flaw (`req.key in node.labels`).
    const plain: NodeSelectorSubject = { name: 'n', labels: { zone: 'a' } };
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, plain), false);
  });
});

describe('matchesLabelMap', () => {
  it('requires every pair; an empty map matches everything', () => {
    assert.equal(matchesLabelMap({ disk: 'ssd' }, { disk: 'ssd', zone: 'a' }), true);
    assert.equal(matchesLabelMap({ disk: 'ssd' }, { disk: 'hdd' }), false);
    assert.equal(matchesLabelMap({ disk: 'ssd' }, undefined), false);
    assert.equal(matchesLabelMap({}, undefined), true);
  });
});

describe('node selector terms', () => {
  const node: NodeSelectorSubject = { name: 'node-a', labels: { zone: 'us-1a', cores: '16', kind: 'gpu', weird: 'v1' } };

  it('an empty term matches nothing', () => {
    assert.equal(nodeSelectorTermMatches({}, node), false);
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [], matchFields: [] }, node), false);
  });

  it('In/NotIn/Exists/DoesNotExist on labels', () => {
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['us-1a', 'us-1b'] }] }, node), true);
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['us-1a'] }] }, node), false);
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'rack', operator: 'NotIn', values: ['r1'] }] }, node), true);
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'kind', operator: 'Exists' }] }, node), true);
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'kind', operator: 'DoesNotExist' }] }, node), false);
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] }, { name: 'n', labels: undefined }), false);
  });

  it('Gt/Lt compare the label as an integer, strictly', () => {
    const term = (operator: 'Gt' | 'Lt', value: string) => ({ matchExpressions: [{ key: 'cores', operator, values: [value] }] });
    assert.equal(nodeSelectorTermMatches(term('Gt', '8'), node), true);
    assert.equal(nodeSelectorTermMatches(term('Gt', '16'), node), false);
    assert.equal(nodeSelectorTermMatches(term('Lt', '32'), node), true);
    assert.equal(nodeSelectorTermMatches(term('Lt', '16'), node), false);
    // Numeric, not lexicographic: "16" > "9".
    assert.equal(nodeSelectorTermMatches(term('Gt', '9'), node), true);
  });

  it('Gt/Lt never match a missing or non-integer label', () => {
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'memory', operator: 'Gt', values: ['1'] }] }, node), false);
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'weird', operator: 'Gt', values: ['0'] }] }, node), false);
    assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'weird', operator: 'Lt', values: ['1000'] }] }, node), false);
  });

  it('matchFields on metadata.name', () => {
    assert.equal(nodeSelectorTermMatches({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] }, node), true);
    assert.equal(nodeSelectorTermMatches({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-b'] }] }, node), false);
    assert.equal(nodeSelectorTermMatches({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-a'] }] }, node), false);
  });

  it('ANDs expressions with fields inside a term', () => {
    const term = {
      matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['us-1a'] }],
      matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: ['node-b'] }],
    };
    assert.equal(nodeSelectorTermMatches(term, node), false);
    assert.equal(nodeSelectorTermMatches(term, { ...node, name: 'node-b' }), true);
  });

  it('ORs terms; no terms match nothing; an empty term does not poison the others', () => {
    const miss = { matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['eu'] }] };
    const hit = { matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['us-1a'] }] };
    assert.equal(nodeSelectorTermsMatch([miss, hit], node), true);
    assert.equal(nodeSelectorTermsMatch([miss], node), false);
    assert.equal(nodeSelectorTermsMatch([], node), false);
    assert.equal(nodeSelectorTermsMatch([{}, hit], node), true);
    assert.equal(nodeSelectorTermsMatch([{}], node), false);
  });
});

describe('compiledLabelSelector', () => {
  it('compiles a selector object once and matches as compileLabelSelector does; a missing one matches nothing', () => {
    const selector = { matchLabels: { app: 'web' } };
    const first = compiledLabelSelector(selector);
    assert.equal(compiledLabelSelector(selector), first, 'the same predicate for the same object');
    assert.notEqual(compiledLabelSelector({ matchLabels: { app: 'web' } }), first, 'another object compiles anew');
    assert.equal(first({ app: 'web', tier: 'x' }), true);
    assert.equal(first({ app: 'db' }), false);
    assert.equal(compiledLabelSelector(undefined)({ app: 'web' }), false);
    assert.equal(compiledLabelSelector({})({ app: 'web' }), true);
  });
});
