/**
 * The pod-template-hash (hash.ts): FNV-32a of the template's canonical JSON, varied by
 * collisionCount as upstream does (8 bytes, little-endian uint32), safe-encoded from decimal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodTemplateSpec } from '../../../src/api/types/pod.js';
import { computeHash, safeEncodeString } from '../../../src/controllers/deployment/hash.js';
import { canonicalJson } from '../../../src/util/objects.js';

function template(image = 'app:1', labels: Record<string, string> = { app: 'web' }): PodTemplateSpec {
  return { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } };
}

/** An independent FNV-1a (32-bit) for cross-checking. */
function fnv1a(bytes: Iterable<number>, seed = 2166136261): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h;
}

describe('computeHash', () => {
  it('is stable for equal templates, whatever their key order or identity', () => {
    const a = template();
    const b: PodTemplateSpec = { spec: { containers: [{ image: 'app:1', name: 'app' }] }, metadata: { labels: { app: 'web' } } };
    assert.equal(computeHash(a), computeHash(b));
    assert.equal(computeHash(a), computeHash(structuredClone(a)));
    assert.equal(computeHash(a, 3), computeHash(b, 3));
  });

  it('differs for different templates', () => {
    const hashes = new Set([
      computeHash(template()),
      computeHash(template('app:2')),
      computeHash(template('app:1', { app: 'web', tier: 'fe' })),
      computeHash({ ...template(), spec: { ...template().spec, terminationGracePeriodSeconds: 5 } }),
    ]);
    assert.equal(hashes.size, 4);
  });

  it('changes with collisionCount; 0 differs from unset (upstream hashes any non-nil count)', () => {
    const t = template();
    const hashes = [computeHash(t), computeHash(t, 0), computeHash(t, 1), computeHash(t, 2)];
    assert.equal(new Set(hashes).size, 4);
  });

  it('is FNV-32a over the canonical JSON, then over the count as 8 little-endian bytes, printed in decimal and safe-encoded', () => {
    assert.equal(fnv1a([]), 0x811c9dc5, 'reference FNV-1a: empty input');
    assert.equal(fnv1a([0x61]), 0xe40c292c, 'reference FNV-1a: "a"');
    const t = template();
    const base = fnv1a(new TextEncoder().encode(canonicalJson(t)));
    assert.equal(computeHash(t), safeEncodeString(String(base)));
    assert.equal(computeHash(t, 258), safeEncodeString(String(fnv1a([2, 1, 0, 0, 0, 0, 0, 0], base))));
  });

  it('uses only the characters decimal digits encode to, at most 10 of them', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
    for (const image of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      const hash = computeHash(template(image));
      assert.match(hash, /^[456789bcdf]{1,10}$/);
    }
  });
});

describe('safeEncodeString', () => {
  it('maps each character into the alphabet without vowels or look-alikes, by code point modulo 27', () => {
    assert.equal(safeEncodeString(''), '');
    assert.equal(safeEncodeString('abc'), 'vwx', 'a = 97, 97 mod 27 = 16: the 17th letter');
    assert.match(safeEncodeString('any text at all, 12345!'), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});
