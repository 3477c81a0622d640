/**
 * Complements test/property/determinism.test.ts (in-memory renderers, rolling updates only):
 * the files writeOutputs puts on disk, for a run using every action, are byte-identical across runs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInfo } from '../../src/report/run-info.js';
import { writeOutputs } from '../../src/report/write-outputs.js';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';
import { tempDir } from './fixtures.js';

/** Seeded distributions everywhere, a crashing image, minReadySeconds, and every action but apply. */
const RICH = `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: rich}
spec:
  seed: 11
  duration: 4m
  sampleInterval: 5s
  cluster:
    nodePools:
      - {name: pool, count: 3, capacity: {cpu: "4", memory: 16Gi}}
  images:
    app:v1: {pull: {lognormal: {median: 2s, p99: 9s}}, start: 1s, ready: {uniform: {min: 1s, max: 4s}}, stop: 2s}
    app:v2: {pull: {exponential: {mean: 3s}}, start: 1s, ready: 2s, crash: {after: 30s}}
    app:v3: {pull: {normal: {mean: 3s, stddev: 1s}}, start: 1s, ready: 1s}
  events:
    - {at: 20s, setImage: {target: deployment/web, image: "app:v2"}}
    - {at: 50s, killPod: {target: deployment/web, count: 2}}
    - {at: 60s, rolloutUndo: {target: deployment/web}}
    - {at: 80s, drain: {node: pool-1}}
    - {at: 90s, addNodes: {pool: pool, count: 1, readyAfter: {uniform: {min: 5s, max: 20s}}}}
    - {at: 100s, patch: {target: deployment/web, merge: {spec: {replicas: 7}}}}
    - {at: 110s, rolloutPause: {target: deployment/web}}
    - {at: 115s, setImage: {target: deployment/web, image: "app:v3"}}
    - {at: 125s, rolloutResume: {target: deployment/web}}
    - {at: 140s, uncordon: {node: pool-1}}
    - {at: 150s, scale: {target: deployment/web, replicas: 3}}
    - {at: 170s, delete: {target: deployment/web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 5
  minReadySeconds: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: app:v1
          resources: {requests: {cpu: 500m}}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 3}
`;

const DETERMINISTIC = ['events.jsonl', 'timeline.csv', 'metrics.json'];

describe('outputs on disk are deterministic', () => {
  it('the same scenario object run twice, and a fresh load of the same file, write byte-identical files', () => {
    const scenario = loadText(RICH);
    const runs = [runScenario(scenario), runScenario(scenario), runScenario(loadText(RICH))];
    // Different wall times and memory: only run.json may differ.
    const folders = runs.map((result, i) => writeOutputs(tempDir(), result, runInfo(result, 1000 + i * 777, (50 + i) * 1024 * 1024)));
    for (const file of DETERMINISTIC) {
      const bytes = folders.map((folder) => readFileSync(join(folder, file)));
      assert.ok(bytes[0].length > 0, file);
      assert.ok(bytes[0].equals(bytes[1]), `${file} differs between two runs of one scenario object`);
      assert.ok(bytes[0].equals(bytes[2]), `${file} differs after loading the file again`);
    }
    const runJson = folders.map((folder) => readFileSync(join(folder, 'run.json'), 'utf8'));
    assert.notEqual(runJson[0], runJson[1], 'run.json carries the wall-clock figures');
  });

  it('the run exercised what it claims to: seeded kills, evictions, restarts, rollouts, node changes', () => {
    const result = runScenario(loadText(RICH));
    const types = new Set(result.eventLines.map((l) => (JSON.parse(l) as { type: string }).type));
    for (const type of ['PodKilled', 'PodEvicted', 'PodRestarted', 'RolloutSuperseded', 'RolloutComplete', 'NodeCordoned', 'NodeUncordoned', 'NodeTainted', 'DeploymentPaused', 'DeploymentDeleted']) {
      assert.ok(types.has(type), type);
    }
    assert.deepEqual(result.warnings, []);
  });
});
