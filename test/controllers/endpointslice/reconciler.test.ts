/**
 * The reconciler's plans against upstream's vectors (staging/src/k8s.io/endpointslice/
 * reconciler_test.go): placeholders, packing (100/100/50, 62+27, worse allocation), updates on
 * port and label changes, recycling, update packing, replaced address types, recreated Services,
 * named ports, maxEndpointsPerSlice, finalize with a deleting Service, pods on missing nodes.
 * Plans are applied to a small fake store, as upstream applies them to a fake clientset.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Node } from '../../../src/api/types/node.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { Service } from '../../../src/api/types/service.js';
import { CONTROLLER_NAME, LABEL_HEADLESS, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, newEndpointSlice, podToEndpoint } from '../../../src/controllers/endpointslice/endpoints.js';
import { type IncrementalScope, type SlicePlan, finalizePlan, reconcile, reconcileByAddressType } from '../../../src/controllers/endpointslice/reconciler.js';
import { EndpointSet, newPortMapKey } from '../../../src/controllers/endpointslice/util.js';

const NS = 'test';
const NODE_1: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {} };

function newService(name: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, uid: `${NS}-${name}` },
    spec: { ports: [{ name, port: 80, targetPort: 80, protocol: 'TCP' }], selector: { foo: 'bar' }, clusterIP: '10.0.0.10' },
  };
}

/** newPod(n, ns, ready, 1, terminating), with a valid IPv4 address for any n. */
function newPod(n: number, ready = n % 3 !== 0): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod${n}`, namespace: NS, uid: `uid-${n}`, labels: { foo: 'bar' }, resourceVersion: String(n) },
    spec: { containers: [{ name: 'container-1' }], nodeName: 'node-1' },
    status: { podIP: `10.1.${Math.floor(n / 250)}.${(n % 250) + 1}`, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function pods(count: number, from = 0, ready?: boolean): Pod[] {
  return Array.from({ length: count }, (_, i) => newPod(from + i, ready));
}

/** newEmptyEndpointSlice(n, ns, meta, svc): named `<svc>-<n>`, owned by the Service. */
function existingSlice(n: number, svc: Service, endpointsOf: Pod[], ports = [{ name: svc.metadata.name, port: 80, protocol: 'TCP' }]): EndpointSlice {
  const slice = newEndpointSlice(svc, ports);
  slice.metadata = { ...slice.metadata, name: `${svc.metadata.name}-${n}`, uid: `slice-${n}`, generation: 1, resourceVersion: '1' };
  delete slice.metadata.generateName;
  slice.endpoints = endpointsOf.map((p) => podToEndpoint(p, NODE_1, svc));
  return slice;
}

/** The fake clientset: records actions, names created slices, bumps generations. */
class FakeStore {
  readonly slices = new Map<string, EndpointSlice>();
  readonly actions: string[] = [];
  private created = 0;

  constructor(initial: EndpointSlice[] = []) {
    for (const slice of initial) this.slices.set(slice.metadata.name, slice);
  }

  apply(plan: SlicePlan): void {
    for (const slice of plan.create) {
      const name = `${slice.metadata.generateName}generated${++this.created}`;
      this.actions.push('create');
      this.slices.set(name, { ...slice, metadata: { ...slice.metadata, name, uid: name, generation: 1 } });
    }
    for (const slice of plan.update) {
      this.actions.push('update');
      const generation = (this.slices.get(slice.metadata.name)?.metadata.generation ?? 0) + 1;
      this.slices.set(slice.metadata.name, { ...slice, metadata: { ...slice.metadata, generation } });
    }
    for (const slice of plan.delete) {
      this.actions.push('delete');
      this.slices.delete(slice.metadata.name);
    }
  }

  list(): DeepReadonly<EndpointSlice>[] {
    return [...this.slices.values()];
  }

  lengths(): number[] {
    return this.list().map((s) => s.endpoints.length).sort((a, b) => a - b);
  }
}

function sync(store: FakeStore, svc: Service, podList: Pod[], options: { max?: number; nodes?: Node[] } = {}): readonly string[] {
  const nodes = options.nodes ?? [NODE_1];
  const result = reconcile(svc, podList, store.list(), (name) => nodes.find((n) => n.metadata.name === name), {
    maxEndpointsPerSlice: options.max ?? 100,
    controllerName: CONTROLLER_NAME,
  });
  store.apply(result);
  return result.errors;
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

describe('reconcile (reconciler_test.go)', () => {
  it('TestReconcileEmpty: a Service without pods gets an empty placeholder slice', () => {
    const store = new FakeStore();
    sync(store, newService('foo'), []);
    assert.deepEqual(store.actions, ['create']);
    const [slice] = store.list();
    assert.match(slice.metadata.name, /^foo-/);
    assert.equal(slice.metadata.labels?.[LABEL_SERVICE_NAME], 'foo');
    assert.deepEqual(slice.ports, []);
    assert.deepEqual(slice.endpoints, []);
  });

  describe('TestReconcile1Pod: one pod, one slice with its endpoint and the Service labels', () => {
    const pod = newPod(1, true);
    pod.spec.hostname = 'example-hostname';
    const zoned: Node = { ...NODE_1, metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'us-central1-a', 'topology.kubernetes.io/region': 'us-central1' } } };
    const managed = { [LABEL_MANAGED_BY]: CONTROLLER_NAME, [LABEL_SERVICE_NAME]: 'foo' };
    const cases: { name: string; change: (s: Service) => void; labels: Record<string, string> }[] = [
      { name: 'ipv4-clusterip', change: () => {}, labels: managed },
      { name: 'ipv4 headless', change: (s) => (s.spec.clusterIP = 'None'), labels: { ...managed, [LABEL_HEADLESS]: '' } },
      { name: 'ipv4-labels', change: (s) => ((s.spec.clusterIP = 'None'), (s.metadata.labels = { foo: 'bar' })), labels: { ...managed, foo: 'bar', [LABEL_HEADLESS]: '' } },
      {
        name: 'ipv4-bad-labels',
        change: (s) => ((s.spec.clusterIP = 'None'), (s.metadata.labels = { [LABEL_SERVICE_NAME]: 'bad', [LABEL_MANAGED_BY]: 'actor', [LABEL_HEADLESS]: 'invalid' })),
        labels: { ...managed, [LABEL_HEADLESS]: '' },
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const svc = newService('foo');
        c.change(svc);
        const store = new FakeStore();
        sync(store, svc, [pod], { nodes: [zoned] });
        assert.deepEqual(store.actions, ['create']);
        const [slice] = store.list();
        assert.deepEqual(slice.metadata.labels, c.labels);
        assert.equal(slice.addressType, 'IPv4');
        assert.deepEqual(slice.endpoints, [
          {
            addresses: ['10.1.0.2'],
            conditions: { ready: true, serving: true, terminating: false },
            targetRef: { kind: 'Pod', namespace: NS, name: 'pod1', uid: 'uid-1' },
            nodeName: 'node-1',
            zone: 'us-central1-a',
          },
        ]);
      });
    }
  });

  describe('TestReconcile1EndpointSlice: an existing placeholder is kept when the same, updated when not', () => {
    const svc = newService('foo');
    const different = existingSlice(1, svc, []);
    different.metadata.labels = { bar: 'baz' };
    const same = newEndpointSlice(svc, []);
    same.metadata = { ...same.metadata, name: 'foo-placeholder', uid: 'p', generation: 1 };
    const cases: { desc: string; existing?: EndpointSlice; actions: string[] }[] = [
      { desc: 'No existing placeholder', actions: ['create'] },
      { desc: "Existing placeholder that's the same", existing: same, actions: [] },
      { desc: "Existing placeholder that's different", existing: different, actions: ['update'] },
    ];
    for (const c of cases) {
      it(c.desc, () => {
        const store = new FakeStore(c.existing ? [c.existing] : []);
        sync(store, svc, []);
        assert.deepEqual(store.actions, c.actions);
        assert.equal(store.list().length, 1);
        assert.deepEqual(store.list()[0].endpoints, []);
        assert.deepEqual(store.list()[0].ports ?? [], []);
      });
    }
  });

  it('TestReconcile1EndpointSlicePublishNotReadyAddresses: every endpoint ready', () => {
    const svc = newService('foo');
    svc.spec.publishNotReadyAddresses = true;
    const store = new FakeStore();
    sync(store, svc, pods(50));
    assert.deepEqual(store.actions, ['create']);
    assert.deepEqual(store.lengths(), [50]);
    assert.ok(store.list()[0].endpoints.every((e) => e.conditions?.ready === true));
  });

  it('TestReconcileManyPods: 250 pods make 3 slices, 2 of them full', () => {
    const store = new FakeStore();
    sync(store, newService('foo'), pods(250));
    assert.deepEqual(store.actions, ['create', 'create', 'create']);
    assert.deepEqual(store.lengths(), [50, 100, 100]);
  });

  it('TestReconcileEndpointSlicesSomePreexisting: 1 create (100) + 1 update (62 → 89)', () => {
    const svc = newService('foo');
    const all = pods(250);
    const first = all.filter((_, i) => i >= 1 && i < all.length - 4 && (i - 1) % 4 === 0);
    const second = all.filter((_, i) => i >= 3 && i < all.length - 4 && (i - 3) % 4 === 0);
    const store = new FakeStore([existingSlice(1, svc, first), existingSlice(2, svc, second)]);
    assert.deepEqual([first.length, second.length], [62, 61]);
    sync(store, svc, all);
    assert.deepEqual(store.actions, ['create', 'update']);
    assert.deepEqual(store.lengths(), sorted([89, 61, 100]));
  });

  it('TestReconcileEndpointSlicesSomePreexistingWorseAllocation: 2 creates (100, 52) next to 74 and 74', () => {
    const svc = newService('foo');
    const all = pods(300);
    const first = all.filter((_, i) => i >= 1 && i < all.length - 4 && (i - 1) % 4 === 0);
    const second = all.filter((_, i) => i >= 3 && i < all.length - 4 && (i - 3) % 4 === 0);
    const store = new FakeStore([existingSlice(1, svc, first), existingSlice(2, svc, second)]);
    sync(store, svc, all);
    assert.deepEqual(store.actions, ['create', 'create']);
    assert.deepEqual(store.lengths(), sorted([74, 74, 100, 52]));
  });

  it('TestReconcileEndpointSlicesUpdating: a target port change updates every slice in place', () => {
    const svc = newService('foo');
    const all = pods(250);
    const store = new FakeStore();
    sync(store, svc, all);
    svc.spec.ports![0].targetPort = 81;
    sync(store, svc, all);
    assert.deepEqual(store.actions, ['create', 'create', 'create', 'update', 'update', 'update']);
    assert.deepEqual(store.lengths(), [50, 100, 100]);
    assert.ok(store.list().every((s) => s.ports?.[0].port === 81));
  });

  it('TestReconcileEndpointSlicesServicesLabelsUpdating: Service labels reach every slice', () => {
    const svc = newService('foo');
    const all = pods(250);
    const store = new FakeStore();
    sync(store, svc, all);
    svc.metadata.labels = { foo: 'bar' };
    sync(store, svc, all);
    assert.deepEqual(store.actions.slice(3), ['update', 'update', 'update']);
    assert.ok(store.list().every((s) => s.metadata.labels?.foo === 'bar'));
  });

  it('TestReconcileEndpointSlicesServicesReservedLabels: reserved Service labels change nothing', () => {
    const svc = newService('foo');
    const all = pods(250);
    const store = new FakeStore();
    sync(store, svc, all);
    svc.metadata.labels = { [LABEL_SERVICE_NAME]: 'bad', [LABEL_MANAGED_BY]: 'actor', [LABEL_HEADLESS]: 'invalid' };
    sync(store, svc, all);
    assert.equal(store.actions.length, 3);
  });

  it('TestReconcileEndpointSlicesRecycling: a port change repacks 10 slices of 30 into 3 updates + 7 deletes', () => {
    const svc = newService('foo');
    const all = pods(300);
    const initial = Array.from({ length: 10 }, (_, n) => existingSlice(n, svc, all.slice(n * 30, n * 30 + 30)));
    const store = new FakeStore(initial);
    sync(store, svc, all);
    assert.deepEqual(store.actions, [], 'all pods are accounted for: no repacking');
    svc.spec.ports![0].targetPort = 81;
    sync(store, svc, all);
    assert.equal(store.actions.filter((a) => a === 'update').length, 3);
    assert.equal(store.actions.filter((a) => a === 'delete').length, 7);
    assert.deepEqual(store.lengths(), [100, 100, 100]);
  });

  it('TestReconcileEndpointSlicesUpdatePacking: new endpoints go to the fuller of the updated slices', () => {
    const svc = newService('foo');
    const first = pods(80, 0, true);
    const second = pods(20, 100, true);
    const store = new FakeStore([existingSlice(1, svc, first), existingSlice(2, svc, second)]);
    for (const [i, pod] of [...first, ...second].entries()) if (i % 10 === 0) pod.status!.conditions = [{ type: 'Ready', status: 'False' }];
    sync(store, svc, [...first, ...second, ...pods(15, 200, true)]);
    assert.deepEqual(store.actions, ['update', 'update']);
    assert.deepEqual(store.lengths(), [20, 95]);
  });

  it('TestReconcileEndpointSlicesReplaceDeprecated: slices of another address type are replaced', () => {
    const svc = newService('foo');
    const first = existingSlice(1, svc, pods(80, 0, true));
    const second = existingSlice(2, svc, pods(50, 100, true));
    for (const slice of [first, second]) (slice as { addressType: string }).addressType = 'IP';
    const store = new FakeStore([first, second]);
    sync(store, svc, [...pods(80, 0, true), ...pods(50, 100, true)]);
    assert.deepEqual(store.actions.slice(-2), ['delete', 'delete']);
    assert.deepEqual(store.lengths(), [30, 100]);
    assert.ok(store.list().every((s) => s.addressType === 'IPv4'));
  });

  describe('TestReconcileEndpointSlicesRecreation: a slice of an earlier Service of the same name is replaced', () => {
    for (const ownedByService of [true, false]) {
      it(ownedByService ? 'slice owned by Service: nothing to do' : 'slice owned by other Service UID: create + delete', () => {
        const svc = newService('foo');
        const pod = newPod(1, true);
        const slice = existingSlice(1, svc, [pod]);
        if (!ownedByService) slice.metadata.ownerReferences![0].uid = 'different';
        const store = new FakeStore([slice]);
        sync(store, svc, [pod]);
        assert.deepEqual(store.actions, ownedByService ? [] : ['create', 'delete']);
        assert.equal(store.list().length, 1);
      });
    }
  });

  it('TestReconcileEndpointSlicesNamedPorts: one slice per resolved port number', () => {
    const svc: Service = { ...newService('named-port-example'), spec: { ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }], selector: { foo: 'bar' }, clusterIP: '10.0.0.1' } };
    const all = pods(300).map((pod, i) => {
      pod.spec.containers[0].ports = [{ name: 'http', containerPort: 8080 + (i % 5), protocol: 'TCP' }];
      return pod;
    });
    const store = new FakeStore();
    sync(store, svc, all);
    assert.deepEqual(store.actions, ['create', 'create', 'create', 'create', 'create']);
    assert.deepEqual(store.lengths(), [60, 60, 60, 60, 60]);
    assert.deepEqual(store.list().map((s) => s.ports?.[0].port).sort(), [8080, 8081, 8082, 8083, 8084]);
    assert.ok(store.list().every((s) => s.ports?.[0].name === '' && s.ports?.[0].protocol === 'TCP'));
  });

  describe('TestReconcileMaxEndpointsPerSlice', () => {
    const cases: [number, number[]][] = [
      [50, [50, 50, 50, 50, 50]],
      [80, [10, 80, 80, 80]],
      [150, [100, 150]],
      [250, [250]],
      [500, [250]],
    ];
    for (const [max, lengths] of cases) {
      it(`maxEndpointsPerSlice: ${max}`, () => {
        const store = new FakeStore();
        sync(store, newService('foo'), pods(250), { max });
        assert.deepEqual(store.lengths(), lengths);
      });
    }
  });

  it('TestReconcileEndpointSlicesMetrics: removing half the pods updates the slice', () => {
    const svc = newService('foo');
    const all = pods(20, 0, true);
    const store = new FakeStore();
    sync(store, svc, all);
    sync(store, svc, all.slice(0, 10));
    assert.deepEqual(store.actions, ['create', 'update']);
    assert.deepEqual(store.lengths(), [10]);
  });

  describe('TestReconcilerFinalizeSvcDeletionTimestamp', () => {
    const cases: { name: string; deleting: boolean; create: boolean; update: boolean; del: boolean; created: boolean; updated: boolean; deleted: boolean }[] = [
      { name: 'Attempt create and update, nil deletion timestamp', deleting: false, create: true, update: true, del: false, created: true, updated: true, deleted: true },
      { name: 'Attempt create and update, deletion timestamp set', deleting: true, create: true, update: true, del: false, created: false, updated: true, deleted: true },
      { name: 'Attempt create, update, and delete, nil deletion timestamp, recycling in action', deleting: false, create: true, update: true, del: true, created: false, updated: true, deleted: true },
      { name: 'Attempt create, update, and delete, deletion timestamp set, recycling in action', deleting: true, create: true, update: true, del: true, created: false, updated: true, deleted: true },
      { name: 'Attempt update delete, deletion timestamp set', deleting: true, create: false, update: true, del: true, created: false, updated: true, deleted: false },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const svc = newService('foo');
        if (c.deleting) svc.metadata.deletionTimestamp = 1000;
        const toCreate = newEndpointSlice(svc, []);
        toCreate.metadata.generateName = 'to-create';
        const toUpdate = existingSlice(1, svc, []);
        toUpdate.metadata.name = 'to-update';
        const toDelete = existingSlice(2, svc, []);
        toDelete.metadata.name = 'to-delete';
        const store = new FakeStore([structuredClone(toUpdate), toDelete]);
        toUpdate.endpoints = [{ addresses: ['10.2.3.4'] }];
        store.apply(finalizePlan(svc, { create: c.create ? [toCreate] : [], update: c.update ? [toUpdate] : [], delete: c.del ? [toDelete] : [] }));
        const names = [...store.slices.keys()];
        assert.equal(names.some((n) => n.startsWith('to-create')), c.created);
        assert.equal(names.includes('to-update'), c.updated);
        assert.equal(names.includes('to-delete'), c.deleted);
        if (c.update) assert.equal(store.slices.get('to-update')?.endpoints.length, 1);
      });
    }
  });

  describe('TestReconcilerPodMissingNode', () => {
    const nodes: Node[] = [{ ...NODE_1, metadata: { name: 'node-0' } }, NODE_1];
    const two = [newPod(0, true), newPod(1, true)];
    two[0].spec.nodeName = 'node-0';
    const withBoth = (svc: Service) => {
      const slice = existingSlice(1, svc, []);
      slice.endpoints = two.map((p, i) => podToEndpoint(p, nodes[i], svc));
      return slice;
    };
    const cases: { name: string; publishNotReady: boolean; nodes: Node[]; existing: boolean; slices: number; endpoints: number; actions: string[]; error: boolean }[] = [
      { name: 'Create and publishNotReady false', publishNotReady: false, nodes: [nodes[0]], existing: false, slices: 1, endpoints: 1, actions: ['create'], error: true },
      { name: 'Create and publishNotReady true', publishNotReady: true, nodes: [nodes[0]], existing: false, slices: 1, endpoints: 2, actions: ['create'], error: false },
      { name: 'Update and publishNotReady false', publishNotReady: false, nodes: [nodes[0]], existing: true, slices: 1, endpoints: 1, actions: ['update'], error: true },
      { name: 'Update and publishNotReady true and all nodes missing', publishNotReady: true, nodes: [], existing: true, slices: 1, endpoints: 2, actions: [], error: false },
      { name: 'Update and publishNotReady true', publishNotReady: true, nodes: [nodes[0]], existing: true, slices: 1, endpoints: 2, actions: [], error: false },
      // The slice is updated (into a placeholder), not deleted.
      { name: 'Update if publishNotReady false and no nodes are present', publishNotReady: false, nodes: [], existing: true, slices: 1, endpoints: 0, actions: ['update'], error: true },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const svc = newService('foo');
        svc.spec.publishNotReadyAddresses = c.publishNotReady;
        const store = new FakeStore(c.existing ? [withBoth(svc)] : []);
        const errors = sync(store, svc, two, { nodes: c.nodes });
        assert.equal(errors.length > 0, c.error);
        assert.deepEqual(store.actions, c.actions);
        assert.equal(store.list().length, c.slices);
        assert.equal(store.list().reduce((n, s) => n + s.endpoints.length, 0), c.endpoints);
      });
    }
  });

  it('terminal pods and pods without an IP get no endpoint; terminating ones do', () => {
    const svc = newService('foo');
    const terminal = newPod(1, true);
    terminal.status!.phase = 'Succeeded';
    const noIp = newPod(2, true);
    delete noIp.status!.podIP;
    const terminating = newPod(3, true);
    terminating.metadata.deletionTimestamp = 5000;
    const store = new FakeStore();
    sync(store, svc, [terminal, noIp, terminating]);
    assert.deepEqual(store.list()[0].endpoints.map((e) => [e.targetRef?.name, e.conditions]), [['pod3', { ready: false, serving: true, terminating: true }]]);
  });
});

/**
 * An incremental pass (the controller's, see reconciler.ts's header) recomputes only the changed
 * pods and visits only their endpoints; from a store the full pass left, it must plan exactly
 * the writes the full pass plans.
 */
describe('reconcileByAddressType with an IncrementalScope', () => {
  const MAX = 10;
  const options = { maxEndpointsPerSlice: MAX, controllerName: CONTROLLER_NAME };
  const nodeOf = (name: string) => (name === NODE_1.metadata.name ? NODE_1 : undefined);

  /** The incremental plan for `after` when only the pods named in `changed` differ from what the store shows. */
  function incrementalPlan(svc: Service, existing: readonly DeepReadonly<EndpointSlice>[], after: Pod[], changed: ReadonlySet<string>): SlicePlan {
    const desired = new EndpointSet();
    for (const pod of after) if (changed.has(pod.metadata.name)) desired.insert(podToEndpoint(pod, NODE_1, svc));
    const slices = new Map<string, number[]>();
    for (const slice of existing) {
      const positions = slice.endpoints.flatMap((e, i) => (changed.has(e.targetRef?.name ?? '') ? [i] : []));
      if (positions.length > 0) slices.set(slice.metadata.name, positions);
    }
    const scope: IncrementalScope = { slices };
    const ports = existing[0].ports as EndpointSlice['ports'] & object;
    return finalizePlan(svc, reconcileByAddressType(svc, existing, new Map([[newPortMapKey(ports), { ports, endpoints: desired }]]), options, scope));
  }

  const withIp = (pod: Pod, ip: string): Pod => ({ ...pod, status: { ...pod.status, podIP: ip } });
  const cases: { name: string; change: (pods: Pod[]) => Pod[]; changed: string[]; actions: string[] }[] = [
    { name: 'a pod turning ready is updated in place', change: (p) => p.map((x) => (x.metadata.name === 'pod3' ? newPod(3, true) : x)), changed: ['pod3'], actions: ['update'] },
    { name: 'a deleted pod leaves its slice', change: (p) => p.filter((x) => x.metadata.name !== 'pod12'), changed: ['pod12'], actions: ['update'] },
    { name: 'a replaced pod: one leaves, one joins the same slice', change: (p) => [...p.filter((x) => x.metadata.name !== 'pod12'), newPod(40)], changed: ['pod12', 'pod40'], actions: ['update'] },
    { name: 'a new IP moves the endpoint into the slice being updated', change: (p) => p.map((x) => (x.metadata.name === 'pod21' ? withIp(x, '10.9.0.1') : x)), changed: ['pod21'], actions: ['update'] },
    {
      name: 'several pods of two slices change at once',
      change: (p) => [...p.filter((x) => !['pod2', 'pod15'].includes(x.metadata.name)).map((x) => (['pod5', 'pod16'].includes(x.metadata.name) ? newPod(Number(x.metadata.name.slice(3)), true) : x)), newPod(41), newPod(42)],
      changed: ['pod2', 'pod5', 'pod15', 'pod16', 'pod41', 'pod42'],
      actions: ['update', 'update'],
    },
    { name: 'new pods fill the slice with room for them', change: (p) => [...p, ...pods(4, 50)], changed: ['pod50', 'pod51', 'pod52', 'pod53'], actions: ['update'] },
    { name: 'new pods with no room left go to a new slice', change: (p) => [...p, ...pods(6, 50)], changed: ['pod50', 'pod51', 'pod52', 'pod53', 'pod54', 'pod55'], actions: ['create'] },
    { name: 'a slice whose pods all went is deleted', change: (p) => p.filter((x) => Number(x.metadata.name.slice(3)) < 20), changed: ['pod20', 'pod21', 'pod22', 'pod23', 'pod24'], actions: ['delete'] },
    { name: 'an unchanged pod marked as changed writes nothing', change: (p) => p, changed: ['pod7'], actions: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const svc = newService('foo');
      const before = pods(25);
      const store = new FakeStore();
      sync(store, svc, before, { max: MAX });
      // Partly filled slices, as a history of changes leaves them: 10, 10, 5.
      assert.deepEqual(store.lengths(), [5, 10, 10]);
      const after = c.change(before);
      const full = reconcile(svc, after, store.list(), nodeOf, options);
      const incremental = incrementalPlan(svc, store.list(), after, new Set(c.changed));
      assert.deepEqual(incremental.create, full.create);
      assert.deepEqual(incremental.update, full.update);
      assert.deepEqual(incremental.delete, full.delete);
      const writes = new FakeStore(store.list() as EndpointSlice[]);
      writes.apply(incremental);
      assert.deepEqual(writes.actions, c.actions);
    });
  }
});
