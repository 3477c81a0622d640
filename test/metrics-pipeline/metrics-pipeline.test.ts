/**
 * The metrics APIs the HPA reads: resource metrics from the usage traffic causes (after two
 * scrapes), per pod or one container; setMetric values for pods chosen by owner or selector,
 * including pods created later; Pods, Object and External custom metrics; upstream's errors
 * for what the scenario never provides.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { DeepReadonly, KubeObject, LabelSelector } from '../../src/api/types/meta.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { isMetricsError } from '../../src/controllers/hpa/metrics-client.js';
import type { MetricRule } from '../../src/metrics-pipeline/metric-rules.js';
import { CUSTOM_METRIC_WINDOW_MS } from '../../src/metrics-pipeline/metrics-pipeline.js';
import { type TrafficHarness, trafficHarness } from '../traffic/harness.js';

const WEB: LabelSelector = { matchLabels: { app: 'web' } };

/** Resource metric values by pod name, or the error. */
function resource(h: TrafficHarness, name: string, selector = WEB, container?: string): Record<string, number> | string {
  const result = h.pipeline.getResourceMetric(name, 'default', selector, container);
  if (isMetricsError(result)) return result.error;
  return Object.fromEntries([...result.metrics].map(([pod, m]) => [pod, m.value]));
}

function rule(partial: Partial<MetricRule>): MetricRule {
  return { custom: [], labels: {}, ...partial };
}

/** web: a Deployment, its ReplicaSet, and pods controlled by the ReplicaSet. */
function workload(h: TrafficHarness): { deployment: DeepReadonly<Deployment>; rs: DeepReadonly<ReplicaSet>; pod: (name: string) => void } {
  const deployment = h.api.create<Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
  } as Deployment);
  const rs = h.api.create<ReplicaSet>({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployment.metadata.uid ?? '', controller: true }] },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
  } as ReplicaSet);
  return { deployment, rs, pod: (name) => void h.pod(name, { owner: rs as KubeObject }) };
}

describe('resource metrics from traffic', () => {
  /** p1 and p2 serve 150 rps each at 2m + 20m base, 1 KiB per request/s + 64 MiB, from 10 ms. */
  function served() {
    const h = trafficHarness();
    h.at(0, () => {
      h.service('web');
      h.pod('p1', { containers: ['app', 'sidecar'] });
      h.pod('p2', { containers: ['app', 'sidecar'] });
      h.pod('other', { labels: { app: 'other' } });
      h.slice('web', [{ pod: 'p1' }, { pod: 'p2' }]);
    });
    h.at(10, () => h.traffic.setRule(h.rule('web', 300, { cost: { cpuMilli: 2, memoryBytes: 1024 }, base: { cpuMilli: 20, memoryBytes: 64 * 2 ** 20 } })));
    return h;
  }

  it('reports nothing until a pod has been scraped twice, then the usage its load causes', () => {
    const h = served();
    h.runTo(15_000);
    assert.equal(resource(h, 'cpu'), 'no metrics returned from resource metrics API');
    h.runTo(29_999);
    assert.equal(resource(h, 'cpu'), 'no metrics returned from resource metrics API');
    h.runTo(30_000);
    assert.deepEqual(resource(h, 'cpu'), { p1: 320, p2: 320 });
    // Memory in milli-bytes, as upstream's MilliValue(): (64 MiB + 150 KiB) × 1000.
    assert.deepEqual(resource(h, 'memory'), { p1: (64 * 2 ** 20 + 150 * 1024) * 1000, p2: (64 * 2 ** 20 + 150 * 1024) * 1000 });
    const result = h.pipeline.getResourceMetric('cpu', 'default', WEB);
    assert.ok(!isMetricsError(result));
    assert.equal(result.timestamp, 30_000);
    assert.deepEqual(result.metrics.get('p1'), { timestamp: 30_000, window: 15_000, value: 320 });
  });

  it('one container: the first has the pod\'s usage, the others none; an absent one is an error', () => {
    const h = served();
    h.runTo(30_000);
    assert.deepEqual(resource(h, 'cpu', WEB, 'app'), { p1: 320, p2: 320 });
    assert.deepEqual(resource(h, 'cpu', WEB, 'sidecar'), { p1: 0, p2: 0 });
    assert.equal(resource(h, 'cpu', WEB, 'proxy'), 'failed to get container metrics: container proxy not present in metrics for pod default/p1');
  });

  it('pods no traffic reaches have no metrics; other resources are missing', () => {
    const h = served();
    h.runTo(30_000);
    assert.equal(resource(h, 'cpu', { matchLabels: { app: 'other' } }), 'no metrics returned from resource metrics API');
    assert.deepEqual(resource(h, 'nvidia.com/gpu'), {});
  });

  it('a pod that stops running loses its metrics', () => {
    const h = served();
    h.runTo(30_000);
    h.at(31_000, () => h.setPod('p2', { ready: false, phase: 'Failed' }));
    h.runTo(45_000);
    // kube-proxy still routes half the load to p2 (its slice says ready), where it fails.
    assert.deepEqual(resource(h, 'cpu'), { p1: 320 });
    h.at(46_000, () => h.slice('web', [{ pod: 'p1' }, { pod: 'p2', ready: false }]));
    h.runTo(75_000);
    assert.deepEqual(resource(h, 'cpu'), { p1: 620 });
  });

  it('a label selector with only expressions goes through the namespace index', () => {
    const h = served();
    h.runTo(30_000);
    assert.deepEqual(resource(h, 'cpu', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'x'] }] }), { p1: 320, p2: 320 });
  });
});

