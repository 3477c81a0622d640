/**
 * The EndpointSlice field schema against `kubectl get endpointslice -o yaml` output: no false
 * unknowns, hints and appProtocol reported as kept but not simulated, server fields listed,
 * typos and wrong types caught, and no `spec` or `status` (an EndpointSlice has neither).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { checkManifestFields, hasSchema } from '../../../src/api/schema/index.js';

const KUBECTL_GET = `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-7xk2p
  namespace: default
  generateName: web-
  generation: 4
  labels:
    endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io
    kubernetes.io/service-name: web
  annotations:
    endpoints.kubernetes.io/last-change-trigger-time: "2026-01-01T00:02:10Z"
  ownerReferences:
    - {apiVersion: v1, kind: Service, name: web, uid: 0b5c, controller: true, blockOwnerDeletion: true}
  resourceVersion: "1234"
  uid: 9d2e
  creationTimestamp: "2026-01-01T00:00:00Z"
addressType: IPv4
endpoints:
  - addresses: [10.244.1.7]
    conditions: {ready: true, serving: true, terminating: false}
    nodeName: pool-a-1
    zone: zone-a
    hostname: web-0
    targetRef: {kind: Pod, namespace: default, name: web-0, uid: 41a7}
    hints:
      forZones: [{name: zone-a}]
ports:
  - {name: http, port: 8080, protocol: TCP, appProtocol: http}
`;

const check = (yaml: string) => checkManifestFields('discovery.k8s.io/v1', 'EndpointSlice', parse(yaml));

describe('EndpointSlice field schema', () => {
  it('knows every field of a real EndpointSlice', () => {
    assert.equal(hasSchema('discovery.k8s.io/v1', 'EndpointSlice'), true);
    const report = check(KUBECTL_GET);
    assert.deepEqual(report.unknown, []);
    assert.deepEqual(report.mistyped, []);
    assert.deepEqual(report.unmodelled, ['endpoints[].hints', 'ports[].appProtocol']);
    assert.deepEqual(report.server, ['metadata.generation', 'metadata.resourceVersion', 'metadata.uid', 'metadata.creationTimestamp']);
  });

  it('catches a typo and a wrong type', () => {
    const typo = check(KUBECTL_GET.replace('addressType: IPv4', 'adressType: IPv4'));
    assert.deepEqual(typo.unknown.map((u) => [u.path.join('.'), u.suggestion]), [['adressType', 'addressType']]);
    const mistyped = check(KUBECTL_GET.replace('port: 8080', 'port: "8080"'));
    assert.deepEqual(mistyped.mistyped.map((m) => m.path.join('.')), ['ports.0.port']);
  });

  it('has no spec and no status', () => {
    assert.deepEqual(check(`${KUBECTL_GET}spec: {}\nstatus: {}\n`).unknown.map((u) => u.path.join('.')), ['spec', 'status']);
  });
});
