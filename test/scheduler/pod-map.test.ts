/** PodMap answers as a Map keyed by objectKey(namespace, name) does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { objectKey } from '../../src/api/object-key.js';
import { PodMap } from '../../src/scheduler/pod-map.js';

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

describe('PodMap', () => {
  it('agrees with a Map keyed by namespace/name over random operations', () => {
    const namespace = fc.constantFrom(undefined, '', 'default', 'kube-system');
    const name = fc.constantFrom('a', 'b', 'web-1', 'web-2');
    const op = fc.record({ kind: fc.constantFrom('set', 'delete', 'get'), namespace, name, value: fc.integer() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const map = new PodMap<number>();
        const flat = new Map<string, number>();
        for (const { kind, namespace, name, value } of ops) {
          const key = objectKey(namespace, name);
          if (kind === 'set') {
            map.set(namespace, name, value);
            flat.set(key, value);
          } else if (kind === 'delete') {
            assert.equal(map.delete(namespace, name), flat.delete(key));
          }
          assert.equal(map.get(namespace, name), flat.get(key));
          assert.equal(map.size, flat.size);
        }
      }),
      { numRuns: 200, seed },
    );
  });
});