describe('setMetric', () => {
  it('by owner: the Deployment\'s pods, those created later included, report the value after two scrapes', () => {
    const h = trafficHarness();
    let w: ReturnType<typeof workload>;
    h.at(0, () => {
      w = workload(h);
      w.pod('web-abc-1');
      h.pod('stranger', { labels: { app: 'web' } });
    });
    h.at(1000, () => h.pipeline.addRule(rule({ pods: { by: 'owner', owner: { kind: 'Deployment', namespace: 'default', name: 'web' } }, cpuMilli: 800 })));
    h.at(40_000, () => w.pod('web-abc-2'));
    h.runTo(30_000);
    assert.deepEqual(resource(h, 'cpu'), { 'web-abc-1': 800 });
    h.runTo(60_000);
    // The later pod started metering at 40.005 s (its informer add): samples at 45 and 60 s.
    assert.deepEqual(resource(h, 'cpu'), { 'web-abc-1': 800, 'web-abc-2': 800 });
    // The rule sets CPU only: memory is not provided (the pods have metrics, without it).
    assert.deepEqual(resource(h, 'memory'), {});
  });

  it('by selector: pods matching now and later, and one that gets the labels later', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.pod('a', { labels: { app: 'web', tier: 'front' } });
      h.pod('b', { labels: { app: 'web' } });
    });
    h.at(10, () => h.pipeline.addRule(rule({ pods: { by: 'selector', namespace: 'default', selector: { matchLabels: { tier: 'front' } } }, memoryBytes: 2 ** 30 })));
    h.at(20_000, () => {
      const b = h.api.get('Pod', 'default', 'b') as KubeObject;
      h.api.update({ ...b, metadata: { ...b.metadata, labels: { app: 'web', tier: 'front' } } } as KubeObject);
    });
    h.runTo(50_000);
    assert.deepEqual(resource(h, 'memory'), { a: 2 ** 30 * 1000, b: 2 ** 30 * 1000 });
  });

  it('replaces the usage traffic causes, and a later rule wins', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.service('web');
      h.pod('p1');
      h.slice('web', [{ pod: 'p1' }]);
    });
    h.at(10, () => h.traffic.setRule(h.rule('web', 100, { cost: { cpuMilli: 1, memoryBytes: 0 } })));
    h.at(20, () => h.pipeline.addRule(rule({ pods: { by: 'selector', namespace: 'default', selector: WEB }, cpuMilli: 500 })));
    h.at(31_000, () => h.pipeline.addRule(rule({ pods: { by: 'owner', owner: { kind: 'Pod', namespace: 'default', name: 'p1' } }, cpuMilli: 50 })));
    h.runTo(30_000);
    assert.deepEqual(resource(h, 'cpu'), { p1: 500 });
    h.runTo(60_000);
    assert.deepEqual(resource(h, 'cpu'), { p1: 50 });
  });

  it('custom Pods metrics: values of the selected running pods, filtered by the metric selector', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.pod('p1');
      h.pod('p2', { ready: false, phase: 'Pending' });
    });
    h.at(10, () => h.pipeline.addRule(rule({ pods: { by: 'selector', namespace: 'default', selector: WEB }, custom: [{ name: 'queue_length', milli: 30_000 }], labels: { queue: 'orders' } })));
    h.runTo(100);
    const result = h.pipeline.getRawMetric('queue_length', 'default', WEB);
    assert.ok(!isMetricsError(result));
    assert.deepEqual([...result.metrics], [['p1', { timestamp: 100, window: CUSTOM_METRIC_WINDOW_MS, value: 30_000 }]]);
    const other = h.pipeline.getRawMetric('queue_length', 'default', WEB, { matchLabels: { queue: 'billing' } });
    assert.ok(isMetricsError(other));
    assert.equal(other.error, 'no metrics returned from custom metrics API');
    assert.ok(isMetricsError(h.pipeline.getRawMetric('latency', 'default', WEB)));
  });

  it('Object metrics describe the target itself, whatever its kind', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.pipeline.addRule(rule({ object: { kind: 'Service', namespace: 'default', name: 'web' }, custom: [{ name: 'requests_per_second', milli: 2_000_000 }] }));
      h.pipeline.addRule(rule({ object: { kind: 'ingress', namespace: 'default', name: 'main' }, custom: [{ name: 'hits', milli: 5000 }] }));
    });
    h.runTo(100);
    assert.deepEqual(h.pipeline.getObjectMetric('requests_per_second', 'default', { kind: 'Service', name: 'web', apiVersion: 'v1' }), { value: 2_000_000, timestamp: 100 });
    assert.deepEqual(h.pipeline.getObjectMetric('hits', 'default', { kind: 'Ingress', name: 'main' }), { value: 5000, timestamp: 100 });
    const missing = h.pipeline.getObjectMetric('hits', 'other', { kind: 'Ingress', name: 'main' });
    assert.ok(isMetricsError(missing));
    assert.match(missing.error, /^unable to fetch metrics from custom metrics API: the server could not find the metric hits for ingress main$/);
  });

  it('External metrics: series by labels, a later value replacing the series with the same labels', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.pipeline.addRule(rule({ externalNamespace: 'default', custom: [{ name: 'queue_messages', milli: 100_000 }], labels: { queue: 'orders' } }));
      h.pipeline.addRule(rule({ externalNamespace: 'default', custom: [{ name: 'queue_messages', milli: 7000 }], labels: { queue: 'billing' } }));
    });
    h.at(50, () => h.pipeline.addRule(rule({ externalNamespace: 'default', custom: [{ name: 'queue_messages', milli: 250_000 }], labels: { queue: 'orders' } })));
    h.runTo(100);
    assert.deepEqual(h.pipeline.getExternalMetric('queue_messages', 'default'), { values: [7000, 250_000], timestamp: 100 });
    assert.deepEqual(h.pipeline.getExternalMetric('queue_messages', 'default', { matchLabels: { queue: 'orders' } }), { values: [250_000], timestamp: 100 });
    const none = h.pipeline.getExternalMetric('queue_messages', 'prod');
    assert.ok(isMetricsError(none));
    assert.equal(none.error, 'no metrics returned from external metrics API');
  });
});
