/**
 * Per-Service endpoint counts kept from API commits: created, updated, relabelled and deleted
 * slices; conditions read as kube-proxy reads them; other kinds ignored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import { NO_ENDPOINTS, ServiceEndpointCounts, countEndpoints } from '../../../src/controllers/endpointslice/endpoint-counts.js';
import { LABEL_SERVICE_NAME } from '../../../src/controllers/endpointslice/endpoints.js';
import { newApi } from '../../helpers/engine-fixtures.js';

function slice(name: string, service: string, conditions: Endpoint['conditions'][]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { [LABEL_SERVICE_NAME]: service } },
    addressType: 'IPv4',
    endpoints: conditions.map((c, i) => ({ addresses: [`10.0.0.${i + 1}`], conditions: c })),
  };
}

describe('countEndpoints', () => {
  it('reads absent ready and serving as true, absent terminating as false (kube-proxy)', () => {
    assert.deepEqual(countEndpoints(slice('s', 'web', [{ ready: true, serving: true, terminating: false }, { ready: false, serving: true, terminating: true }, {}, undefined])), {
      endpoints: 4,
      ready: 3,
      serving: 4,
      terminating: 1,
    });
  });

  it('counts versions of a slice sharing their ports from one another, exactly', () => {
    const ports = [{ name: 'http', protocol: 'TCP', port: 80 }];
    const ep = (ready: boolean, terminating = false): Endpoint => ({ addresses: ['10.0.0.1'], conditions: { ready, serving: ready || terminating, terminating } });
    const version = (endpoints: Endpoint[]): EndpointSlice => ({ ...slice('s', 'web', []), ports, endpoints });
    const direct = (v: EndpointSlice) => countEndpoints({ ...v, ports: [...ports] });
    const [a, b, c, d] = [ep(true), ep(false), ep(false, true), ep(true)];
    const v1 = version([a, b, c]);
    const v2 = version([a, d, c]);
    const v3 = version([d, c, ep(true), ep(false)]);
    const v4 = version([]);
    // Out of order, as observers ask: each new version, then its predecessor again.
    for (const v of [v1, v2, v1, v3, v2, v4, v3, v4, v1]) assert.deepEqual(countEndpoints(v), direct(v));
    assert.deepEqual(countEndpoints(v2), { endpoints: 3, ready: 2, serving: 3, terminating: 1 });
  });
});

describe('ServiceEndpointCounts', () => {
  it('keeps per-Service totals over every slice from commits', () => {
    const { api } = newApi();
    const counts = new ServiceEndpointCounts();
    api.observe((commit) => counts.observe(commit));
    api.create(slice('web-a', 'web', [{ ready: true, serving: true, terminating: false }]));
    api.create(slice('web-b', 'web', [{ ready: false, serving: true, terminating: true }, { ready: true, serving: true, terminating: false }]));
    api.create(slice('db-a', 'db', [{ ready: false, serving: false, terminating: false }]));
    assert.deepEqual(counts.get('default', 'web'), { endpoints: 3, ready: 2, serving: 3, terminating: 1 });
    assert.deepEqual([...counts.keys()], ['default/web', 'default/db']);
    const updated = structuredClone(api.get<EndpointSlice>('EndpointSlice', 'default', 'web-b')) as EndpointSlice;
    updated.endpoints = [];
    api.update(updated);
    assert.deepEqual(counts.get('default', 'web'), { endpoints: 1, ready: 1, serving: 1, terminating: 0 });
    const moved = structuredClone(api.get<EndpointSlice>('EndpointSlice', 'default', 'web-a')) as EndpointSlice;
    moved.metadata.labels = { [LABEL_SERVICE_NAME]: 'db' };
    api.update(moved);
    assert.deepEqual(counts.get('default', 'db'), { endpoints: 2, ready: 1, serving: 1, terminating: 0 });
    api.delete('EndpointSlice', 'default', 'web-b');
    assert.deepEqual(counts.get('default', 'web'), NO_ENDPOINTS);
    assert.deepEqual([...counts.keys()], ['default/db']);
  });

  it('ignores other kinds and slices without a service-name label', () => {
    const { api } = newApi();
    const counts = new ServiceEndpointCounts();
    api.observe((commit) => counts.observe(commit));
    api.create({ ...slice('x', 'web', [{}]), metadata: { name: 'x', namespace: 'default' } });
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: {} });
    assert.deepEqual([...counts.keys()], []);
  });
});
