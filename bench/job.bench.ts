/**
 * A large Indexed Job: 10,000 completions, 500 at a time on 20 nodes, 5 % of runs failing and
 * retried per index, as a whole scenario run (load, every controller, kubelets, metrics). The Job
 * controller syncs about once a second over its ~500 live pods only, never over the thousands
 * already counted. Target: under 10 seconds of wall time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/sim/run.js';
import { type BenchRow, timeOnce } from './harness.js';

const TARGET_MS = 10_000;

export const LARGE_INDEXED_JOB = `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: bench-large-indexed-job}
spec:
  seed: 1
  duration: 1h
  sampleInterval: 1m
  cluster:
    nodePools: [{name: pool, count: 20, capacity: {cpu: "32", memory: 128Gi, pods: 110}}]
  images:
    shard:v1: {pull: 2s, start: 1s, run: {uniform: {min: 20s, max: 40s}}, fail: 0.05}
---
apiVersion: batch/v1
kind: Job
metadata: {name: shards}
spec:
  completions: 10000
  parallelism: 500
  completionMode: Indexed
  backoffLimitPerIndex: 3
  template:
    spec:
      restartPolicy: Never
      containers: [{name: shard, image: "shard:v1", resources: {requests: {cpu: 100m}}}]
`;

export async function jobBench(): Promise<BenchRow[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'k8sim-bench-')), 'large-indexed-job.yaml');
  writeFileSync(file, LARGE_INDEXED_JOB);
  let pods = 0;
  const { ms, value: result } = timeOnce(() =>
    runScenario(loadScenario(file), { instrument: (cluster) => cluster.events.subscribe((e) => void (e.type === 'PodCreated' && pods++)) }),
  );
  if (!result.eventLines.some((line) => line.includes('"type":"JobComplete"'))) throw new Error('bench-large-indexed-job: the Job did not complete');
  const label = `Indexed Job of 10,000 completions, parallelism 500, ${pods.toLocaleString('en-US')} pods`;
  return [
    { group: 'job', case: `${label}: wall time`, value: ms / 1000, unit: 's', target: `< ${TARGET_MS / 1000}`, met: ms < TARGET_MS },
    { group: 'job', case: `${label}: simulation events per second`, value: (result.steps * 1000) / ms, unit: 'events/s' },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await jobBench()) console.log(`${row.case}: ${row.value.toFixed(3)} ${row.unit}`);
}
