/**
 * Properties of the traffic over random scenarios (fast-check; FC_RUNS and FC_SEED replay):
 * - with a constant rate, no capacity limit and nothing disturbing the pods, every request
 *   offered is served, whatever the replicas, rate, noise and seed;
 * - through rollouts, scale changes and killed pods, requests only ever go where kube-proxy's
 *   rules send them — the endpoints ready in the Service's EndpointSlices, or, when none is
 *   ready, the serving terminating ones (computed here from the slices, independently of the
 *   model) — and served + failed = offered.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { EndpointSlice } from '../../src/api/types/endpoint-slice.js';
import { Priority } from '../../src/engine/priorities.js';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

const runs = Number(process.env.FC_RUNS ?? 12);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

interface Params {
  readonly seed: number;
  readonly replicas: number;
  readonly rps: number;
  readonly noise: boolean;
  readonly events: readonly string[];
  readonly minSyncPeriod: string;
  readonly capacity?: number;
}

function scenarioText(p: Params): string {
  const events = p.events.length === 0 ? '' : `  events:\n${p.events.map((e) => `    - ${e}\n`).join('')}`;
  const capacity = p.capacity !== undefined ? `, capacity: {rps: ${p.capacity}}` : '';
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: traffic-property}
spec:
  seed: ${p.seed}
  duration: 4m
  sampleInterval: 30s
  cluster:
    nodePools: [{name: pool, count: 3, capacity: {cpu: "32", memory: 64Gi}}]
    settings: {kubeProxy: {minSyncPeriod: ${p.minSyncPeriod}}}
  images:
    "*": {pull: {uniform: {min: 1s, max: 4s}}, start: 1s, ready: {uniform: {min: 1s, max: 6s}}, stop: {uniform: {min: 0s, max: 3s}}}
  traffic:
    - {service: web, rate: ${p.rps}, noise: ${p.noise ? 'poisson' : 'none'}, cost: {cpu: 1m}${capacity}}
${events}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${p.replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:v1", resources: {requests: {cpu: 100m}}, readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;
}

test('with a constant rate and no capacity limit, served = offered over the run', () => {
  fc.assert(
    fc.property(
      fc.record({ seed: fc.integer({ min: 0, max: 1_000_000 }), replicas: fc.integer({ min: 1, max: 6 }), rps: fc.integer({ min: 1, max: 5000 }), noise: fc.boolean(), minSyncPeriod: fc.constantFrom('0s', '1s') }),
      (p) => {
        const result = runScenario(loadText(scenarioText({ ...p, events: [] })));
        const [requests] = result.requests;
        assert.ok(requests.offered > 0, 'traffic ran');
        assert.equal(requests.failed, 0);
        assert.equal(requests.served, requests.offered);
        assert.equal(requests.successRate, 1);
      },
    ),
    { numRuns: runs, seed },
  );
});

const eventArb = fc.oneof(
  fc.integer({ min: 20, max: 200 }).map((at) => `{at: ${at}s, setImage: {target: deployment/web, image: "web:v${at}"}}`),
  fc.tuple(fc.integer({ min: 20, max: 200 }), fc.integer({ min: 0, max: 6 })).map(([at, n]) => `{at: ${at}s, scale: {target: deployment/web, replicas: ${n}}}`),
  fc.integer({ min: 20, max: 200 }).map((at) => `{at: ${at}s, killPod: {target: deployment/web}}`),
  fc.integer({ min: 20, max: 200 }).map((at) => `{at: ${at}s, delete: {kind: pod, selector: "app=web"}}`),
);

test('requests go only to the endpoints kube-proxy routes to, and served + failed = offered', () => {
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.integer({ min: 0, max: 1_000_000 }),
        replicas: fc.integer({ min: 1, max: 5 }),
        rps: fc.integer({ min: 1, max: 2000 }),
        noise: fc.boolean(),
        events: fc.array(eventArb, { maxLength: 4 }),
        capacity: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
      }),
      (p) => {
        let checks = 0;
        const result = runScenario(loadText(scenarioText({ ...p, minSyncPeriod: '0s' })), {
          instrument: (cluster) => {
            const slices = cluster.informers.forKind<EndpointSlice>('EndpointSlice');
            // After everything else of each instant (with minSyncPeriod 0 the proxy has synced):
            // the pods requests go to are exactly what CategorizeEndpoints makes of the slices.
            const check = () => {
              const service = cluster.traffic.service('default', 'web');
              if (service !== undefined && cluster.api.get('Service', 'default', 'web') !== undefined) {
                const endpoints = [...slices.list()].filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web').flatMap((s) => s.endpoints);
                const ready = new Set(endpoints.filter((e) => e.conditions?.ready !== false).map((e) => `default/${e.targetRef?.name}`));
                const fallback = new Set(endpoints.filter((e) => e.conditions?.serving !== false && e.conditions?.terminating === true).map((e) => `default/${e.targetRef?.name}`));
                const expected = ready.size > 0 ? ready : fallback;
                assert.deepEqual([...service.routedKeys].sort(), [...expected].sort(), `t=${cluster.sim.now}`);
                const totals = service.totals();
                assert.ok(totals.served <= totals.offered + 1e-6, `served ${totals.served} > offered ${totals.offered}`);
                checks++;
              }
              if (cluster.sim.now < 240_000) cluster.sim.schedule(250, check, Priority.Sample);
            };
            cluster.sim.scheduleAt(0, check, Priority.Sample);
          },
        });
        assert.ok(checks > 900, `${checks} checks`);
        const [requests] = result.requests;
        assert.equal(requests.served + requests.failed, requests.offered);
      },
    ),
    { numRuns: runs, seed },
  );
});
