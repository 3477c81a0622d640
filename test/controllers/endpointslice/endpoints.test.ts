/**
 * From pods and Services to endpoints, ports, labels and new slices, against upstream's vectors
 * (staging/src/k8s.io/endpointslice/utils_test.go: TestNewEndpointSlice, TestPodToEndpoint,
 * TestGetEndpointPorts, TestSetEndpointSliceLabels; reconciler_test.go: TestPlaceHolderSliceCompare).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import type { Node } from '../../../src/api/types/node.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { Service } from '../../../src/api/types/service.js';
import {
  CONTROLLER_NAME,
  LABEL_HEADLESS,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  findPort,
  getEndpointPorts,
  getSliceToFill,
  newEndpointSlice,
  ownedBy,
  placeholderSliceEqual,
  podToEndpoint,
  serviceControllerKey,
  serviceSelector,
  setEndpointSliceLabels,
} from '../../../src/controllers/endpointslice/endpoints.js';

/** newServiceAndEndpointMeta("foo", "test"): one TCP port named like the Service, target 80. */
function newService(name: string, namespace = 'test'): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, uid: `${namespace}-${name}` },
    spec: { ports: [{ name, port: 80, targetPort: 80, protocol: 'TCP' }], selector: { foo: 'bar' } },
  };
}

