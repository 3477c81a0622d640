import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, deepCopy, deepEqual, deepFreeze, mergePatch } from '../../src/util/objects.js';

describe('deepCopy', () => {
  it('copies nested objects and arrays structurally, sharing nothing', () => {
    const source = { a: { b: [1, { c: 'x' }] }, d: null, e: 'str', f: 3, g: true };
    const copy = deepCopy(source);
    assert.deepEqual(copy, source);
    assert.notEqual(copy.a, source.a);
    assert.notEqual(copy.a.b, source.a.b);
    assert.notEqual(copy.a.b[1], source.a.b[1]);
    (copy.a.b[1] as { c: string }).c = 'changed';
    assert.equal((source.a.b[1] as { c: string }).c, 'x');
  });

  it('drops undefined-valued keys', () => {
    const copy = deepCopy({ a: 1, b: undefined, c: { d: undefined } });
    assert.deepEqual(Object.keys(copy), ['a', 'c']);
    assert.deepEqual(Object.keys(copy.c), []);
  });

  it('returns primitives unchanged and copies frozen input into a mutable result', () => {
    assert.equal(deepCopy(5), 5);
    assert.equal(deepCopy(null), null);
    assert.equal(deepCopy('s'), 's');
    const frozen = deepFreeze({ a: { b: 1 } });
    const copy = deepCopy(frozen);
    copy.a.b = 2;
    assert.equal(frozen.a.b, 1);
  });
});

describe('deepEqual', () => {
  it('compares structure, not identity', () => {
    assert.equal(deepEqual({ a: [1, { b: 'c' }] }, { a: [1, { b: 'c' }] }), true);
    assert.equal(deepEqual({ a: [1, { b: 'c' }] }, { a: [1, { b: 'd' }] }), false);
    assert.equal(deepEqual([1, 2], [1, 2, 3]), false);
    assert.equal(deepEqual([1, 2], [2, 1]), false);
  });

  it('treats an undefined-valued key as absent, in both directions', () => {
    assert.equal(deepEqual({ a: 1, b: undefined }, { a: 1 }), true);
    assert.equal(deepEqual({ a: 1 }, { a: 1, b: undefined }), true);
    assert.equal(deepEqual({ a: { x: undefined } }, { a: {} }), true);
  });

  it('distinguishes null from absent and from undefined', () => {
    assert.equal(deepEqual({ a: null }, {}), false);
    assert.equal(deepEqual({}, { a: null }), false);
    assert.equal(deepEqual({ a: null }, { a: undefined }), false);
  });

  it('does not equate arrays with objects, or different primitive types', () => {
    assert.equal(deepEqual([], {}), false);
    assert.equal(deepEqual({}, []), false);
    assert.equal(deepEqual({ 0: 'a' }, ['a']), false);
    assert.equal(deepEqual(1, '1'), false);
    assert.equal(deepEqual(null, {}), false);
    assert.equal(deepEqual(undefined, null), false);
  });

  it('ignores key order', () => {
    assert.equal(deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
  });
});

describe('deepFreeze', () => {
  it('freezes every level, so mutation throws in strict mode', () => {
    const obj = deepFreeze({ a: { b: [1, { c: 2 }] } });
    assert.ok(Object.isFrozen(obj) && Object.isFrozen(obj.a) && Object.isFrozen(obj.a.b) && Object.isFrozen(obj.a.b[1]));
    assert.throws(() => {
      (obj.a as { b: unknown }).b = 1;
    }, TypeError);
    assert.throws(() => {
      (obj.a.b as unknown[]).push(3);
    }, TypeError);
  });

  it('returns its argument and leaves primitives alone', () => {
    const obj = { x: 1 };
    assert.equal(deepFreeze(obj), obj);
    assert.equal(deepFreeze(3), 3);
    assert.equal(deepFreeze(null), null);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth, keeping array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } }), '{"a":{"c":"x","d":[3,1]},"b":1}');
  });

  it('is the same text for objects built in different key orders', () => {
    assert.equal(canonicalJson({ x: 1, y: { p: 1, q: 2 } }), canonicalJson({ y: { q: 2, p: 1 }, x: 1 }));
  });

  it('omits undefined values like JSON.stringify, and writes null and primitives as JSON', () => {
    assert.equal(canonicalJson({ a: undefined, b: null }), '{"b":null}');
    assert.equal(canonicalJson([undefined, 1]), '[null,1]');
    assert.equal(canonicalJson('q"uote'), '"q\\"uote"');
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson(1.5), '1.5');
  });

  it('escapes keys', () => {
    assert.equal(canonicalJson({ 'a"b': 1 }), '{"a\\"b":1}');
  });
});

describe('mergePatch (RFC 7386)', () => {
  // The examples of RFC 7386 §3, plus its Appendix A test cases.
  const cases: [target: unknown, patch: unknown, result: unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  cases.forEach(([target, patch, result], i) => {
    it(`case ${i + 1}: ${JSON.stringify(target)} + ${JSON.stringify(patch)} → ${JSON.stringify(result)}`, () => {
      assert.deepEqual(mergePatch(target, patch), result);
    });
  });

  it('does not mutate the target or the patch', () => {
    const target = deepFreeze({ a: { b: 1, c: 2 }, d: [1] });
    const patch = deepFreeze({ a: { b: null, e: 3 } });
    const out = mergePatch(target, patch);
    assert.deepEqual(out, { a: { c: 2, e: 3 }, d: [1] });
    assert.deepEqual(target, { a: { b: 1, c: 2 }, d: [1] });
  });

  it('copies values taken from the patch, so later edits of the result do not reach the patch', () => {
    const patch = { a: { list: [1, 2] } };
    const out = mergePatch({}, patch) as { a: { list: number[] } };
    out.a.list.push(3);
    assert.deepEqual(patch.a.list, [1, 2]);
  });
});
