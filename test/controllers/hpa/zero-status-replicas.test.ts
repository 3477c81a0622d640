/**
 * An External AverageValue metric read while the target's scale has no replicas in its status
 * yet (it was created just before the HPA's first sync): the proposal is upstream's
 * ceil(total / target), the reported value the total, and the run goes on — no division by zero
 * reaches the HPA's status or the timeline.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../../../src/sim/run.js';
import { loadText } from '../../helpers/scenarios.js';

const SCENARIO = `
apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: hpa-inf}
spec:
  seed: 1
  duration: 2m
  cluster:
    nodePools:
      - {name: pool-a, count: 2, capacity: {cpu: "8", memory: 32Gi}}
  images:
    web:v1: {pull: 1s, start: 1s, ready: 1s}
  events:
    - {at: 0s, setMetric: {external: queue, value: 500}}
    - at: 14999ms
      apply:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: web:v1}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 10
  metrics:
    - type: External
      external:
        metric: {name: queue}
        target: {type: AverageValue, averageValue: "100"}
`;

test('AverageValue with no status replicas: ceil(total / target) replicas, the total reported', () => {
  const r = runScenario(loadText(SCENARIO.trimStart()));
  const rescales = r.eventLines.filter((l) => l.includes('"type":"HPARescale"')).map((l) => JSON.parse(l) as { t: number; from: number; to: number });
  // 500 / 100 = 5 replicas, reached in two syncs (the scale-up limit without behavior: max(2 × 2, 4)).
  assert.deepEqual(rescales.map((e) => e.to), [4, 5]);
  const values = r.timeline.filter(([, kind, , , metric]) => kind === 'HorizontalPodAutoscaler' && metric === 'external/queue/averageValue').map((row) => row[5]);
  assert.ok(values.length > 0 && values.every((v) => Number.isFinite(v)), JSON.stringify(values.slice(0, 3)));
  // The first sync (no status replicas) reports the total, 500; later ones 500 / 5 = 100.
  assert.equal(values[0], 500);
  assert.equal(values.at(-1), 100);
});
