/** NamesByNamespace: the remembered namespace always answers with the namespace's current map. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NamesByNamespace } from '../../src/util/names-by-namespace.js';

describe('NamesByNamespace', () => {
  it('answers nothing for a namespace never used, and makes its map on first use', () => {
    const names = new NamesByNamespace<number>();
    assert.equal(names.namesOf('a'), undefined);
    names.namesFor('a').set('x', 1);
    assert.equal(names.namesOf('a')?.get('x'), 1);
    assert.equal(names.namesOf('b'), undefined, 'a miss is not remembered as a hit');
  });

  it('keeps each namespace apart while lookups alternate between them', () => {
    const names = new NamesByNamespace<number>();
    names.namesFor('a').set('x', 1);
    names.namesFor('b').set('x', 2);
    for (const [namespace, value] of [['a', 1], ['b', 2], ['b', 2], ['a', 1]] as const) assert.equal(names.namesOf(namespace)?.get('x'), value, namespace);
  });

  it('keeps an emptied namespace, so the remembered map is the one later writes go to', () => {
    const names = new NamesByNamespace<number>();
    names.namesFor('a').set('x', 1);
    names.namesOf('a')?.delete('x');
    assert.equal(names.namesOf('a')?.size, 0);
    names.namesFor('a').set('y', 2);
    assert.equal(names.namesOf('a')?.get('y'), 2);
    assert.equal(names.namesFor('a'), names.namesOf('a'));
  });
});
