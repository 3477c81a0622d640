/**
 * EndpointSliceTracker against upstream's vectors (staging/src/k8s.io/endpointslice/util/
 * endpointslice_tracker_test.go: Update, StaleSlices, Deletion, DeleteService) and the reset of
 * generations recorded for an earlier Service of the same name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import type { Service } from '../../../src/api/types/service.js';
import { LABEL_SERVICE_NAME } from '../../../src/controllers/endpointslice/endpoints.js';
import { EndpointSliceTracker } from '../../../src/controllers/endpointslice/tracker.js';

function slice(changes: { namespace?: string; uid?: string; generation?: number; service?: string } = {}): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'example-1', namespace: changes.namespace ?? 'ns1', uid: changes.uid ?? 'original', generation: changes.generation ?? 1, labels: { [LABEL_SERVICE_NAME]: changes.service ?? 'svc1' } },
    addressType: 'IPv4',
    endpoints: [],
  };
}

const epSlice1 = slice();
const differentNS = slice({ namespace: 'ns2', uid: 'diff-ns' });
const differentService = slice({ service: 'svc2', uid: 'diff-svc' });
const newerGen = slice({ generation: 2 });
const svc1: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc1', namespace: 'ns1' }, spec: {} };

describe('EndpointSliceTracker.update (TestEndpointSliceTrackerUpdate)', () => {
  const cases: [string, EndpointSlice, boolean, boolean][] = [
    ['same slice', epSlice1, true, false],
    ['different namespace', differentNS, false, true],
    ['different service', differentService, false, true],
    ['newer generation', newerGen, true, true],
  ];
  for (const [name, checked, has, shouldSync] of cases) {
    it(name, () => {
      const tracker = new EndpointSliceTracker();
      tracker.update(epSlice1);
      assert.equal(tracker.has(checked), has);
      assert.equal(tracker.shouldSync(checked), shouldSync);
    });
  }
});

describe('EndpointSliceTracker.staleSlices (TestEndpointSliceTrackerStaleSlices)', () => {
  const cases: { name: string; setup: (t: EndpointSliceTracker) => void; slices: EndpointSlice[]; stale: boolean }[] = [
    { name: 'empty tracker', setup: () => {}, slices: [], stale: false },
    { name: 'matching slices', setup: (t) => t.update(epSlice1), slices: [epSlice1], stale: false },
    { name: 'newer slice in tracker', setup: (t) => t.update(newerGen), slices: [epSlice1], stale: true },
    { name: 'newer slice in params', setup: (t) => t.update(epSlice1), slices: [newerGen], stale: false },
    { name: 'slice in params is expected to be deleted', setup: (t) => t.expectDeletion(epSlice1), slices: [epSlice1], stale: true },
    { name: 'slice in tracker but not in params', setup: (t) => t.update(epSlice1), slices: [], stale: true },
    { name: 'deleted slice gone from the cache', setup: (t) => t.expectDeletion(epSlice1), slices: [], stale: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const tracker = new EndpointSliceTracker();
      c.setup(tracker);
      assert.equal(tracker.staleSlices(svc1, c.slices), c.stale);
    });
  }

  it('drops generations recorded for an earlier Service of the same name', () => {
    const tracker = new EndpointSliceTracker();
    const first = { ...svc1, metadata: { ...svc1.metadata, uid: 'first' } };
    const second = { ...svc1, metadata: { ...svc1.metadata, uid: 'second' } };
    assert.equal(tracker.staleSlices(first, []), false);
    tracker.update(epSlice1);
    assert.equal(tracker.staleSlices(first, []), true);
    assert.equal(tracker.staleSlices(second, []), false);
  });
});

describe('EndpointSliceTracker deletion (TestEndpointSliceTrackerDeletion)', () => {
  const cases: [string, EndpointSlice, EndpointSlice, boolean, boolean, boolean][] = [
    // name, expectDeletion(param), checked, has, shouldSync, handleDeletion(epSlice1)
    ['same slice', epSlice1, epSlice1, true, true, true],
    ['different namespace', differentNS, differentNS, true, true, false],
    ['different namespace, check original ep slice', differentNS, epSlice1, true, false, false],
    ['different service', differentService, differentService, true, true, false],
    ['expectDelete different service, check original ep slice, delete original', differentService, epSlice1, true, false, false],
    ['different generation', newerGen, newerGen, true, true, true],
    ['expectDelete different generation, check original ep slice, delete original', newerGen, epSlice1, true, true, true],
  ];
  for (const [name, expected, checked, has, shouldSync, handled] of cases) {
    it(name, () => {
      const tracker = new EndpointSliceTracker();
      tracker.update(epSlice1);
      tracker.expectDeletion(expected);
      assert.equal(tracker.has(checked), has);
      assert.equal(tracker.shouldSync(checked), shouldSync);
      assert.equal(tracker.handleDeletion(epSlice1), handled);
      assert.equal(tracker.has(epSlice1), false);
    });
  }
});

describe('EndpointSliceTracker.deleteService (TestEndpointSliceTrackerDeleteService)', () => {
  const cases: [string, string, string, boolean, boolean][] = [
    ['same service', 'ns1', 'svc1', false, true],
    ['different namespace', 'ns2', 'svc1', true, false],
    ['different service', 'ns1', 'svc2', true, false],
  ];
  for (const [name, namespace, service, has, shouldSync] of cases) {
    it(name, () => {
      const tracker = new EndpointSliceTracker();
      tracker.update(epSlice1);
      tracker.deleteService(namespace, service);
      assert.equal(tracker.has(epSlice1), has);
      assert.equal(tracker.shouldSync(epSlice1), shouldSync);
    });
  }
});
