/**
 * CronJobs in whole scenario runs, with the real Job controller, kubelets, scheduler and garbage
 * collector: Jobs and pods on schedule, Forbid holding while a long Job runs, history cleanup
 * deleting old Jobs with their pods, and byte-identical outputs for the same seed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from '../../../src/api/types/job.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import { runScenario } from '../../../src/sim/run.js';
import { loadText } from '../../helpers/scenarios.js';

function scenario(options: { policy: string; run: string; duration: string; seed?: number; extra?: string }): string {
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: cronjob-e2e}
spec:
  seed: ${options.seed ?? 3}
  duration: ${options.duration}
  sampleInterval: 1m
  startTime: "2026-06-01T08:00:00Z"
  cluster:
    nodePools: [{name: pool, count: 2}]
  images:
    task:v1: {pull: 3s, start: 1s, run: ${options.run}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: task}
spec:
  schedule: "*/10 * * * *"
  concurrencyPolicy: ${options.policy}
  successfulJobsHistoryLimit: 2
${options.extra ?? ''}  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: task, image: "task:v1"}]
`;
}

const types = (lines: readonly string[], type: string) => lines.filter((l) => l.includes(`"type":"${type}"`)).map((l) => JSON.parse(l));

describe('CronJob end to end', () => {
  it('runs a Job with a pod every 10 minutes and keeps two finished Jobs', () => {
    const result = runScenario(loadText(scenario({ policy: 'Allow', run: '30s', duration: '65m' })), { freezeObjects: true });
    const runs = types(result.eventLines, 'CronJobRun');
    assert.deepEqual(runs.map((e) => e.t), [600.1, 1200.1, 1800.1, 2400.1, 3000.1, 3600.1]);
    assert.equal(types(result.eventLines, 'JobComplete').length, 6);
    // Six Jobs finished; the history limit keeps the newest two, deleting the others' pods too.
    assert.equal(types(result.eventLines, 'JobDeleted').length, 4);
    assert.equal(types(result.eventLines, 'PodDeleted').length, 4);
    assert.equal(result.eventLines.filter((l) => /ReconcileError|ReconcileDropped/.test(l)).length, 0);
  });

  it('Forbid never has two Jobs running, and skips the times a long Job covers', () => {
    let most = 0;
    const result = runScenario(loadText(scenario({ policy: 'Forbid', run: '25m', duration: '2h', extra: '  startingDeadlineSeconds: 60\n' })), {
      freezeObjects: true,
      instrument: (cluster) => {
        const running = new Set<string>();
        cluster.api.observe((commit) => {
          if (commit.object.kind !== 'Job') return;
          const job = commit.object as DeepReadonly<Job>;
          const done = (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
          if (commit.type === 'DELETED' || done) running.delete(job.metadata.name);
          else running.add(job.metadata.name);
          most = Math.max(most, running.size);
        });
      },
    });
    assert.equal(most, 1);
    // Each 25-minute Job covers the next two 10-minute marks: runs at :10, :40, :10 …
    assert.deepEqual(types(result.eventLines, 'CronJobRun').map((e) => e.scheduledTime), ['2026-06-01T08:10:00Z', '2026-06-01T08:40:00Z', '2026-06-01T09:10:00Z', '2026-06-01T09:40:00Z']);
    const skipped = types(result.eventLines, 'CronJobSkipped');
    assert.deepEqual(skipped.map((e) => e.scheduledTime.slice(11, 16)), ['08:20', '08:30', '08:50', '09:00', '09:20', '09:30', '09:50']);
    assert.ok(skipped.every((e) => e.reason === 'Forbid'));
  });

  it('is deterministic: the same seed gives byte-identical events and timeline', () => {
    const text = scenario({ policy: 'Replace', run: '15m', duration: '1h' });
    const a = runScenario(loadText(text));
    const b = runScenario(loadText(text));
    assert.deepEqual(a.eventLines, b.eventLines);
    assert.deepEqual(a.timeline, b.timeline);
    assert.ok(types(a.eventLines, 'CronJobRun').some((e) => e.replaced !== undefined), 'Replace deleted a running Job');
  });
});
