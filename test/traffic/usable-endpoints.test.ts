/**
 * kube-proxy's choice of endpoints (pkg/proxy/topology.go CategorizeEndpoints, Cluster traffic
 * policy): ready endpoints; when none, serving-and-terminating ones; absent conditions read as
 * kube-proxy reads them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, EndpointSlice } from '../../src/api/types/endpoint-slice.js';
import { usableEndpoints } from '../../src/traffic/usable-endpoints.js';

function slice(name: string, endpoints: Partial<Endpoint>[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({ addresses: ['10.0.0.1'], ...e })),
  };
}

const pod = (name: string) => ({ kind: 'Pod', name });

describe('usableEndpoints', () => {
  const cases: { name: string; slices: EndpointSlice[]; routed: string[]; listed: string[] }[] = [
    {
      name: 'ready endpoints only, when any is ready',
      slices: [slice('a', [
        { targetRef: pod('p1'), conditions: { ready: true, serving: true, terminating: false } },
        { targetRef: pod('p2'), conditions: { ready: false, serving: false, terminating: false } },
        { targetRef: pod('p3'), conditions: { ready: false, serving: true, terminating: true } },
      ])],
      routed: ['shop/p1'],
      listed: ['shop/p1', 'shop/p2', 'shop/p3'],
    },
    {
      name: 'serving terminating endpoints when none is ready (not unready ones)',
      slices: [slice('a', [
        { targetRef: pod('p2'), conditions: { ready: false, serving: false, terminating: false } },
        { targetRef: pod('p3'), conditions: { ready: false, serving: true, terminating: true } },
        { targetRef: pod('p4'), conditions: { ready: false, serving: false, terminating: true } },
      ])],
      routed: ['shop/p3'],
      listed: ['shop/p2', 'shop/p3', 'shop/p4'],
    },
    {
      name: 'absent conditions are ready',
      slices: [slice('a', [{ targetRef: pod('p1') }, { targetRef: pod('p2'), conditions: {} }])],
      routed: ['shop/p1', 'shop/p2'],
      listed: ['shop/p1', 'shop/p2'],
    },
    {
      name: 'a pod in two slices counts once, in the order first seen, ready if ready in either',
      slices: [
        slice('a', [{ targetRef: pod('p1'), conditions: { ready: false } }, { targetRef: pod('p2') }]),
        slice('b', [{ targetRef: pod('p1') }, { targetRef: pod('p3') }]),
      ],
      routed: ['shop/p2', 'shop/p1', 'shop/p3'],
      listed: ['shop/p1', 'shop/p2', 'shop/p3'],
    },
    {
      name: 'endpoints without a pod targetRef get nothing',
      slices: [slice('a', [{}, { targetRef: { kind: 'Node', name: 'n' } }, { targetRef: pod('p1') }])],
      routed: ['shop/p1'],
      listed: ['shop/p1'],
    },
    { name: 'no slices: nothing', slices: [], routed: [], listed: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const sets = usableEndpoints(c.slices);
      assert.deepEqual(sets.routed, c.routed);
      assert.deepEqual(sets.listed, c.listed);
    });
  }
});
