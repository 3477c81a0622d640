/**
 * serviceDnsRecords: the A records of headless Services (the Service name, hostnames, dashed
 * IPs), not-ready endpoints left out, other Services' slices ignored, nothing for Services with
 * a cluster IP; and resolve().
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import type { Service } from '../../../src/api/types/service.js';
import { endpointHostname, resolve, serviceDnsRecords } from '../../../src/controllers/endpointslice/dns.js';
import { LABEL_SERVICE_NAME } from '../../../src/controllers/endpointslice/endpoints.js';

const headless: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' }, spec: { clusterIP: 'None', selector: { app: 'web' } } };

function endpoint(address: string, ready: boolean | undefined, hostname?: string): Endpoint {
  return { addresses: [address], conditions: ready === undefined ? {} : { ready }, hostname };
}

function slice(service: string, endpoints: Endpoint[], namespace = 'prod', addressType: EndpointSlice['addressType'] = 'IPv4'): EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${service}-x`, namespace, labels: { [LABEL_SERVICE_NAME]: service } }, addressType, endpoints };
}

describe('serviceDnsRecords', () => {
  it('resolves a headless Service to its ready endpoints, each also under its own name', () => {
    const records = serviceDnsRecords(headless, [
      slice('web', [endpoint('10.0.0.10', true, 'web-0'), endpoint('10.0.0.9', true), endpoint('10.0.0.11', false, 'web-2')]),
      slice('web', [endpoint('10.0.1.1', undefined, 'web-1')]),
      slice('other', [endpoint('10.9.9.9', true, 'web-0')]),
      slice('web', [endpoint('10.8.8.8', true)], 'staging'),
    ]);
    assert.deepEqual(records, [
      { name: 'web.prod.svc.cluster.local', addresses: ['10.0.0.9', '10.0.0.10', '10.0.1.1'] },
      { name: '10-0-0-9.web.prod.svc.cluster.local', addresses: ['10.0.0.9'] },
      { name: 'web-0.web.prod.svc.cluster.local', addresses: ['10.0.0.10'] },
      { name: 'web-1.web.prod.svc.cluster.local', addresses: ['10.0.1.1'] },
    ]);
    assert.deepEqual(resolve(records, 'web-0.web.prod.svc.cluster.local.'), ['10.0.0.10']);
    assert.deepEqual(resolve(records, 'web-2.web.prod.svc.cluster.local'), [], 'a not-ready endpoint has no record');
  });

  it('has no records for a Service with a cluster IP, or without ready endpoints', () => {
    const clusterIP: Service = { ...headless, spec: { selector: { app: 'web' } } };
    assert.deepEqual(serviceDnsRecords(clusterIP, [slice('web', [endpoint('10.0.0.1', true)])]), []);
    assert.deepEqual(serviceDnsRecords(headless, [slice('web', [endpoint('10.0.0.1', false)])]), []);
  });

  it('uses a custom cluster domain', () => {
    assert.equal(serviceDnsRecords(headless, [slice('web', [endpoint('10.0.0.1', true)])], 'example.internal')[0].name, 'web.prod.svc.example.internal');
  });

  it('names an endpoint without hostname by its dashed address', () => {
    assert.equal(endpointHostname(undefined, '10.1.2.3'), '10-1-2-3');
    assert.equal(endpointHostname('db-0', '10.1.2.3'), 'db-0');
    assert.equal(endpointHostname(undefined, 'fd00::1'), 'fd00--1');
  });
});
