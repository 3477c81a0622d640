/**
 * Convergence of the new kinds (convergence.ts with workload-state.ts): StatefulSets, DaemonSets
 * after nodes join, Jobs until they finish, CronJobs while a run is due — by hand, then in runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CronJob, CronJobStatus } from '../../src/api/types/cronjob.js';
import type { DaemonSet } from '../../src/api/types/daemonset.js';
import type { Job, JobStatus } from '../../src/api/types/job.js';
import type { DeepReadonly, KubeObject } from '../../src/api/types/meta.js';
import type { StatefulSet } from '../../src/api/types/statefulset.js';
import type { ConvergenceRecord } from '../../src/metrics/convergence.js';
import { type RunResult, runScenario } from '../../src/sim/run.js';
import { controllerRef, editable, newNode, newPod } from '../helpers/engine-fixtures.js';
import { loadText } from '../helpers/scenarios.js';
import { type MetricsHarness, metricsHarness } from './harness.js';
import { scenarioHeader } from '../helpers/scenario-header.js';
import { jobYaml } from '../helpers/workload-manifests.js';

const TEMPLATE = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } };

function writers(h: MetricsHarness) {
  const { api } = h;
  const status = <T extends KubeObject & { status?: unknown }>(kind: string, name: string, make: (obj: T) => T['status']) => {
    const obj = editable<T>(api.get(kind, 'default', name));
    obj.status = make(obj);
    api.updateStatus(obj);
  };
  return {
    pod(name: string, owner: DeepReadonly<KubeObject>): void {
      api.create(newPod(name, { ownerReferences: [controllerRef(owner as KubeObject)] }));
    },
    statefulSet: (name: string, replicas: number) => api.create<StatefulSet>({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: 'x' } }, template: TEMPLATE } }),
    stsStatus: (name: string, ready: number) => status<StatefulSet>('StatefulSet', name, (s) => ({
      observedGeneration: s.metadata.generation, replicas: ready, readyReplicas: ready, availableReplicas: ready, updatedReplicas: ready, currentRevision: 'r1', updateRevision: 'r1',
    })),
    daemonSet: (name: string) => api.create<DaemonSet>({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app: 'x' } }, template: TEMPLATE } }),
    dsStatus: (name: string, desired: number, available = desired) => status<DaemonSet>('DaemonSet', name, (d) => ({
      observedGeneration: d.metadata.generation, desiredNumberScheduled: desired, currentNumberScheduled: desired, numberMisscheduled: 0, numberReady: available, numberAvailable: available, updatedNumberScheduled: desired,
    })),
    job: (name: string, suspend?: boolean) => api.create<Job>({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { template: TEMPLATE, ...(suspend !== undefined ? { suspend } : {}) } }),
    jobStatus: (name: string, s: JobStatus) => status<Job>('Job', name, () => s),
    cronJob: (name: string, spec: Partial<CronJob['spec']> = {}) => api.create<CronJob>({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: TEMPLATE } }, ...spec },
    }),
    cronJobStatus: (name: string, s: CronJobStatus) => status<CronJob>('CronJob', name, () => s),
    labelCronJob: (name: string, value: string) => {
      const cj = editable<CronJob>(api.get('CronJob', 'default', name));
      cj.metadata.labels = { touched: value };
      api.update(cj);
    },
  };
}

const at = (records: readonly ConvergenceRecord[]) => records.map((r) => [r.trigger, r.at, r.convergedAt]);

describe('convergence of StatefulSets, DaemonSets, Jobs and CronJobs (by hand)', () => {
  it('a StatefulSet converges when its pods are available and its status caught up', () => {
    const h = metricsHarness();
    const w = writers(h);
    h.at(0, () => { const s = w.statefulSet('db', 2); w.pod('db-0', s); w.pod('db-1', s); h.convergence.trigger('initial'); });
    h.at(3000, () => { h.ready('db-0'); h.ready('db-1'); });
    h.at(4000, () => w.stsStatus('db', 2));
    h.run(10_000);
    assert.deepEqual(at(h.convergence.finish()), [['initial', 0, 4]]);
  });

  it('a DaemonSet is not converged right after a node joins, until the status counts it and its pod there is available', () => {
    const h = metricsHarness();
    const w = writers(h);
    h.at(0, () => {
      h.api.create(newNode('n-0'));
      const ds = w.daemonSet('agent');
      w.pod('agent-a', ds);
      h.ready('agent-a');
      w.dsStatus('agent', 1);
      h.convergence.trigger('initial');
    });
    h.at(10_000, () => { h.api.create(newNode('n-1')); h.convergence.trigger('addNodes pool'); });
    h.at(10_005, () => w.pod('agent-b', h.api.get('DaemonSet', 'default', 'agent')!));
    h.at(10_010, () => w.dsStatus('agent', 2, 1)); // counted, not yet available
    h.at(13_000, () => h.ready('agent-b'));
    h.at(13_005, () => w.dsStatus('agent', 2));
    h.run(20_000);
    assert.deepEqual(at(h.convergence.finish()), [['initial', 0, 0], ['addNodes pool', 10, 13.005]]);
  });

  it('a node that the DaemonSet does not want (tainted) changes nothing', () => {
    const h = metricsHarness();
    const w = writers(h);
    h.at(0, () => { h.api.create(newNode('n-0')); w.daemonSet('agent'); w.dsStatus('agent', 1); h.convergence.trigger('initial'); });
    h.at(10_000, () => {
      const n = newNode('n-1');
      n.spec.taints = [{ key: 'dedicated', effect: 'NoSchedule' }];
      h.api.create(n);
      h.convergence.trigger('addNodes tainted');
    });
    h.run(20_000);
    assert.deepEqual(at(h.convergence.finish()), [['initial', 0, 0], ['addNodes tainted', 10, 10]]);
  });

  it('a Job converges when it finishes, Complete or Failed; until then it holds convergence back', () => {
    const h = metricsHarness();
    const w = writers(h);
    h.at(0, () => { w.job('ok'); w.job('bad'); h.convergence.trigger('initial'); });
    h.at(5000, () => w.jobStatus('ok', { active: 1 }));
    h.at(20_000, () => w.jobStatus('ok', { succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: 20_000 }] }));
    h.at(30_000, () => w.jobStatus('bad', { failed: 7, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', lastTransitionTime: 30_000 }] }));
    h.run(40_000);
    assert.deepEqual(at(h.convergence.finish()), [['initial', 0, 30]]);
  });

  it('a suspended Job with no pods is settled; a Job that never finishes is named in the reason', () => {
    const h = metricsHarness();
    const w = writers(h);
    h.at(0, () => { w.job('paused', true); h.convergence.trigger('initial'); });
    h.at(5000, () => { w.job('forever'); h.convergence.trigger('apply job/forever'); });
    h.at(6000, () => w.jobStatus('forever', { active: 1 }));
    h.run(10_000);
    const [initial, apply] = h.convergence.finish();
    assert.deepEqual([initial.convergedAt, apply.convergedAt], [0, null]);
    assert.equal(apply.reason, 'not converged by the end of the run: job/forever: running (1 active, 0 succeeded, 0 failed)');
  });

  it('a CronJob with a due run (not yet made) is not converged; the run recorded in its status settles it', () => {
    const h = metricsHarness();
    const w = writers(h);
    h.at(0, () => { w.cronJob('tick'); h.convergence.trigger('initial'); });
    h.at(90_000, () => { w.labelCronJob('tick', 'yes'); h.convergence.trigger('patch cronjob/tick'); }); // 00:01:00 is due
    h.at(95_000, () => w.cronJobStatus('tick', { lastScheduleTime: 60_000 }));
    h.run(100_000);
    const records = h.convergence.finish();
    assert.deepEqual(at(records), [['initial', 0, 0], ['patch cronjob/tick', 90, 95]]);
  });

  it('a CronJob whose due run has its Job active, or that is suspended, or Forbid with a Job running, is not behind', () => {
    const h = metricsHarness();
    const w = writers(h);
    h.at(0, () => {
      w.cronJob('active');
      w.cronJob('paused', { suspend: true });
      w.cronJob('forbid', { concurrencyPolicy: 'Forbid' });
      h.convergence.trigger('initial');
    });
    h.at(90_000, () => {
      w.cronJobStatus('active', { active: [{ kind: 'Job', name: 'active-1', namespace: 'default', uid: 'u1' }] });
      w.labelCronJob('paused', 'yes');
      w.cronJobStatus('forbid', { lastScheduleTime: 0, active: [{ kind: 'Job', name: 'forbid-0', namespace: 'default', uid: 'u2' }] });
      h.convergence.trigger('check');
    });
    h.run(100_000);
    assert.deepEqual(at(h.convergence.finish()), [['initial', 0, 0], ['check', 90, 90]]);
  });

  it('a due run is named in the reason when it is never made', () => {
    const h = metricsHarness();
    const w = writers(h);
    h.at(0, () => w.cronJob('tick'));
    h.at(61_000, () => { w.labelCronJob('tick', 'x'); h.convergence.trigger('patch cronjob/tick'); });
    h.run(70_000);
    const [r] = h.convergence.finish();
    assert.equal(r.convergedAt, null);
    assert.equal(r.reason, 'not converged by the end of the run: cronjob/tick: a run scheduled for 1970-01-01T00:01:00.000Z is due');
  });

  it(
    'a run that became due with time alone (no write to the CronJob) still holds convergence back',
    () => {
      const h = metricsHarness();
      const w = writers(h);
      h.at(0, () => { w.cronJob('tick'); h.convergence.trigger('initial'); });
      h.at(90_000, () => h.convergence.trigger('later')); // 00:01:00 is due and nothing made it
      h.run(100_000);
      const records = h.convergence.finish();
      assert.equal(records[1].convergedAt, null, JSON.stringify(records[1]));
    },
  );
});

describe('convergence of the new kinds in runs', () => {
  const events = (r: RunResult) => r.eventLines.map((l) => JSON.parse(l) as { t: number; type: string; name: string; node?: string; owner?: string });

  it('addNodes: a DaemonSet converges only once the new node\'s daemon pod is available', () => {
    const r = runScenario(loadText(`${scenarioHeader({ name: 'ds-converge', duration: '2m', nodes: 2, images: { 'agent:v1': '{pull: 4s, start: 1s, ready: 2s}' }, events: ['{at: 30s, addNodes: {pool: pool, count: 1}}'] })}apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - name: a
          image: agent:v1
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
`));
    const ready = events(r).filter((e) => e.type === 'PodReady' && e.node === 'pool-2');
    assert.equal(ready.length, 1, 'the new node gets its daemon pod');
    const add = r.convergence.find((c) => c.trigger === 'addNodes pool');
    assert.ok(add !== undefined && add.convergedAt !== null);
    assert.ok(add.convergedAt >= ready[0].t, `converged at ${add.convergedAt}, pod ready at ${ready[0].t}`);
    assert.ok(add.convergedAt - ready[0].t < 0.1, 'and promptly after it (one status write)');
    assert.ok((add.seconds ?? 0) >= 7, 'pull 4 s + start 1 s + ready 2 s');
  });

  it('a Job: the start converges when the Job completes', () => {
    const r = runScenario(loadText(`${scenarioHeader({ name: 'job-converge', duration: '1m', nodes: 1, images: { 'work:v1': '{pull: 2s, start: 1s, run: 20s}' } })}${jobYaml('once', 'work:v1')}`));
    const complete = events(r).filter((e) => e.type === 'JobComplete');
    assert.equal(complete.length, 1);
    assert.equal(r.convergence[0].convergedAt, complete[0].t);
    assert.ok(complete[0].t > 23);
  });

  it(
    'a StatefulSet scale-down converges when the remaining pods are there, as a Deployment\'s does, not when the removed pod is gone',
    () => {
      const run = (kind: string) => runScenario(loadText(`${scenarioHeader({ name: 'scale-down', duration: '2m', nodes: 2, images: { 'db:v1': '{pull: 2s, start: 1s, stop: 20s}' }, events: [`{at: 30s, scale: {target: ${kind.toLowerCase()}/db, replicas: 1}}`] })}apiVersion: apps/v1
kind: ${kind}
metadata: {name: db}
spec:
  replicas: 2
${kind === 'StatefulSet' ? '  serviceName: db\n' : ''}  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "db:v1"}]
`));
      const deleted = (r: RunResult) => events(r).find((e) => e.type === 'PodDeleted')?.t ?? Infinity;
      const sts = run('StatefulSet');
      const deploy = run('Deployment');
      assert.ok((deploy.convergence[1].convergedAt ?? Infinity) < deleted(deploy), 'precondition: the Deployment converges before its pod is gone');
      assert.ok((sts.convergence[1].convergedAt ?? Infinity) < deleted(sts), `StatefulSet converged at ${sts.convergence[1].convergedAt}, its pod deleted at ${deleted(sts)}`);
    },
  );

  /** A CronJob every minute whose runs take 10 s; an action at `atSeconds`. */
  const cron = (atSeconds: number) => runScenario(loadText(`${scenarioHeader({ name: 'cron-converge', duration: '100s', nodes: 1, images: { 'batch:v1': '{pull: 2s, start: 1s, run: 10s}' }, events: [`{at: ${atSeconds}s, addNodes: {pool: pool, count: 1}}`] })}apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: b, image: "batch:v1"}]
`));

  it('a CronJob\'s running Job holds convergence back until it completes', () => {
    const r = cron(65);
    const complete = events(r).filter((e) => e.type === 'JobComplete');
    assert.equal(complete.length, 1);
    assert.deepEqual(r.convergence.map((c) => [c.trigger, c.convergedAt]), [['initial', 0], ['addNodes pool', complete[0].t]]);
  });

  it(
    'an action at the scheduled time waits for the run that is due then',
    () => {
      const r = cron(60);
      const complete = events(r).filter((e) => e.type === 'JobComplete');
      assert.equal(r.convergence[1].convergedAt, complete[0].t);
    },
  );
});
