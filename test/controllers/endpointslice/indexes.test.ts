/**
 * EndpointLocations: which slice holds which pod's endpoints, followed from slice events by the
 * differing middle of each update (changedRange, test/util/changed-range.test.ts), less the
 * endpoints that only moved.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import { CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../../src/controllers/endpointslice/endpoints.js';
import { EndpointLocations } from '../../../src/controllers/endpointslice/indexes.js';

function endpoint(pod: string, ip: string, namespace = 'default'): Endpoint {
  return { addresses: [ip], conditions: { ready: true }, targetRef: { kind: 'Pod', namespace, name: pod, uid: `uid-${pod}` } };
}

function slice(name: string, endpoints: Endpoint[], service = 'web', managed = true): EndpointSlice {
  const labels: Record<string, string> = { [LABEL_SERVICE_NAME]: service };
  if (managed) labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: 'default', labels }, addressType: 'IPv4', endpoints };
}

/** pod name → slice name → how many of the pod's endpoints that slice holds (as plain data). */
function view(locations: EndpointLocations, service = 'default/web'): Record<string, Record<string, number>> | undefined {
  const known = locations.forService(service);
  if (known === undefined) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const [pod, held] of known.pods) {
    const slices: Record<string, number> = (out[pod] = {});
    for (const { slice } of held) slices[slice] = (slices[slice] ?? 0) + 1;
  }
  return out;
}

describe('EndpointLocations', () => {
  it('follows adds, in-place updates, removals, appends and deletes', () => {
    const locations = new EndpointLocations();
    const [a, b, c] = [endpoint('a', '10.0.0.1'), endpoint('b', '10.0.0.2'), endpoint('c', '10.0.0.3')];
    const first = slice('web-1', [a, b, c]);
    locations.sliceChanged(undefined, first);
    assert.deepEqual(view(locations), { a: { 'web-1': 1 }, b: { 'web-1': 1 }, c: { 'web-1': 1 } });
    const b2 = endpoint('b', '10.0.0.2');
    const d = endpoint('d', '10.0.0.4');
    const second = slice('web-1', [b2, c, d]);
    locations.sliceChanged(first, second);
    assert.deepEqual(view(locations), { b: { 'web-1': 1 }, c: { 'web-1': 1 }, d: { 'web-1': 1 } });
    assert.equal(locations.forService('default/web')?.pods.get('b')?.[0].endpoint, b2, 'the stored endpoint object, to be found by identity');
    const other = slice('web-2', [endpoint('a', '10.0.0.9')]);
    locations.sliceChanged(undefined, other);
    assert.deepEqual(view(locations)?.a, { 'web-2': 1 });
    locations.sliceChanged(second, undefined);
    locations.sliceChanged(other, undefined);
    assert.equal(locations.forService('default/web'), undefined);
  });

  it('keeps every endpoint of a pod a slice lists twice', () => {
    const locations = new EndpointLocations();
    const [a1, a2] = [endpoint('a', '10.0.0.1'), endpoint('a', '10.0.0.2')];
    const both = slice('web-1', [a1, a2]);
    locations.sliceChanged(undefined, both);
    assert.deepEqual(view(locations), { a: { 'web-1': 2 } });
    const one = slice('web-1', [a2]);
    locations.sliceChanged(both, one);
    assert.deepEqual(locations.forService('default/web')?.pods.get('a'), [{ slice: 'web-1', endpoint: a2 }]);
  });

  it('keeps endpoints that only moved, and follows the same object listed twice', () => {
    const locations = new EndpointLocations();
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((pod, i) => endpoint(pod, `10.0.0.${i + 1}`));
    const first = slice('web-1', [a, b, c, d]);
    locations.sliceChanged(undefined, first);
    // b dropped where it was and e appended: c and d shift, as the controller writes.
    const second = slice('web-1', [a, c, d, e]);
    locations.sliceChanged(first, second);
    assert.deepEqual(view(locations), { a: { 'web-1': 1 }, c: { 'web-1': 1 }, d: { 'web-1': 1 }, e: { 'web-1': 1 } });
    assert.equal(locations.forService('default/web')?.pods.get('c')?.[0].endpoint, c);
    const twice = slice('web-1', [e, c, c, a]);
    locations.sliceChanged(second, twice);
    assert.deepEqual(view(locations), { a: { 'web-1': 1 }, c: { 'web-1': 2 }, e: { 'web-1': 1 } });
    const once = slice('web-1', [c, e]);
    locations.sliceChanged(twice, once);
    assert.deepEqual(view(locations), { c: { 'web-1': 1 }, e: { 'web-1': 1 } });
  });

  it('counts endpoints of anything but the namespace pods as foreign', () => {
    const locations = new EndpointLocations();
    const node: Endpoint = { addresses: ['10.0.0.7'], targetRef: { kind: 'Node', name: 'node-1' } };
    const elsewhere = endpoint('a', '10.0.0.8', 'other');
    const bare: Endpoint = { addresses: ['10.0.0.9'] };
    const foreign = slice('web-1', [node, elsewhere, bare, endpoint('b', '10.0.0.2')]);
    locations.sliceChanged(undefined, foreign);
    assert.equal(locations.forService('default/web')?.foreign, 3);
    assert.deepEqual(view(locations), { b: { 'web-1': 1 } });
    locations.sliceChanged(foreign, slice('web-1', [endpoint('b', '10.0.0.2')]));
    assert.equal(locations.forService('default/web')?.foreign, 0);
  });

  it('ignores slices this controller does not manage, and moves a relabelled slice', () => {
    const locations = new EndpointLocations();
    locations.sliceChanged(undefined, slice('mine', [endpoint('a', '10.0.0.1')], 'web', false));
    assert.equal(locations.forService('default/web'), undefined);
    const before = slice('web-1', [endpoint('a', '10.0.0.1')]);
    const after = slice('web-1', before.endpoints, 'api');
    locations.sliceChanged(undefined, before);
    locations.sliceChanged(before, after);
    assert.equal(locations.forService('default/web'), undefined);
    assert.deepEqual(view(locations, 'default/api'), { a: { 'web-1': 1 } });
  });
});
