/**
 * The EndpointSlice controller in a small cluster (API server, informers, no kubelet): endpoints
 * through a pod's life, headless Services and hostnames, Services without selectors or of type
 * ExternalName, selector and label changes, repair of slices others change, stale caches and
 * missing nodes retried with the controller's 1 s back-off, packing, garbage collection,
 * generations, and syncs that only look at what changed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { Service } from '../../../src/api/types/service.js';
import { serviceDnsRecords } from '../../../src/controllers/endpointslice/dns.js';
import { CONTROLLER_NAME, LABEL_HEADLESS, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../../src/controllers/endpointslice/endpoints.js';
import {
  WATCH_LATENCY_MS,
  createNode,
  createPod,
  createService,
  endpointStates,
  newEndpointsCluster,
  runningPod,
  setPodState,
  settle,
  slicesOf,
} from './harness.js';

function eventTypes(cluster: ReturnType<typeof newEndpointsCluster>, type: string): string[] {
  return cluster.events.jsonLines().filter((line) => line.includes(`"type":"${type}"`));
}

describe('EndpointSlice controller', () => {
  it('gives a Service with a selector an owned, labelled placeholder slice', () => {
    const cluster = newEndpointsCluster();
    const svc = createService(cluster, 'web', { labels: { team: 'a' } });
    settle(cluster);
    const slices = slicesOf(cluster, 'web');
    assert.equal(slices.length, 1);
    const [slice] = slices;
    assert.match(slice.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(slice.metadata.labels, { team: 'a', [LABEL_SERVICE_NAME]: 'web', [LABEL_MANAGED_BY]: CONTROLLER_NAME });
    assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.endpoints, []);
    assert.equal(slice.metadata.generation, 1);
    assert.equal(slice.metadata.creationTimestamp, WATCH_LATENCY_MS);
  });

  it('follows a pod: no IP, not ready, ready, terminating, gone', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1', 'zone-a');
    createService(cluster, 'web');
    createPod(cluster, 'web-1');
    settle(cluster);
    assert.deepEqual(endpointStates(cluster, 'web'), {}, 'a pod without an IP is not published');
    cluster.api.bind('default', 'web-1', 'node-1');
    setPodState(cluster, 'web-1', { ip: '10.0.0.5', ready: false });
    settle(cluster);
    assert.deepEqual(endpointStates(cluster, 'web'), { 'web-1': '---' });
    const [slice] = slicesOf(cluster, 'web');
    assert.deepEqual(slice.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }], 'the named targetPort resolves to the container port');
    assert.deepEqual(slice.endpoints[0], {
      addresses: ['10.0.0.5'],
      conditions: { ready: false, serving: false, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: cluster.api.get<Pod>('Pod', 'default', 'web-1')?.metadata.uid },
      nodeName: 'node-1',
      zone: 'zone-a',
    });
    setPodState(cluster, 'web-1', { ip: '10.0.0.5', ready: true });
    settle(cluster);
    assert.deepEqual(endpointStates(cluster, 'web'), { 'web-1': 'RS-' });
    cluster.api.delete('Pod', 'default', 'web-1');
    settle(cluster);
    assert.deepEqual(endpointStates(cluster, 'web'), { 'web-1': '-ST' }, 'terminating: still serving, no longer ready');
    cluster.api.delete('Pod', 'default', 'web-1', { gracePeriodSeconds: 0 });
    settle(cluster);
    assert.deepEqual(endpointStates(cluster, 'web'), {});
    const after = slicesOf(cluster, 'web');
    assert.equal(after.length, 1);
    assert.equal(after[0].metadata.name, slice.metadata.name, 'the emptied slice is recycled as the placeholder');
    assert.deepEqual(after[0].ports, []);
  });

  it('drops a pod that ends without ever having been ready', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    runningPod(cluster, 'web-1', 'node-1', '10.0.0.5', false);
    settle(cluster);
    assert.deepEqual(endpointStates(cluster, 'web'), { 'web-1': '---' });
    setPodState(cluster, 'web-1', { ip: '10.0.0.5', ready: false, phase: 'Failed' });
    settle(cluster);
    assert.deepEqual(endpointStates(cluster, 'web'), {});
  });

  it('publishes not-ready pods as ready with publishNotReadyAddresses', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web', { publishNotReadyAddresses: true });
    runningPod(cluster, 'web-1', 'node-1', '10.0.0.5', false);
    settle(cluster);
    assert.deepEqual(endpointStates(cluster, 'web'), { 'web-1': 'R--' });
  });

  it('gives pods of a headless Service their hostnames and stable DNS names', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    const svc = createService(cluster, 'db', { headless: true, selector: { app: 'db' } });
    runningPod(cluster, 'db-0', 'node-1', '10.0.0.10', true, { labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' });
    runningPod(cluster, 'db-1', 'node-1', '10.0.0.11', false, { labels: { app: 'db' }, hostname: 'db-1', subdomain: 'db' });
    runningPod(cluster, 'other', 'node-1', '10.0.0.12', true, { labels: { app: 'db' }, hostname: 'other', subdomain: 'elsewhere' });
    settle(cluster);
    const [slice] = slicesOf(cluster, 'db');
    assert.equal(slice.metadata.labels?.[LABEL_HEADLESS], '');
    assert.deepEqual(slice.ports, []);
    assert.deepEqual(Object.fromEntries(slice.endpoints.map((e) => [e.targetRef?.name, e.hostname])), { 'db-0': 'db-0', 'db-1': 'db-1', other: undefined });
    assert.deepEqual(serviceDnsRecords(svc, cluster.api.list<EndpointSlice>('EndpointSlice')), [
      { name: 'db.default.svc.cluster.local', addresses: ['10.0.0.10', '10.0.0.12'] },
      { name: '10-0-0-12.db.default.svc.cluster.local', addresses: ['10.0.0.12'] },
      { name: 'db-0.db.default.svc.cluster.local', addresses: ['10.0.0.10'] },
    ]);
  });

  it('leaves Services without a selector, and ExternalName Services, alone', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'manual', { selector: null });
    createService(cluster, 'empty', { selector: {} });
    cluster.api.create<Service>({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'external', namespace: 'default' }, spec: { type: 'ExternalName', selector: { app: 'web' }, externalName: 'example.com' } as Service['spec'] });
    runningPod(cluster, 'web-1', 'node-1', '10.0.0.5', true);
    settle(cluster);
    assert.deepEqual([...cluster.api.list('EndpointSlice')], []);
  });

  it('moves endpoints when a Service selector or a pod label changes', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'blue', { selector: { color: 'blue' } });
    createService(cluster, 'green', { selector: { color: 'green' } });
    runningPod(cluster, 'p1', 'node-1', '10.0.0.1', true, { labels: { color: 'blue' } });
    runningPod(cluster, 'p2', 'node-1', '10.0.0.2', true, { labels: { color: 'green' } });
    settle(cluster);
    assert.deepEqual([Object.keys(endpointStates(cluster, 'blue')), Object.keys(endpointStates(cluster, 'green'))], [['p1'], ['p2']]);
    const p1 = structuredClone(cluster.api.get<Pod>('Pod', 'default', 'p1')) as Pod;
    p1.metadata.labels = { color: 'green' };
    cluster.api.update(p1);
    settle(cluster);
    assert.deepEqual([Object.keys(endpointStates(cluster, 'blue')), Object.keys(endpointStates(cluster, 'green')).sort()], [[], ['p1', 'p2']]);
    const blue = structuredClone(cluster.api.get<Service>('Service', 'default', 'blue')) as Service;
    blue.spec.selector = { color: 'green' };
    cluster.api.update(blue);
    settle(cluster);
    assert.deepEqual(Object.keys(endpointStates(cluster, 'blue')).sort(), ['p1', 'p2']);
  });

  it('recreates a slice someone deleted, one second later', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    runningPod(cluster, 'web-1', 'node-1', '10.0.0.5', true);
    settle(cluster);
    const [slice] = slicesOf(cluster, 'web');
    const deletedAt = cluster.sim.now;
    cluster.api.delete('EndpointSlice', 'default', slice.metadata.name);
    settle(cluster, deletedAt + WATCH_LATENCY_MS + 999);
    assert.equal(slicesOf(cluster, 'web').length, 0, 'not before endpointSliceChangeMinSyncDelay');
    settle(cluster);
    const [recreated] = slicesOf(cluster, 'web');
    assert.equal(recreated.metadata.creationTimestamp, deletedAt + WATCH_LATENCY_MS + 1000);
    assert.deepEqual(endpointStates(cluster, 'web'), { 'web-1': 'RS-' });
  });

  it('repairs a managed slice someone else rewrote', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    runningPod(cluster, 'web-1', 'node-1', '10.0.0.5', true);
    settle(cluster);
    const slice = structuredClone(slicesOf(cluster, 'web')[0]) as EndpointSlice;
    slice.endpoints = [{ addresses: ['10.9.9.9'], conditions: { ready: true } }];
    cluster.api.update(slice);
    settle(cluster);
    assert.deepEqual(slicesOf(cluster, 'web')[0].endpoints.map((e) => e.addresses[0]), ['10.0.0.5']);
  });

  it('retries a sync that meets its own write not yet in the cache after 1 s, silently', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    runningPod(cluster, 'a', 'node-1', '10.0.0.1', true);
    settle(cluster);
    runningPod(cluster, 'b', 'node-1', '10.0.0.2', true);
    // The controller writes at t+5; a change seen at t+7 finds the cache one write behind.
    cluster.sim.schedule(2, () => runningPod(cluster, 'c', 'node-1', '10.0.0.3', true));
    const start = cluster.sim.now;
    settle(cluster, start + 100);
    assert.deepEqual(Object.keys(endpointStates(cluster, 'web')).sort(), ['a', 'b']);
    settle(cluster, start + 7 + 999);
    assert.deepEqual(Object.keys(endpointStates(cluster, 'web')).sort(), ['a', 'b']);
    settle(cluster);
    assert.deepEqual(Object.keys(endpointStates(cluster, 'web')).sort(), ['a', 'b', 'c']);
    assert.deepEqual(eventTypes(cluster, 'ReconcileError'), []);
  });

  it('leaves out pods whose node is unknown, reporting and retrying with back-off', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    runningPod(cluster, 'a', 'node-1', '10.0.0.1', true);
    createPod(cluster, 'b');
    cluster.api.bind('default', 'b', 'node-2');
    setPodState(cluster, 'b', { ip: '10.0.0.2', ready: true });
    settle(cluster, 4000);
    assert.deepEqual(Object.keys(endpointStates(cluster, 'web')), ['a']);
    const errors = eventTypes(cluster, 'ReconcileError');
    assert.ok(errors.length >= 2 && errors[0].includes('"reason":"NodeNotFound"') && errors[0].includes('Node node-2 Not Found'), errors.join('\n'));
    const times = errors.map((line) => JSON.parse(line).t as number);
    assert.deepEqual(times.slice(1, 3).map((t, i) => Math.round((t - times[i]) * 1000)), [1000, 2000].slice(0, times.length - 1), 'back-off starts at 1 s and doubles');
    createNode(cluster, 'node-2');
    settle(cluster, 20_000);
    assert.deepEqual(Object.keys(endpointStates(cluster, 'web')).sort(), ['a', 'b']);
  });

  it('packs 250 pods into 100 + 100 + 50 and updates slices in place afterwards', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    for (let i = 0; i < 250; i++) runningPod(cluster, `p${i}`, 'node-1', `10.1.${Math.floor(i / 200)}.${(i % 200) + 1}`, true);
    settle(cluster);
    const before = slicesOf(cluster, 'web');
    assert.deepEqual(before.map((s) => s.endpoints.length).sort((a, b) => a - b), [50, 100, 100]);
    for (let i = 0; i < 250; i += 25) setPodState(cluster, `p${i}`, { ip: `10.1.${Math.floor(i / 200)}.${(i % 200) + 1}`, ready: false });
    settle(cluster);
    const after = slicesOf(cluster, 'web');
    assert.deepEqual(after.map((s) => s.metadata.name), before.map((s) => s.metadata.name));
    assert.equal(Object.values(endpointStates(cluster, 'web')).filter((s) => s === '---').length, 10);
    assert.ok(after.every((s) => s.endpoints.length <= 100));
  });

  it('groups pods whose named port resolves differently into separate slices', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    runningPod(cluster, 'old', 'node-1', '10.0.0.1', true, { ports: ['http:8080'] });
    runningPod(cluster, 'new', 'node-1', '10.0.0.2', true, { ports: ['http:9090'] });
    runningPod(cluster, 'none', 'node-1', '10.0.0.3', true, { ports: ['metrics:9100'] });
    settle(cluster);
    const byPort = Object.fromEntries(slicesOf(cluster, 'web').map((s) => [String(s.ports?.map((p) => p.port)), s.endpoints.map((e) => e.targetRef?.name)]));
    assert.deepEqual(byPort, { 8080: ['old'], 9090: ['new'], '': ['none'] });
  });

  it('has the garbage collector delete the slices of a deleted Service', () => {
    const cluster = newEndpointsCluster({ withGarbageCollector: true });
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    runningPod(cluster, 'web-1', 'node-1', '10.0.0.5', true);
    settle(cluster);
    assert.equal(slicesOf(cluster, 'web').length, 1);
    cluster.api.delete('Service', 'default', 'web');
    settle(cluster);
    assert.equal(slicesOf(cluster, 'web').length, 0);
  });

  it('moves the generation on for endpoint and label changes only', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    runningPod(cluster, 'web-1', 'node-1', '10.0.0.5', false);
    settle(cluster);
    const first = slicesOf(cluster, 'web')[0];
    setPodState(cluster, 'web-1', { ip: '10.0.0.5', ready: true });
    settle(cluster);
    const second = slicesOf(cluster, 'web')[0];
    assert.equal(second.metadata.generation, (first.metadata.generation ?? 0) + 1);
    const annotated = structuredClone(second) as EndpointSlice;
    annotated.metadata.annotations = { note: 'x' };
    assert.equal(cluster.api.update(annotated).metadata.generation, second.metadata.generation);
    const relabelled = structuredClone(cluster.api.get<EndpointSlice>('EndpointSlice', 'default', second.metadata.name)) as EndpointSlice;
    relabelled.metadata.labels = { ...relabelled.metadata.labels, extra: 'y' };
    assert.equal(cluster.api.update(relabelled).metadata.generation, (second.metadata.generation ?? 0) + 1);
  });

  it('recomputes only the pods that changed once a Service has been synced', () => {
    const cluster = newEndpointsCluster();
    createNode(cluster, 'node-1');
    createService(cluster, 'web');
    for (let i = 0; i < 50; i++) runningPod(cluster, `p${i}`, 'node-1', `10.1.0.${i + 1}`, false);
    settle(cluster);
    const { full, incremental } = cluster.controller.syncCounts;
    setPodState(cluster, 'p7', { ip: '10.1.0.8', ready: true });
    settle(cluster);
    assert.equal(cluster.controller.syncCounts.full, full);
    assert.equal(cluster.controller.syncCounts.incremental, incremental + 1);
    assert.equal(endpointStates(cluster, 'web').p7, 'RS-');
    createNode(cluster, 'node-2');
    setPodState(cluster, 'p8', { ip: '10.1.0.9', ready: true });
    settle(cluster);
    assert.equal(cluster.controller.syncCounts.full, full + 1, 'a node change makes the next sync a full pass');
  });

  it('runs the same way twice', () => {
    const run = () => {
      const cluster = newEndpointsCluster({ maxEndpointsPerSlice: 4 });
      createNode(cluster, 'node-1');
      createService(cluster, 'web');
      for (let i = 0; i < 20; i++) runningPod(cluster, `p${i}`, 'node-1', `10.1.0.${i + 1}`, i % 2 === 0);
      settle(cluster);
      for (let i = 0; i < 20; i += 3) cluster.api.delete('Pod', 'default', `p${i}`, { gracePeriodSeconds: 0 });
      settle(cluster);
      return JSON.stringify(slicesOf(cluster, 'web')) + cluster.events.jsonLines().join('\n');
    };
    assert.equal(run(), run());
  });
});
