/**
 * A large Parallel StatefulSet: 1,000 replicas, each with its own PersistentVolumeClaim, created
 * at once and then rolled to a new image 10 % at a time, as a whole scenario run (load, every
 * controller, kubelets, metrics). Upstream's sync looks at every pod of the set, and a set this
 * size syncs thousands of times (every pod transition wakes it), so what each sync spends per
 * unchanged pod decides the run.
 * Run alone: `node --import tsx bench/statefulset.bench.ts`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ControllerRunner } from '../src/controllers/runner.js';
import { loadScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/sim/run.js';
import { type BenchRow, timeOnce } from './harness.js';

const TARGET_MS = 3000;

export const PARALLEL_STATEFULSET = `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: bench-statefulset-parallel}
spec:
  seed: 1
  duration: 15m
  sampleInterval: 30s
  cluster:
    nodePools: [{name: pool, count: 20, capacity: {cpu: "64", memory: 256Gi, pods: 110}}]
  images:
    db:v1: {pull: 2s, start: 1s, ready: {uniform: {min: 2s, max: 6s}}}
    db:v2: {pull: 2s, start: 1s, ready: {uniform: {min: 2s, max: 6s}}}
  events:
    - at: 5m
      setImage: {target: statefulset/db, image: db:v2}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 1000
  podManagementPolicy: Parallel
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%}}
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: db:v1
          resources: {requests: {cpu: 50m, memory: 64Mi}}
          readinessProbe: {tcpSocket: {port: 5432}, periodSeconds: 5}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
`;

export async function statefulSetBench(): Promise<BenchRow[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'k8sim-bench-')), 'statefulset-parallel.yaml');
  writeFileSync(file, PARALLEL_STATEFULSET);
  let runner: ControllerRunner | undefined;
  const { ms, value: result } = timeOnce(() =>
    runScenario(loadScenario(file), { instrument: (cluster) => void (runner = cluster.controllers.find((r) => r.controller.name === 'statefulset')) }),
  );
  const syncs = runner?.reconcileCount ?? 0;
  if (!result.rollouts.some((r) => r.target === 'StatefulSet/db' && r.outcome === 'complete')) throw new Error('bench-statefulset-parallel: the rollout did not complete');
  const label = 'Parallel StatefulSet of 1,000 replicas with claims, created then rolled 10 % at a time';
  return [
    { group: 'statefulset', case: `${label}: wall time`, value: ms / 1000, unit: 's', target: `< ${TARGET_MS / 1000}`, met: ms < TARGET_MS },
    { group: 'statefulset', case: `${label}: StatefulSet syncs`, value: syncs, unit: 'syncs' },
    { group: 'statefulset', case: `${label}: simulation events per second`, value: (result.steps * 1000) / ms, unit: 'events/s' },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await statefulSetBench()) console.log(`${row.case}: ${row.value.toFixed(3)} ${row.unit}`);
}
