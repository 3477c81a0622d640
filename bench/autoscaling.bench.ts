/**
 * Issue 4's speed target: a 24-hour diurnal load on a 50-node cluster with 20 autoscaled
 * Deployments, as a whole scenario run (load, traffic, metrics pipeline, HPA controller, every
 * other controller, kubelets, metrics). Each Deployment sits behind a Service whose rate follows
 * a day-long sine with Poisson noise (a new draw every 5 s), and a CPU-utilization HPA scales it
 * between 2 and 30 replicas — 115,200 HPA syncs and ~350,000 rate changes in the day.
 * Target: under 5 seconds of wall time.
 * Run alone: `node --import tsx bench/autoscaling.bench.ts`, or `node --import tsx bench/run.ts autoscaling`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/sim/run.js';
import { type BenchRow, timeOnce } from './harness.js';

const TARGET_MS = 5000;

export interface DiurnalShape {
  readonly name: string;
  readonly nodes: number;
  readonly deployments: number;
  /** Virtual duration, hours. */
  readonly hours: number;
}

export const DIURNAL_DAY: DiurnalShape = { name: 'bench-diurnal-autoscaling', nodes: 50, deployments: 20, hours: 24 };

/**
 * The scenario: Service i peaks i hours after Service 0, with a mean of 400 + 20·i rps and an
 * amplitude of 300 + 10·i; each pod costs 20m + 2m per rps and serves at most 300 rps, and
 * requests 500m, so the HPA's 60 % target is met at ~140 rps per pod.
 */
export function diurnalScenario(shape: DiurnalShape): string {
  const traffic: string[] = [];
  const manifests: string[] = [];
  for (let i = 0; i < shape.deployments; i++) {
    traffic.push(`    - service: svc${i}
      rate: {sine: {mean: ${400 + 20 * i}, amplitude: ${300 + 10 * i}, period: 24h, phase: ${i % 24}h}}
      noise: poisson
      cost: {cpu: 2m}
      base: {cpu: 20m, memory: 100Mi}
      capacity: {rps: 300}`);
    manifests.push(`---
apiVersion: apps/v1
kind: Deployment
metadata: {name: svc${i}}
spec:
  replicas: 3
  selector: {matchLabels: {app: svc${i}}}
  template:
    metadata: {labels: {app: svc${i}}}
    spec:
      containers:
        - name: app
          image: app:v1
          resources: {requests: {cpu: 500m, memory: 256Mi}}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
---
apiVersion: v1
kind: Service
metadata: {name: svc${i}}
spec:
  selector: {app: svc${i}}
  ports: [{port: 80}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: svc${i}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: svc${i}}
  minReplicas: 2
  maxReplicas: 30
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}`);
  }
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: ${shape.name}}
spec:
  seed: 1
  duration: ${shape.hours}h
  sampleInterval: 1m
  cluster:
    nodePools:
      - {name: pool, count: ${shape.nodes}, capacity: {cpu: "16", memory: 64Gi}}
  images:
    app:v1: {pull: 5s, start: 2s, ready: 5s}
  traffic:
${traffic.join('\n')}
${manifests.join('\n')}
`;
}

export async function autoscalingBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'k8sim-bench-'));
  const write = (shape: DiurnalShape) => {
    const file = join(dir, `${shape.name}.yaml`);
    writeFileSync(file, diurnalScenario(shape));
    return file;
  };
  // Warm-up (module loading, JIT) on one simulated hour of the same cluster: the same code
  // paths at a twenty-fourth of the cost of a second full run.
  runScenario(loadScenario(write({ ...DIURNAL_DAY, name: `${DIURNAL_DAY.name}-warmup`, hours: 1 })));
  const file = write(DIURNAL_DAY);
  const { ms, value: result } = timeOnce(() => runScenario(loadScenario(file)));
  // The run must actually autoscale, or the figure measures nothing.
  const idle = result.autoscalers.filter((a) => a.rescales === 0);
  if (result.autoscalers.length !== DIURNAL_DAY.deployments || idle.length > 0) throw new Error(`${DIURNAL_DAY.name}: ${idle.length} of ${result.autoscalers.length} HPAs never rescaled`);
  const rescales = result.autoscalers.reduce((sum, a) => sum + a.rescales, 0);
  const label = `24 h diurnal load, ${DIURNAL_DAY.nodes} nodes, ${DIURNAL_DAY.deployments} HPAs (${rescales.toLocaleString('en-US')} rescales)`;
  return [
    { group: 'autoscaling', case: `${label}: wall time`, value: ms / 1000, unit: 's', target: `< ${TARGET_MS / 1000}`, met: ms < TARGET_MS },
    { group: 'autoscaling', case: `${label}: simulation events per second`, value: (result.steps * 1000) / ms, unit: 'events/s' },
    { group: 'autoscaling', case: `${label}: virtual seconds per wall second`, value: result.virtualMs / ms, unit: '×' },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await autoscalingBench()) console.log(`${row.case}: ${row.value.toFixed(3)} ${row.unit}${row.target === undefined ? '' : ` (target ${row.target}: ${row.met ? 'met' : 'not met'})`}`);
}
