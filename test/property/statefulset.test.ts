/**
 * For random replica counts, readiness timings, minReadySeconds, scale-ups and scale-downs and a
 * rolling update (partition, maxUnavailable), an OrderedReady StatefulSet never creates ordinal
 * i+1 before every lower ordinal is Running, Ready (for minReadySeconds) and not terminating — and
 * it ends with exactly its replicas, all ready, the ordinals from the partition up at the update
 * revision and those below at the current one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { WatchEvent } from '../../src/cluster/api-server.js';
import { getControllerOf, isPodAvailable } from '../../src/api/pod-util.js';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import type { Pod } from '../../src/api/types/pod.js';
import type { StatefulSet } from '../../src/api/types/statefulset.js';
import { getOrdinal } from '../../src/controllers/statefulset/identity.js';
import { isRunningAndReady } from '../../src/controllers/statefulset/pod-state.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

const runs = Number(process.env.FC_RUNS ?? 30);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

interface Params {
  readonly seed: number;
  readonly replicas: number;
  readonly minReadySeconds: number;
  readonly readyMs: number;
  readonly readyJitterMs: number;
  readonly stopMs: number;
  readonly maxUnavailable: number;
  readonly partition: number;
  readonly updateAtSec: number;
  readonly scales: readonly { readonly atSec: number; readonly replicas: number }[];
}

const params: fc.Arbitrary<Params> = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  replicas: fc.integer({ min: 1, max: 6 }),
  minReadySeconds: fc.integer({ min: 0, max: 3 }),
  readyMs: fc.integer({ min: 0, max: 8_000 }),
  readyJitterMs: fc.integer({ min: 0, max: 8_000 }),
  stopMs: fc.integer({ min: 0, max: 5_000 }),
  maxUnavailable: fc.integer({ min: 1, max: 3 }),
  partition: fc.integer({ min: 0, max: 2 }),
  updateAtSec: fc.integer({ min: 20, max: 400 }),
  scales: fc.array(fc.record({ atSec: fc.integer({ min: 10, max: 500 }), replicas: fc.integer({ min: 0, max: 7 }) }), { maxLength: 3 }),
});

function scenario(p: Params): string {
  const events = [
    ...p.scales.map((s) => ({ at: s.atSec, text: `patch: {target: statefulset/app, merge: {spec: {replicas: ${s.replicas}}}}` })),
    { at: p.updateAtSec, text: 'patch: {target: statefulset/app, merge: {spec: {template: {spec: {containers: [{name: app, image: "app:v2", resources: {requests: {cpu: 100m}}, readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}}]}}}}}' },
  ].sort((a, b) => a.at - b.at);
  const image = (tag: string) => `app:${tag}: {pull: 1s, start: 1s, ready: {uniform: {min: ${p.readyMs}ms, max: ${p.readyMs + p.readyJitterMs}ms}}, stop: ${p.stopMs}ms}`;
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: statefulset-property}
spec:
  seed: ${p.seed}
  duration: 30m
  sampleInterval: 1m
  cluster:
    nodePools:
      - {name: pool, count: 2, capacity: {cpu: "16", memory: 64Gi, pods: 110}}
  images:
    ${image('v1')}
    ${image('v2')}
  events:
${events.map((e) => `    - at: ${e.at}s\n      ${e.text}`).join('\n')}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: app}
spec:
  replicas: ${p.replicas}
  minReadySeconds: ${p.minReadySeconds}
  serviceName: app
  updateStrategy:
    rollingUpdate: {partition: ${p.partition}, maxUnavailable: ${p.maxUnavailable}}
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: app:v1
          resources: {requests: {cpu: 100m}}
          readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;
}

/** Checks, at every pod creation, that all lower ordinals are ready, available and not terminating. */
function attachOrderChecker(cluster: SimCluster, minReadySeconds: number, violations: string[]): void {
  cluster.api.observe((commit: WatchEvent) => {
    if (commit.type !== 'ADDED' || commit.object.kind !== 'Pod') return;
    const pod = commit.object as DeepReadonly<Pod>;
    if (getControllerOf(pod.metadata)?.kind !== 'StatefulSet') return;
    const now = cluster.sim.now;
    for (let j = 0; j < getOrdinal(pod); j++) {
      const lower = cluster.api.get<Pod>('Pod', 'default', `app-${j}`);
      const ok = lower !== undefined && isRunningAndReady(lower) && lower.metadata.deletionTimestamp === undefined && isPodAvailable(lower, minReadySeconds, now);
      if (!ok) violations.push(`t=${now / 1000}s: ${pod.metadata.name} created while app-${j} is ${lower === undefined ? 'missing' : `${lower.status?.phase}, terminating ${lower.metadata.deletionTimestamp !== undefined}`}`);
    }
  });
}

test('OrderedReady never creates ordinal i+1 before ordinal i is ready, and converges', () => {
  fc.assert(
    fc.property(params, (p) => {
      const violations: string[] = [];
      let cluster: SimCluster | undefined;
      runScenario(loadText(scenario(p)), {
        instrument: (c) => {
          cluster = c;
          attachOrderChecker(c, p.minReadySeconds, violations);
        },
      });
      assert.deepEqual(violations, []);
      const api = cluster!.api;
      const set = api.get<StatefulSet>('StatefulSet', 'default', 'app')!;
      const replicas = set.spec.replicas ?? 1;
      const pods = [...api.list<Pod>('Pod')].sort((a, b) => getOrdinal(a) - getOrdinal(b));
      assert.deepEqual(pods.map((pod) => pod.metadata.name), Array.from({ length: replicas }, (_, i) => `app-${i}`));
      for (const pod of pods) {
        assert.ok(isRunningAndReady(pod), `${pod.metadata.name} is not ready at the end`);
        // Below the partition the current revision (which a set scaled to 0 completes at once).
        const wanted = getOrdinal(pod) >= p.partition ? set.status?.updateRevision : set.status?.currentRevision;
        assert.equal(pod.metadata.labels?.['controller-revision-hash'], wanted, `${pod.metadata.name} with partition ${p.partition}`);
      }
      assert.equal(set.status?.readyReplicas ?? 0, replicas);
    }),
    { numRuns: runs, seed },
  );
});
