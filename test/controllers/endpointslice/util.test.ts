/**
 * The EndpointSlice util helpers against upstream's vectors (staging/src/k8s.io/endpointslice/util
 * controller_utils_test.go: TestDetermineNeededServiceUpdates, TestShouldPodBeInEndpoints,
 * TestShouldSetHostname, Test_podChanged) plus endpoint identity, equality and port-map keys.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint } from '../../../src/api/types/endpoint-slice.js';
import type { Pod, PodPhase } from '../../../src/api/types/pod.js';
import type { Service } from '../../../src/api/types/service.js';
import {
  EndpointSet,
  determineNeededServiceUpdates,
  endpointsEqualBeyondHash,
  hashEndpoint,
  newPortMapKey,
  podEndpointsChanged,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from '../../../src/controllers/endpointslice/util.js';

function pod(options: { phase?: PodPhase; ip?: string; deleting?: boolean; ready?: boolean; labels?: Record<string, string>; namespace?: string; hostname?: string; subdomain?: string } = {}): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pod', namespace: options.namespace ?? 'test', labels: options.labels ?? { foo: 'bar' }, resourceVersion: '1' },
    spec: { containers: [{ name: 'c' }], hostname: options.hostname, subdomain: options.subdomain },
    status: { phase: options.phase ?? 'Running', conditions: [{ type: 'Ready', status: options.ready ? 'True' : 'False' }] },
  };
  if (options.ip !== undefined) p.status!.podIP = options.ip;
  if (options.deleting) p.metadata.deletionTimestamp = 1000;
  return p;
}

function service(namespace: string, name: string): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: {} };
}

describe('determineNeededServiceUpdates (TestDetermineNeededServiceUpdates)', () => {
  const cases: { name: string; a: string[]; b: string[]; xor: string[]; union: string[] }[] = [
    { name: 'no services changed', a: ['a', 'b', 'c'], b: ['a', 'b', 'c'], xor: [], union: ['a', 'b', 'c'] },
    { name: 'all old services removed, new services added', a: ['a', 'b', 'c'], b: ['d', 'e', 'f'], xor: ['a', 'b', 'c', 'd', 'e', 'f'], union: ['a', 'b', 'c', 'd', 'e', 'f'] },
    { name: 'all old services removed, no new services added', a: ['a', 'b', 'c'], b: [], xor: ['a', 'b', 'c'], union: ['a', 'b', 'c'] },
    { name: 'no old services, but new services added', a: [], b: ['a', 'b', 'c'], xor: ['a', 'b', 'c'], union: ['a', 'b', 'c'] },
    { name: 'one service removed, one service added, two unchanged', a: ['a', 'b', 'c'], b: ['b', 'c', 'd'], xor: ['a', 'd'], union: ['a', 'b', 'c', 'd'] },
    { name: 'no services', a: [], b: [], xor: [], union: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(determineNeededServiceUpdates(c.a, c.b, false).sort(), c.xor);
      assert.deepEqual(determineNeededServiceUpdates(c.a, c.b, true).sort(), c.union);
    });
  }
});

describe('shouldPodBeInEndpoints (TestShouldPodBeInEndpoints)', () => {
  const cases: { name: string; pod: Pod; includeTerminating?: boolean; expected: boolean }[] = [
    { name: 'Failed pod with Never RestartPolicy', pod: pod({ phase: 'Failed', ip: '1.2.3.4' }), expected: false },
    { name: 'Succeeded pod with Never RestartPolicy', pod: pod({ phase: 'Succeeded', ip: '1.2.3.4' }), expected: false },
    { name: 'Succeeded pod with OnFailure RestartPolicy', pod: pod({ phase: 'Succeeded', ip: '1.2.3.4' }), expected: false },
    { name: 'Empty Pod IPs, Running pod', pod: pod({ phase: 'Running', ip: '' }), expected: false },
    { name: 'Terminating Pod with includeTerminating=false', pod: pod({ phase: 'Running', ip: '1.2.3.4', deleting: true }), expected: false },
    { name: 'Failed pod with Always RestartPolicy', pod: pod({ phase: 'Failed', ip: '1.2.3.4' }), expected: false },
    { name: 'Pending pod with Never RestartPolicy', pod: pod({ phase: 'Pending', ip: '1.2.3.4' }), expected: true },
    { name: 'Unknown pod with OnFailure RestartPolicy', pod: pod({ phase: 'Unknown', ip: '1.2.3.4' }), expected: true },
    { name: 'Running pod with Never RestartPolicy', pod: pod({ phase: 'Running', ip: '1.2.3.4' }), expected: true },
    { name: 'Terminating Pod with includeTerminating=true', pod: pod({ phase: 'Running', ip: '1.2.3.4', deleting: true }), includeTerminating: true, expected: true },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(shouldPodBeInEndpoints(c.pod, c.includeTerminating ?? false), c.expected));
  }
});

describe('shouldSetHostname (TestShouldSetHostname)', () => {
  const cases: { name: string; pod: Pod; service: Service; expected: boolean }[] = [
    { name: 'all matching', pod: pod({ namespace: 'ns', hostname: 'foo', subdomain: 'svc-name' }), service: service('ns', 'svc-name'), expected: true },
    { name: 'all matching, hostname not set', pod: pod({ namespace: 'ns', hostname: '', subdomain: 'svc-name' }), service: service('ns', 'svc-name'), expected: false },
    { name: 'all set, different name/subdomain', pod: pod({ namespace: 'ns', hostname: 'hostname', subdomain: 'subdomain' }), service: service('ns', 'name'), expected: false },
    { name: 'all set, different namespace', pod: pod({ namespace: 'ns1', hostname: 'hostname', subdomain: 'svc-name' }), service: service('ns2', 'svc-name'), expected: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(shouldSetHostname(c.pod, c.service), c.expected));
  }
});

describe('podEndpointsChanged (Test_podChanged)', () => {
  const cases: { name: string; modify: (old: Pod, pod: Pod) => void; podChanged: boolean; labelsChanged: boolean }[] = [
    { name: 'no changes', modify: () => {}, podChanged: false, labelsChanged: false },
    // nodeName only changes before the pod has an IP, when its endpoint does not exist yet.
    { name: 'change NodeName', modify: (_o, n) => (n.spec.nodeName = 'changed'), podChanged: false, labelsChanged: false },
    { name: 'change ResourceVersion', modify: (_o, n) => (n.metadata.resourceVersion = 'changed'), podChanged: false, labelsChanged: false },
    { name: 'add primary IPv4', modify: (_o, n) => (n.status!.podIP = '1.2.3.4'), podChanged: true, labelsChanged: false },
    { name: 'modify primary IPv4', modify: (o, n) => ((o.status!.podIP = '1.2.3.4'), (n.status!.podIP = '2.3.4.5')), podChanged: true, labelsChanged: false },
    { name: 'add primary IPv6', modify: (_o, n) => (n.status!.podIP = 'fd00:10:96::1'), podChanged: true, labelsChanged: false },
    { name: 'modify primary IPv6', modify: (o, n) => ((o.status!.podIP = 'fd00:10:96::1'), (n.status!.podIP = 'fd00:10:96::2')), podChanged: true, labelsChanged: false },
    { name: 'change readiness', modify: (_o, n) => (n.status!.conditions![0].status = 'True'), podChanged: true, labelsChanged: false },
    { name: 'mark for deletion', modify: (_o, n) => (n.metadata.deletionTimestamp = 5000), podChanged: true, labelsChanged: false },
    { name: 'add label', modify: (_o, n) => (n.metadata.labels!.label = 'new'), podChanged: false, labelsChanged: true },
    { name: 'modify label', modify: (o, n) => ((o.metadata.labels!.label = 'old'), (n.metadata.labels!.label = 'new')), podChanged: false, labelsChanged: true },
    { name: 'remove label', modify: (o) => (o.metadata.labels!.label = 'old'), podChanged: false, labelsChanged: true },
    // Beyond upstream's table: hostname and subdomain count as labels (hostNameAndDomainAreEqual).
    { name: 'change hostname', modify: (_o, n) => (n.spec.hostname = 'h'), podChanged: false, labelsChanged: true },
    // Upstream compares deletionTimestamp pointers, which differ between two decoded versions.
    { name: 'update of a terminating pod', modify: (o, n) => ((o.metadata.deletionTimestamp = 5000), (n.metadata.deletionTimestamp = 5000)), podChanged: true, labelsChanged: false },
    // The simulator's addition (see util.ts): the end of a never-ready pod removes its endpoint.
    { name: 'turn Failed without a readiness change', modify: (_o, n) => (n.status!.phase = 'Failed'), podChanged: true, labelsChanged: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const old = pod();
      const updated = structuredClone(old);
      c.modify(old, updated);
      assert.deepEqual(podEndpointsChanged(old, updated), [c.podChanged, c.labelsChanged]);
    });
  }
});

describe('endpoint identity and equality', () => {
  const base: Endpoint = {
    addresses: ['10.0.0.2', '10.0.0.1'],
    conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'u1' },
    nodeName: 'n1',
  };

  it('hashes addresses (in any order), hostname and target pod only', () => {
    assert.equal(hashEndpoint(base), hashEndpoint({ ...base, addresses: ['10.0.0.1', '10.0.0.2'], conditions: { ready: false }, nodeName: 'n2', zone: 'z' }));
    assert.notEqual(hashEndpoint(base), hashEndpoint({ ...base, hostname: 'a' }));
    assert.notEqual(hashEndpoint(base), hashEndpoint({ ...base, targetRef: { ...base.targetRef, name: 'b' } }));
    assert.notEqual(hashEndpoint(base), hashEndpoint({ ...base, addresses: ['10.0.0.3'] }));
  });

  it('gives one-address endpoints the same identities as the others', () => {
    const one: Endpoint = { addresses: ['10.0.0.1'], targetRef: { kind: 'Pod', namespace: 'ns', name: 'a' } };
    assert.equal(hashEndpoint(one), hashEndpoint({ ...one, hostname: '' }), 'an empty hostname is none');
    assert.equal(hashEndpoint({ addresses: ['10.0.0.1'] }), hashEndpoint({ addresses: ['10.0.0.1'], targetRef: { kind: 'Pod', namespace: '', name: '' } }));
    assert.notEqual(hashEndpoint(one), hashEndpoint({ ...one, hostname: 'h' }));
    assert.notEqual(hashEndpoint(one), hashEndpoint({ ...one, addresses: ['10.0.0.1', '10.0.0.1'] }));
    assert.notEqual(hashEndpoint(one), hashEndpoint({ ...one, targetRef: { kind: 'Pod', namespace: 'n', name: 'sa' } }), 'namespace and name do not run together');
    assert.notEqual(hashEndpoint({ addresses: ['10.0.0.1'] }), hashEndpoint({ addresses: ['10.0.0.'], targetRef: { kind: 'Pod', namespace: '1', name: '' } }));
  });

  it('does not sort the endpoint it hashes', () => {
    hashEndpoint(base);
    assert.deepEqual(base.addresses, ['10.0.0.2', '10.0.0.1']);
  });

  it('compares node, zone, conditions and target beyond the hash, ignoring the resourceVersion', () => {
    assert.equal(endpointsEqualBeyondHash(base, structuredClone(base)), true);
    assert.equal(endpointsEqualBeyondHash(base, { ...base, targetRef: { ...base.targetRef, resourceVersion: '7' } }), true);
    assert.equal(endpointsEqualBeyondHash(base, { ...base, nodeName: 'n2' }), false);
    assert.equal(endpointsEqualBeyondHash(base, { ...base, zone: 'z' }), false);
    assert.equal(endpointsEqualBeyondHash(base, { ...base, conditions: { ...base.conditions, ready: false } }), false);
    assert.equal(endpointsEqualBeyondHash(base, { ...base, conditions: { ...base.conditions, serving: undefined } }), false);
    assert.equal(endpointsEqualBeyondHash(base, { ...base, conditions: { ...base.conditions, terminating: true } }), false);
    assert.equal(endpointsEqualBeyondHash(base, { ...base, targetRef: { ...base.targetRef, uid: 'u2' } }), false);
  });

  it('keys port maps by the set of ports, whatever their order; nil and empty alike', () => {
    const http = { name: 'http', protocol: 'TCP', port: 80 };
    const dns = { name: 'dns', protocol: 'UDP', port: 53 };
    assert.equal(newPortMapKey([http, dns]), newPortMapKey([dns, http]));
    assert.equal(newPortMapKey(undefined), newPortMapKey([]));
    assert.notEqual(newPortMapKey([http]), newPortMapKey([{ ...http, port: 81 }]));
    assert.notEqual(newPortMapKey([http]), newPortMapKey([]));
  });

  it('EndpointSet takes by hash and pops in insertion order', () => {
    const set = new EndpointSet();
    const a = { ...base, targetRef: { kind: 'Pod', namespace: 'ns', name: 'a' } };
    const b = { ...base, addresses: ['10.0.0.9'], targetRef: { kind: 'Pod', namespace: 'ns', name: 'b' } };
    set.insert(a);
    set.insert(b);
    assert.equal(set.size, 2);
    assert.equal(set.take({ ...a, conditions: { ready: false } }), a, 'found by identity, whatever the conditions');
    assert.equal(set.take(a), undefined, 'taken out');
    set.insert(a);
    assert.equal(set.popAny(), b);
    assert.equal(set.popAny(), a);
    assert.equal(set.size, 0);
    assert.equal(set.popAny(), undefined);
  });
});