/** newPod(n, ns, ready, 1, terminating): on node-1 with IP 1.2.3.(4+n). */
function newPod(n: number, namespace: string, ready: boolean, terminating: boolean): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod${n}`, namespace, uid: `uid-${n}`, labels: { foo: 'bar' }, resourceVersion: String(n) },
    spec: { containers: [{ name: 'container-1' }], nodeName: 'node-1' },
    status: { podIP: `1.2.3.${4 + n}`, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
  if (terminating) pod.metadata.deletionTimestamp = 1000;
  return pod;
}

describe('newEndpointSlice (TestNewEndpointSlice)', () => {
  const base: Service = { ...newService('foo'), spec: { clusterIP: '1.1.1.1', ports: [{ port: 80 }], selector: { foo: 'bar' } } };
  const ports = [{ name: 'foo', protocol: 'TCP' }];
  const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: 'foo', uid: 'test-foo', controller: true, blockOwnerDeletion: true }];
  const managed = { [LABEL_SERVICE_NAME]: 'foo', [LABEL_MANAGED_BY]: CONTROLLER_NAME };
  const cases: { name: string; change: (svc: Service) => void; labels: Record<string, string> }[] = [
    { name: 'Service without labels', change: () => {}, labels: managed },
    { name: 'Service with labels', change: (s) => (s.metadata.labels = { foo: 'bar' }), labels: { ...managed, foo: 'bar' } },
    { name: 'Headless Service with labels', change: (s) => ((s.metadata.labels = { foo: 'bar' }), (s.spec.clusterIP = 'None')), labels: { ...managed, [LABEL_HEADLESS]: '', foo: 'bar' } },
    { name: 'Service with multiple labels', change: (s) => (s.metadata.labels = { foo: 'bar', foo2: 'bar2' }), labels: { ...managed, foo: 'bar', foo2: 'bar2' } },
    {
      name: 'Evil service hijacking endpoint slices labels',
      change: (s) => (s.metadata.labels = { [LABEL_SERVICE_NAME]: 'bad', [LABEL_MANAGED_BY]: 'actor', foo: 'bar' }),
      labels: { ...managed, foo: 'bar' },
    },
    { name: 'Service with annotations', change: (s) => (s.metadata.annotations = { foo: 'bar' }), labels: managed },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const svc = structuredClone(base);
      c.change(svc);
      assert.deepEqual(newEndpointSlice(svc, ports), {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: '', generateName: 'foo-', namespace: 'test', labels: c.labels, ownerReferences },
        addressType: 'IPv4',
        endpoints: [],
        ports,
      });
    });
  }
});

describe('podToEndpoint (TestPodToEndpoint)', () => {
  const svc = newService('foo');
  const publishNotReady = newService('publishnotready');
  publishNotReady.spec.publishNotReadyAddresses = true;
  const readyPod = newPod(1, 'test', true, false);
  const readyPodHostname = newPod(1, 'test', true, false);
  readyPodHostname.spec.subdomain = 'foo';
  readyPodHostname.spec.hostname = 'example-hostname';
  const node1: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'us-central1-a', 'topology.kubernetes.io/region': 'us-central1' } },
    spec: {},
  };
  const expected = (conditions: [boolean, boolean, boolean], extra: Partial<Endpoint> = {}): Endpoint => ({
    addresses: ['1.2.3.5'],
    conditions: { ready: conditions[0], serving: conditions[1], terminating: conditions[2] },
    targetRef: { kind: 'Pod', namespace: 'test', name: 'pod1', uid: 'uid-1' },
    nodeName: 'node-1',
    ...extra,
  });
  const cases: { name: string; pod: Pod; node?: Node; svc: Service; endpoint: Endpoint }[] = [
    { name: 'Ready pod', pod: readyPod, svc, endpoint: expected([true, true, false]) },
    { name: 'Ready pod + publishNotReadyAddresses', pod: readyPod, svc: publishNotReady, endpoint: expected([true, true, false]) },
    { name: 'Unready pod', pod: newPod(1, 'test', false, false), svc, endpoint: expected([false, false, false]) },
    { name: 'Unready pod + publishNotReadyAddresses', pod: newPod(1, 'test', false, false), svc: publishNotReady, endpoint: expected([true, false, false]) },
    { name: 'Ready pod + node labels', pod: readyPod, node: node1, svc, endpoint: expected([true, true, false], { zone: 'us-central1-a' }) },
    { name: 'Ready pod + hostname', pod: readyPodHostname, node: node1, svc, endpoint: expected([true, true, false], { zone: 'us-central1-a', hostname: 'example-hostname' }) },
    { name: 'Ready terminating pod', pod: newPod(1, 'test', true, true), svc, endpoint: expected([false, true, true]) },
    { name: 'Not ready terminating pod', pod: newPod(1, 'test', false, true), svc, endpoint: expected([false, false, true]) },
    { name: 'Ready terminating pod + publishNotReadyAddresses', pod: newPod(1, 'test', true, true), svc: publishNotReady, endpoint: expected([true, true, true]) },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(podToEndpoint(c.pod, c.node, c.svc), c.endpoint));
  }

  it('publishes no address for an IPv6 or missing pod IP (IPv4 slices only)', () => {
    const v6 = newPod(1, 'test', true, false);
    v6.status!.podIP = 'fd00::1';
    assert.deepEqual(podToEndpoint(v6, undefined, svc).addresses, []);
    const none = newPod(1, 'test', true, false);
    delete none.status!.podIP;
    assert.deepEqual(podToEndpoint(none, undefined, svc).addresses, []);
  });
});

describe('getEndpointPorts (TestGetEndpointPorts)', () => {
  it('service with a numeric targetPort', () => {
    const svc: Service = { ...newService('x'), spec: { ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }] } };
    const pod = newPod(1, 'test', true, false);
    assert.deepEqual(getEndpointPorts(svc, pod), [{ name: 'http', protocol: 'TCP', port: 80 }]);
  });

  it('service with a named port resolved against the pod', () => {
    const svc: Service = {
      ...newService('x'),
      spec: { ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }] },
    };
    const pod = newPod(1, 'test', true, false);
    pod.spec.containers[0].ports = [{ name: 'https', containerPort: 443, protocol: 'TCP' }];
    assert.deepEqual(getEndpointPorts(svc, pod), [
      { name: 'http', protocol: 'TCP', port: 80 },
      { name: 'https', protocol: 'TCP', port: 443 },
    ]);
  });

  it('skips a named port the pod lacks, or declares with another protocol', () => {
    const svc: Service = { ...newService('x'), spec: { ports: [{ name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' }] } };
    const pod = newPod(1, 'test', true, false);
    pod.spec.containers[0].ports = [{ name: 'dns', containerPort: 5353, protocol: 'TCP' }];
    assert.deepEqual(getEndpointPorts(svc, pod), []);
  });

  it('an unnamed Service port gets the name ""', () => {
    const svc: Service = { ...newService('x'), spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } };
    assert.deepEqual(getEndpointPorts(svc, newPod(1, 'test', true, false)), [{ name: '', protocol: 'TCP', port: 8080 }]);
  });

  it('a headless Service may have no ports', () => {
    const svc: Service = { ...newService('x'), spec: { clusterIP: 'None', ports: [] } };
    assert.deepEqual(getEndpointPorts(svc, newPod(1, 'test', true, false)), []);
  });

  it('findPort also looks at sidecars (init containers with restartPolicy Always)', () => {
    const pod = newPod(1, 'test', true, false);
    pod.spec.initContainers = [
      { name: 'init', restartPolicy: undefined, ports: [{ name: 'metrics', containerPort: 1000, protocol: 'TCP' }] },
      { name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }] },
    ];
    assert.equal(findPort(pod, { port: 90, targetPort: 'metrics', protocol: 'TCP' }), 9090);
    assert.equal(findPort(pod, { port: 90, targetPort: 'nope', protocol: 'TCP' }), undefined);
  });
});

describe('setEndpointSliceLabels (TestSetEndpointSliceLabels)', () => {
  const service: Service = { ...newService('foo'), spec: { ports: [{ port: 80 }], selector: { foo: 'bar' }, clusterIP: '1.1.1.1' } };
  const managed = { [LABEL_SERVICE_NAME]: 'foo', [LABEL_MANAGED_BY]: CONTROLLER_NAME };
  const headless = { ...managed, [LABEL_HEADLESS]: '' };
  const cases: { name: string; slice?: Record<string, string>; change: (svc: Service) => void; labels: Record<string, string>; updated: boolean }[] = [
    { name: 'Service without labels and empty endpoint slice', change: () => {}, labels: managed, updated: false },
    { name: 'Headless service with labels and empty endpoint slice', change: (s) => ((s.spec.clusterIP = 'None'), (s.metadata.labels = { foo: 'bar' })), labels: { ...headless, foo: 'bar' }, updated: true },
    { name: 'Headless service without labels and empty endpoint slice', change: (s) => (s.spec.clusterIP = 'None'), labels: headless, updated: false },
    { name: 'Non Headless service with Headless label and empty endpoint slice', change: (s) => (s.metadata.labels = { [LABEL_HEADLESS]: '' }), labels: managed, updated: false },
    { name: 'Headless Service change to ClusterIP Service with headless label', slice: headless, change: (s) => (s.metadata.labels = { [LABEL_HEADLESS]: '' }), labels: managed, updated: false },
    { name: 'Headless Service change to ClusterIP Service', slice: headless, change: () => {}, labels: managed, updated: false },
    { name: 'Headless service and endpoint slice with same labels', slice: { ...managed, foo: 'bar' }, change: (s) => ((s.metadata.labels = { foo: 'bar' }), (s.spec.clusterIP = 'None')), labels: { ...headless, foo: 'bar' }, updated: false },
    { name: 'Service with labels and empty endpoint slice', change: (s) => (s.metadata.labels = { foo: 'bar' }), labels: { ...managed, foo: 'bar' }, updated: true },
    { name: 'Slice with labels and service without labels', slice: { ...managed, foo: 'bar' }, change: () => {}, labels: managed, updated: true },
    { name: 'Slice with headless label and service with ClusterIP', slice: headless, change: () => {}, labels: managed, updated: false },
    { name: 'Slice with reserved labels and service with labels', slice: managed, change: (s) => (s.metadata.labels = { foo: 'bar' }), labels: { ...managed, foo: 'bar' }, updated: true },
    {
      name: 'Evil service trying to hijack slice labels only well-known slice labels',
      slice: managed,
      change: (s) => (s.metadata.labels = { [LABEL_SERVICE_NAME]: 'bad', [LABEL_MANAGED_BY]: 'actor', [LABEL_HEADLESS]: 'invalid' }),
      labels: managed,
      updated: false,
    },
    {
      name: 'Evil service trying to hijack slice labels with updates',
      slice: managed,
      change: (s) => (s.metadata.labels = { [LABEL_SERVICE_NAME]: 'bad', [LABEL_MANAGED_BY]: 'actor', foo: 'bar' }),
      labels: { ...managed, foo: 'bar' },
      updated: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const svc = structuredClone(service);
      c.change(svc);
      assert.deepEqual(setEndpointSliceLabels(c.slice, svc), [c.labels, c.updated]);
    });
  }

  it('treats an empty clusterIP as allocated, not headless (the simulator allocates none)', () => {
    const svc = structuredClone(service);
    delete svc.spec.clusterIP;
    assert.equal(setEndpointSliceLabels(undefined, svc)[0][LABEL_HEADLESS], undefined);
  });
});

describe('placeholderSliceEqual (TestPlaceHolderSliceCompare)', () => {
  const empty = (): EndpointSlice => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: '' }, addressType: 'IPv4', endpoints: [] });
  const cases: { name: string; x: EndpointSlice; y: EndpointSlice; want: boolean }[] = [
    { name: 'Both are empty', x: empty(), y: empty(), want: true },
    { name: 'Only ObjectMeta.Name has diff', x: { ...empty(), metadata: { name: 'foo' } }, y: { ...empty(), metadata: { name: 'bar' } }, want: true },
    { name: 'Only ObjectMeta.Labels has diff', x: { ...empty(), metadata: { name: '', labels: { foo: 'true' } } }, y: { ...empty(), metadata: { name: '', labels: { bar: 'true' } } }, want: false },
    { name: 'Creation time is different', x: { ...empty(), metadata: { name: '', creationTimestamp: 1000 } }, y: { ...empty(), metadata: { name: '', creationTimestamp: 2000 } }, want: true },
    { name: 'Different except for ObjectMeta', x: empty(), y: { ...empty(), addressType: 'IPv6' }, want: false },
    { name: 'Absent and empty ports are equal', x: empty(), y: { ...empty(), ports: [] }, want: true },
    { name: 'Owner references are not compared', x: empty(), y: { ...empty(), metadata: { name: '', ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 's', uid: 'u' }] } }, want: true },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(placeholderSliceEqual(c.x, c.y), c.want));
  }
});

describe('small helpers', () => {
  it('getSliceToFill picks the slice closest to full that still fits, first on ties', () => {
    const slices = [{ name: 'a', endpoints: new Array(62) }, { name: 'b', endpoints: new Array(61) }, { name: 'c', endpoints: new Array(90) }];
    assert.equal(getSliceToFill(slices, 27, 100)?.name, 'a');
    assert.equal(getSliceToFill(slices, 10, 100)?.name, 'c');
    assert.equal(getSliceToFill(slices, 39, 100)?.name, 'b');
    assert.equal(getSliceToFill(slices, 40, 100), undefined);
    assert.equal(getSliceToFill([{ name: 'd', endpoints: new Array(30) }, { name: 'e', endpoints: new Array(30) }], 5, 100)?.name, 'd');
  });

  it('serviceControllerKey reads the service-name label', () => {
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' as const, metadata: { name: 's', namespace: 'ns', labels: { [LABEL_SERVICE_NAME]: 'svc' } }, addressType: 'IPv4' as const, endpoints: [] };
    assert.equal(serviceControllerKey(slice), 'ns/svc');
    assert.equal(serviceControllerKey({ ...slice, metadata: { name: 's', namespace: 'ns' } }), undefined);
  });

  it('ownedBy matches the Service uid, kind and version', () => {
    const svc = newService('foo');
    const slice = newEndpointSlice(svc, []);
    assert.equal(ownedBy(slice, svc), true);
    assert.equal(ownedBy(slice, { ...svc, metadata: { ...svc.metadata, uid: 'other' } }), false);
  });

  it('serviceSelector treats an empty map as no selector (protobuf storage reads it back as nil)', () => {
    const svc = newService('foo');
    assert.deepEqual(serviceSelector(svc), { foo: 'bar' });
    assert.equal(serviceSelector({ ...svc, spec: { ...svc.spec, selector: {} } }), undefined);
    assert.equal(serviceSelector({ ...svc, spec: { ports: [] } }), undefined);
  });
});
