/**
 * A simulated week of a CronJob that runs every five minutes, whose Jobs run 20 seconds: 2,016 Jobs (and pods)
 * created, run, completed and cleaned up by the history limits, as a whole scenario run (load,
 * every controller, metrics). Target: under one second of wall time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/sim/run.js';
import { type BenchRow, timeOnce, timeRuns } from './harness.js';

const TARGET_MS = 1000;

export const WEEK_OF_CRONJOB = `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: bench-cronjob-week}
spec:
  seed: 1
  duration: 7d
  sampleInterval: 10m
  startTime: "2026-03-02T00:00:00Z"
  cluster:
    nodePools: [{name: pool, count: 3}]
  images:
    report:v1: {pull: 2s, start: 1s, run: 20s}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: report, image: "report:v1"}]
`;

export async function cronJobBench(): Promise<BenchRow[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'k8sim-bench-')), 'cronjob-week.yaml');
  writeFileSync(file, WEEK_OF_CRONJOB);
  // One warm-up run (module loading, JIT); then the first measured run, which still pays for
  // V8 re-optimising what the second cluster's objects deoptimised, and the median of five.
  runScenario(loadScenario(file));
  let runs = 0;
  const run = () => {
    runs = 0;
    return runScenario(loadScenario(file), { instrument: (cluster) => cluster.events.subscribe((e) => void (e.type === 'CronJobRun' && runs++)) });
  };
  const first = timeOnce(run);
  const { medianMs: ms, value: result } = timeRuns(5, run);
  if (runs < 2000) throw new Error(`bench-cronjob-week: only ${runs} runs`);
  const label = `a week of */5 CronJob, ${runs.toLocaleString('en-US')} Jobs`;
  return [
    { group: 'cronjob', case: `${label}: wall time, first run after warm-up`, value: first.ms / 1000, unit: 's' },
    { group: 'cronjob', case: `${label}: wall time, median of 5 runs`, value: ms / 1000, unit: 's', target: `< ${TARGET_MS / 1000}`, met: ms < TARGET_MS },
    { group: 'cronjob', case: `${label}: simulation events per second`, value: (result.steps * 1000) / ms, unit: 'events/s' },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await cronJobBench()) console.log(`${row.case}: ${row.value.toFixed(3)} ${row.unit}`);
}
