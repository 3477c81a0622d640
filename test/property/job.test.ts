/**
 * For random Jobs (completions, parallelism, Indexed or not, backoffLimit or backoffLimitPerIndex,
 * restartPolicy) of images with random run times and failure probabilities: at no commit does a
 * Job have more than `parallelism` active pods (running or pending, not terminating) nor count more
 * than `completions` successes; and every Job finishes, Complete with all its completions or
 * Failed with a known reason, with every pod counted and no tracking finalizer left.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isPodActive } from '../../src/api/pod-util.js';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import type { Job } from '../../src/api/types/job.js';
import type { Pod } from '../../src/api/types/pod.js';
import { runScenario } from '../../src/sim/run.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { loadText } from '../helpers/scenarios.js';

const runs = Number(process.env.FC_RUNS ?? 100);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

const params = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  completions: fc.option(fc.integer({ min: 1, max: 8 }), { freq: 5 }),
  parallelism: fc.integer({ min: 1, max: 4 }),
  indexed: fc.boolean(),
  perIndex: fc.option(fc.integer({ min: 0, max: 2 })),
  backoffLimit: fc.integer({ min: 0, max: 4 }),
  onFailure: fc.boolean(),
  failPercent: fc.integer({ min: 0, max: 50 }),
  runMinS: fc.integer({ min: 1, max: 15 }),
  runSpreadS: fc.integer({ min: 0, max: 20 }),
  nodes: fc.integer({ min: 1, max: 3 }),
});

type Params = typeof params extends fc.Arbitrary<infer P> ? P : never;

function scenario(p: Params): string {
  // Indexed Jobs need completions; backoffLimitPerIndex needs Indexed and restartPolicy Never is
  // not required for it, but a podFailurePolicy would be.
  const indexed = p.indexed && p.completions !== null;
  const lines = [
    `  parallelism: ${p.parallelism}`,
    p.completions !== null ? `  completions: ${p.completions}` : '',
    indexed ? '  completionMode: Indexed' : '',
    indexed && p.perIndex !== null ? `  backoffLimitPerIndex: ${p.perIndex}` : `  backoffLimit: ${p.backoffLimit}`,
  ].filter((l) => l !== '');
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: job-property}
spec:
  seed: ${p.seed}
  duration: 2h
  sampleInterval: 10m
  cluster:
    nodePools:
      - {name: pool, count: ${p.nodes}, capacity: {cpu: "8", memory: 32Gi}}
  images:
    work:1: {pull: 1s, start: 1s, run: {uniform: {min: ${p.runMinS}s, max: ${p.runMinS + p.runSpreadS}s}}, fail: ${p.failPercent / 100}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: work}
spec:
${lines.join('\n')}
  template:
    spec:
      restartPolicy: ${p.onFailure ? 'OnFailure' : 'Never'}
      containers:
        - {name: worker, image: work:1, resources: {requests: {cpu: 100m}}}
`;
}

/** Checks the bounds at every commit, on the pods as stored (not on the Job's status). */
class JobBounds {
  readonly violations: string[] = [];
  private readonly active = new Set<string>();

  attach(cluster: SimCluster, parallelism: number, completions: number | undefined): void {
    cluster.api.observe((commit) => {
      const t = cluster.sim.now;
      if (commit.object.kind === 'Pod') {
        const pod = commit.object as DeepReadonly<Pod>;
        if (commit.type !== 'DELETED' && isPodActive(pod)) this.active.add(pod.metadata.name);
        else this.active.delete(pod.metadata.name);
        if (this.active.size > parallelism) this.violations.push(`t=${t}: ${this.active.size} active pods > parallelism ${parallelism}`);
      } else if (commit.object.kind === 'Job' && commit.type !== 'DELETED') {
        const succeeded = (commit.object as DeepReadonly<Job>).status?.succeeded ?? 0;
        if (completions !== undefined && succeeded > completions) this.violations.push(`t=${t}: ${succeeded} successes > completions ${completions}`);
      }
    });
  }
}

const FAILURE_REASONS = ['BackoffLimitExceeded', 'FailedIndexes'];

test('a Job never runs more than parallelism pods nor counts more than completions successes, and finishes', () => {
  fc.assert(
    fc.property(params, (p) => {
      const bounds = new JobBounds();
      let cluster: SimCluster | undefined;
      runScenario(loadText(scenario(p)), {
        instrument: (c) => {
          cluster = c;
          bounds.attach(c, p.parallelism, p.completions ?? undefined);
        },
      });
      assert.deepEqual(bounds.violations, []);
      const job = cluster?.api.get<Job>('Job', 'default', 'work');
      const finished = job?.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
      assert.ok(finished !== undefined, `the Job did not finish: ${JSON.stringify(job?.status)}`);
      if (finished.type === 'Complete') assert.ok((job?.status?.succeeded ?? 0) >= (p.completions ?? 1), `complete with ${job?.status?.succeeded} successes`);
      else assert.ok(FAILURE_REASONS.includes(finished.reason ?? ''), `failed with ${finished.reason}`);
      assert.deepEqual([job?.status?.active, job?.status?.terminating, job?.status?.uncountedTerminatedPods], [undefined, 0, {}]);
      const tracked = [...(cluster?.api.list<Pod>('Pod') ?? [])].filter((pod) => pod.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking'));
      assert.deepEqual(tracked.map((pod) => pod.metadata.name), [], 'every pod counted');
    }),
    { numRuns: runs, seed },
  );
});
