import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance, nearest, suggestion } from '../../src/util/suggest.js';

describe('editDistance (optimal string alignment)', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['replicas', 'replicas', 0],
    ['replicas', 'replica', 1],
    ['replicas', 'replicsa', 1],
    ['ab', 'ba', 1],
    ['maxSurge', 'maxSrueg', 2],
    ['flaw', 'lawn', 2],
    // OSA, not full Damerau: a transposed pair may not be edited again.
    ['ca', 'abc', 3],
  ];
  for (const [a, b, d] of cases) {
    it(`"${a}" ↔ "${b}" = ${d}`, () => {
      assert.equal(editDistance(a, b), d);
      assert.equal(editDistance(b, a), d, 'symmetric');
    });
  }

  it('is case-sensitive itself (nearest lower-cases first)', () => {
    assert.equal(editDistance('A', 'a'), 1);
  });
});

describe('nearest', () => {
  const keys = ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'paused'];

  it('finds a transposition typo', () => {
    assert.equal(nearest('replcias', keys), 'replicas');
    assert.equal(nearest('stratgey', keys), 'strategy');
  });

  it('is case-insensitive and returns the candidate as spelled', () => {
    assert.equal(nearest('MINREADYSECONDS', keys), 'minReadySeconds');
    assert.equal(nearest('minreadyseconds', keys), 'minReadySeconds');
  });

  it('allows floor(len/3) edits, at least 1 and at most 3', () => {
    // "pausd" (5 chars): budget 1.
    assert.equal(nearest('pausd', keys), 'paused');
    // "psd" (3 chars): budget 1 but distance 3.
    assert.equal(nearest('psd', keys), undefined);
    // "temp" (4 chars): budget 1, distance 4 to "template".
    assert.equal(nearest('temp', keys), undefined);
    // "replxxas" (8 chars): budget 2, distance 2.
    assert.equal(nearest('replxxas', keys), 'replicas');
    // "rexxxcas" (8 chars): budget 2, distance 3.
    assert.equal(nearest('rexxxcas', keys), undefined);
    // A long word is capped at 3 edits: 15 chars → budget 3 (not 5).
    assert.equal(nearest('minReadyXXXonds', keys), 'minReadySeconds');
    assert.equal(nearest('minReaXXXXconds', keys), undefined);
  });

  it('breaks ties in favour of the earlier candidate', () => {
    assert.equal(nearest('bat', ['cat', 'hat']), 'cat');
    assert.equal(nearest('bat', ['hat', 'cat']), 'hat');
  });

  it('returns undefined with no candidates', () => {
    assert.equal(nearest('x', []), undefined);
  });
});

describe('suggestion', () => {
  it('says "did you mean" when a candidate is close', () => {
    assert.equal(suggestion('replcias', ['replicas', 'paused']), 'did you mean "replicas"?');
  });

  it('lists the valid words (sorted) when nothing is close, with the noun', () => {
    assert.equal(suggestion('zzz', ['b', 'a'], 'kind'), 'valid kinds: "a", "b"');
  });

  it('shows at most 12 and says how many there are', () => {
    const many = Array.from({ length: 15 }, (_, i) => `word${String(i).padStart(2, '0')}`);
    const text = suggestion('qqqqqqqqqqqq', many);
    assert.match(text, /^valid keys: "word00", .*"word11", … \(15 in all\)$/);
    assert.ok(!text.includes('word12'));
  });
});
