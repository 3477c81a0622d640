/**
 * Events derived from EndpointSlice writes: created and deleted always, updated only when the
 * counts change, with the counts as fields; and their subject (the slice, owned by its Service).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import { EventLog } from '../../../src/cluster/event-log.js';
import { recordObjectEvents } from '../../../src/metrics/object-events.js';
import { endpointSliceEvents } from '../../../src/metrics/events/service-events.js';
import { newApi } from '../../helpers/engine-fixtures.js';

function slice(endpoints: Endpoint[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abcde', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'u', controller: true }] },
    addressType: 'IPv4',
    endpoints,
  };
}

const ready: Endpoint = { addresses: ['10.0.0.1'], conditions: { ready: true, serving: true, terminating: false } };
const terminating: Endpoint = { addresses: ['10.0.0.1'], conditions: { ready: false, serving: true, terminating: true } };
const other: Endpoint = { addresses: ['10.0.0.2'], conditions: { ready: true, serving: true, terminating: false } };

describe('endpointSliceEvents', () => {
  it('reports creation and deletion', () => {
    assert.deepEqual(endpointSliceEvents(undefined, slice([ready])), [{ type: 'EndpointSliceCreated', fields: { endpoints: 1, ready: 1, serving: 1, terminating: 0 } }]);
    assert.deepEqual(endpointSliceEvents(slice([ready]), undefined), [{ type: 'EndpointSliceDeleted' }]);
  });

  it('reports an update only when the counts change', () => {
    assert.deepEqual(endpointSliceEvents(slice([ready]), slice([terminating])), [{ type: 'EndpointSliceUpdated', fields: { endpoints: 1, ready: 0, serving: 1, terminating: 1 } }]);
    assert.deepEqual(endpointSliceEvents(slice([ready]), slice([other])), []);
  });

  it('names the slice with its Service as owner in events.jsonl', () => {
    const { api, sim } = newApi();
    const log = new EventLog(sim);
    api.observe((commit) => recordObjectEvents(commit, log));
    api.create(slice([ready]));
    assert.deepEqual(log.jsonLines(), [
      '{"t":0,"type":"EndpointSliceCreated","kind":"EndpointSlice","namespace":"default","name":"web-abcde","owner":"Service/web","endpoints":1,"ready":1,"serving":1,"terminating":0}',
    ]);
  });
});
