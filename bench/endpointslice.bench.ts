/**
 * The cost of Services: a rolling update of a 1,000-replica Deployment, run with and without a
 * Service selecting its pods (whose EndpointSlices then follow every pod transition: about a
 * thousand writes of 100-endpoint slices, each validated, watched and logged). Target: less than
 * twice the wall time — syncs recompute only the pods that changed, so what remains is the cost
 * of the slice writes themselves, as on a real API server.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/sim/run.js';
import { type BenchRow, timeOnce } from './harness.js';

const TARGET_RATIO = 2;
const REPLICAS = 1000;

function scenario(withService: boolean): string {
  const service = `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`;
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: bench-endpoints-${withService ? 'service' : 'bare'}}
spec:
  seed: 3
  duration: 20m
  sampleInterval: 1m
  cluster:
    nodePools:
      - {name: pool, count: 25, capacity: {cpu: "64", memory: 256Gi, pods: 110}}
  images:
    web:v1: {pull: 2s, start: 1s, ready: 5s}
    web:v2: {pull: 3s, start: 1s, ready: {uniform: {min: 4s, max: 12s}}}
  events:
    - at: 5m
      setImage: {target: deployment/web, image: web:v2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${REPLICAS}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:v1
          ports: [{name: http, containerPort: 8080}]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
          readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 2}
${withService ? service : ''}`;
}

export async function endpointSliceBench(): Promise<BenchRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'k8sim-bench-'));
  const files = [false, true].map((withService) => {
    const file = join(folder, `endpoints-${withService}.yaml`);
    writeFileSync(file, scenario(withService));
    return file;
  });
  // A warm-up run of each (module loading, JIT), then the best of five, alternating: each run
  // takes a fifth of a second or less, and a ratio of two such times moves by ±15 % on a shared
  // machine (the best of three read 1.39–1.84× for the same code).
  for (const file of files) runScenario(loadScenario(file));
  const best = [Infinity, Infinity];
  for (let round = 0; round < 5; round++) files.forEach((file, i) => (best[i] = Math.min(best[i], timeOnce(() => runScenario(loadScenario(file))).ms)));
  const [bare, service] = best;
  const ratio = service / bare;
  const label = `rolling update of ${REPLICAS.toLocaleString('en-US')} replicas`;
  return [
    { group: 'endpointslice', case: `${label} behind a Service: wall time`, value: service / 1000, unit: 's' },
    { group: 'endpointslice', case: `${label}: with a Service / without`, value: ratio, unit: '×', target: `< ${TARGET_RATIO}`, met: ratio < TARGET_RATIO },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await endpointSliceBench()) console.log(`${row.case}: ${row.value.toFixed(3)} ${row.unit}`);
}
