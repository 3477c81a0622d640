import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams, Rng } from '../../src/engine/random.js';
import { average } from '../helpers/engine-fixtures.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('RandomStreams', () => {
  it('reproduces a stream from (seed, name)', () => {
    const a = new RandomStreams(7).stream('scheduler');
    const b = new RandomStreams(7).stream('scheduler');
    assert.deepEqual(draws(a, 50), draws(b, 50));
  });

  it('pins the derivation: seed 42, stream kubelet/pool-a-3 (changing it breaks every recorded run)', () => {
    const rng = new RandomStreams(42).stream('kubelet/pool-a-3');
    assert.equal(rng.next(), 0.47831106814555824);
    assert.equal(rng.next(), 0.28973859641700983);
    assert.equal(rng.int(1000), 68);
  });

  it('returns the same stream object for the same name, so draws continue rather than restart', () => {
    const streams = new RandomStreams(1);
    const first = streams.stream('x');
    const v1 = first.next();
    const again = streams.stream('x');
    assert.equal(again, first);
    assert.notEqual(again.next(), v1);
  });

  it('gives different names different sequences', () => {
    const streams = new RandomStreams(1);
    assert.notDeepEqual(draws(streams.stream('a'), 10), draws(streams.stream('b'), 10));
  });

  it('gives different seeds different sequences for the same name', () => {
    assert.notDeepEqual(draws(new RandomStreams(1).stream('a'), 10), draws(new RandomStreams(2).stream('a'), 10));
  });

  it('adding a new stream, and drawing from it, never changes another stream\'s draws', () => {
    const alone = new RandomStreams(99);
    const expected = draws(alone.stream('traffic/web'), 100);

    const crowded = new RandomStreams(99);
    const extra = crowded.stream('kubelet/new-node');
    draws(extra, 37);
    const web = crowded.stream('traffic/web');
    const interleaved: number[] = [];
    for (let i = 0; i < 100; i++) {
      interleaved.push(web.next());
      extra.next();
      crowded.stream(`ephemeral-${i}`).next();
    }
    assert.deepEqual(interleaved, expected);
  });

  it('does not confuse names that only differ by where the seed ends (separator in the key)', () => {
    // seed 1 + name "2x" must not collide with seed 12 + name "x".
    assert.notDeepEqual(draws(new RandomStreams(1).stream('2x'), 5), draws(new RandomStreams(12).stream('x'), 5));
  });
});

describe('Rng', () => {
  const rng = () => new Rng('test', 'fixed-seed');

  it('next() is uniform in [0, 1)', () => {
    const values = draws(rng(), 20_000);
    assert.ok(values.every((v) => v >= 0 && v < 1));
    assert.ok(Math.abs(average(values) - 0.5) < 0.01, `mean ${average(values)}`);
  });

  it('int(n) is an integer in [0, n) hitting every value', () => {
    const r = rng();
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) {
      const v = r.int(6);
      assert.ok(Number.isInteger(v) && v >= 0 && v < 6, `int(6) gave ${v}`);
      counts[v]++;
    }
    for (const c of counts) assert.ok(c > 850 && c < 1150, `counts ${counts}`);
  });

  it('pick returns a member of the list, undefined for an empty list', () => {
    const r = rng();
    const items = ['a', 'b', 'c'];
    const picked = new Set<string>();
    for (let i = 0; i < 100; i++) picked.add(r.pick(items) as string);
    assert.deepEqual([...picked].sort(), items);
    assert.equal(r.pick([]), undefined);
  });

  it('string draws `length` characters from the alphabet', () => {
    const s = rng().string(40, 'xyz');
    assert.equal(s.length, 40);
    assert.match(s, /^[xyz]{40}$/);
    assert.equal(rng().string(0, 'abc'), '');
  });

  it('normal() has mean ≈ 0 and standard deviation ≈ 1', () => {
    const r = rng();
    const values = Array.from({ length: 20_000 }, () => r.normal());
    const mean = average(values);
    const sd = Math.sqrt(average(values.map((v) => (v - mean) ** 2)));
    assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(sd - 1) < 0.03, `sd ${sd}`);
    assert.ok(values.every(Number.isFinite));
  });
});

describe('Rng.sampleIndices', () => {
  it('picks k distinct indices in [0, n), sorted ascending', () => {
    const r = new Rng('sample', 'seed');
    for (const [n, k] of [[10, 3], [100, 50], [5, 1], [1000, 7]] as const) {
      const picked = r.sampleIndices(n, k);
      assert.equal(picked.length, k, `n=${n} k=${k}`);
      assert.equal(new Set(picked).size, k, 'distinct');
      assert.ok(picked.every((i) => Number.isInteger(i) && i >= 0 && i < n), `in range: ${picked}`);
      for (let i = 1; i < picked.length; i++) assert.ok(picked[i - 1] < picked[i], `sorted: ${picked}`);
    }
  });

  it('returns nothing for k = 0 and everything for k = n', () => {
    const r = new Rng('sample', 'seed');
    assert.deepEqual(r.sampleIndices(10, 0), []);
    assert.deepEqual(r.sampleIndices(6, 6), [0, 1, 2, 3, 4, 5]);
  });

  it('chooses each index with probability ≈ k/n', () => {
    const r = new Rng('sample', 'uniformity');
    const n = 10;
    const k = 3;
    const trials = 5000;
    const counts = new Array<number>(n).fill(0);
    for (let t = 0; t < trials; t++) for (const i of r.sampleIndices(n, k)) counts[i]++;
    const expected = (trials * k) / n;
    for (const c of counts) assert.ok(Math.abs(c - expected) < expected * 0.1, `counts ${counts}, expected ≈ ${expected}`);
  });

  it('is reproducible for a fixed seed', () => {
    assert.deepEqual(new Rng('s', 'x').sampleIndices(50, 10), new Rng('s', 'x').sampleIndices(50, 10));
  });
});
