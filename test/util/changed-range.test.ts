/** changedRange: where two versions of an immutable list differ, by object identity. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedRange } from '../../src/util/changed-range.js';

describe('changedRange', () => {
  const [a, b, c, d, x, y] = ['a', 'b', 'c', 'd', 'x', 'y'].map((name) => ({ name }));
  const cases: [string, object[], object[], [number, number, number]][] = [
    ['the same objects', [a, b, c], [a, b, c], [3, 3, 3]],
    ['one replaced in place', [a, b, c, d], [a, x, c, d], [1, 2, 2]],
    ['one removed', [a, b, c, d], [a, c, d], [1, 2, 1]],
    ['one appended', [a, b, c], [a, b, c, x], [3, 3, 4]],
    ['one removed, one appended', [a, b, c], [a, c, x], [1, 3, 3]],
    ['all replaced', [a, b], [x, y], [0, 2, 2]],
    ['from empty', [], [a, b], [0, 0, 2]],
    ['to empty', [a, b], [], [0, 2, 0]],
    ['equal objects that are not the same', [a, { name: 'b' }], [a, { name: 'b' }], [1, 2, 2]],
    ['a repeated object does not overlap prefix and suffix', [a, a], [a], [1, 2, 1]],
  ];
  for (const [name, before, after, [start, beforeEnd, afterEnd]] of cases) {
    it(name, () => assert.deepEqual(changedRange(before, after), { start, beforeEnd, afterEnd }));
  }
});
