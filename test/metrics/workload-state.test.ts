/**
 * workload-state.ts, table-driven: when a StatefulSet, DaemonSet or Job has reached its spec
 * (partition, OnDelete, observedGeneration lag, misscheduled daemon pods, suspended Jobs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet, DaemonSetStatus } from '../../src/api/types/daemonset.js';
import type { Job, JobCondition, JobStatus } from '../../src/api/types/job.js';
import type { StatefulSet, StatefulSetStatus, StatefulSetUpdateStrategy } from '../../src/api/types/statefulset.js';
import type { WorkloadCounts } from '../../src/metrics/workload-pods.js';
import { daemonSetGap, jobFinished, jobGap, statefulSetGap } from '../../src/metrics/workload-state.js';

const TEMPLATE = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } };

function sts(replicas: number | undefined, status: Partial<StatefulSetStatus> | undefined, options: { generation?: number; updateStrategy?: StatefulSetUpdateStrategy } = {}): StatefulSet {
  const spec: StatefulSet['spec'] = { selector: { matchLabels: { app: 'x' } }, template: TEMPLATE };
  if (replicas !== undefined) spec.replicas = replicas;
  if (options.updateStrategy !== undefined) spec.updateStrategy = options.updateStrategy;
  const obj: StatefulSet = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default', generation: options.generation ?? 2 }, spec };
  if (status !== undefined) obj.status = { replicas: 0, ...status };
  return obj;
}

const counts = (existing: number, available = existing, ready = available): WorkloadCounts => ({ existing, ready, available, unschedulable: 0 });

/** A StatefulSet status in which every one of `n` pods is ready, updated and current (generation 2 observed). */
const settled = (n: number): Partial<StatefulSetStatus> => ({
  observedGeneration: 2, replicas: n, readyReplicas: n, availableReplicas: n, updatedReplicas: n, currentReplicas: n, currentRevision: 'db-a', updateRevision: 'db-a',
});
const partitioned = (partition: number): StatefulSetUpdateStrategy => ({ type: 'RollingUpdate', rollingUpdate: { partition } });

describe('statefulSetGap', () => {
  const cases: { name: string; set: StatefulSet; counts: WorkloadCounts; gap: RegExp | undefined }[] = [
    { name: 'every pod ready, available, updated and current', set: sts(3, settled(3)), counts: counts(3), gap: undefined },
    { name: 'replicas defaults to 1', set: sts(undefined, settled(1)), counts: counts(1), gap: undefined },
    { name: 'scaled to zero with no pods', set: sts(0, { ...settled(0) }), counts: counts(0), gap: undefined },
    { name: 'observedGeneration behind the generation', set: sts(3, settled(3), { generation: 3 }), counts: counts(3), gap: /^statefulset\/db: generation 3 not yet observed$/ },
    { name: 'no status written yet', set: sts(3, undefined, { generation: 1 }), counts: counts(0), gap: /generation 1 not yet observed/ },
    { name: 'a pod not yet available (ground truth)', set: sts(3, settled(3)), counts: counts(3, 2), gap: /^statefulset\/db: 2 of 3 pods available, 3 exist$/ },
    { name: 'an extra pod still exists (scale-down under way)', set: sts(3, settled(3)), counts: counts(4, 3), gap: /3 of 3 pods available, 4 exist/ },
    { name: 'the status lags: readyReplicas below replicas', set: sts(3, { ...settled(3), readyReplicas: 2 }), counts: counts(3), gap: /3 of 3 pods available/ },
    { name: 'rolling update: a pod not yet updated', set: sts(3, { ...settled(3), updatedReplicas: 2, updateRevision: 'db-b' }), counts: counts(3), gap: /^statefulset\/db: 2 of 3 pods updated$/ },
    { name: 'rolling update: all updated but the current revision not yet moved on', set: sts(3, { ...settled(3), updateRevision: 'db-b' }), counts: counts(3), gap: /3 of 3 pods updated/ },
    { name: 'partition 2 of 5: three updated is done', set: sts(5, { ...settled(5), updatedReplicas: 3, updateRevision: 'db-b' }, { updateStrategy: partitioned(2) }), counts: counts(5), gap: undefined },
    { name: 'partition 2 of 5: two updated is not', set: sts(5, { ...settled(5), updatedReplicas: 2, updateRevision: 'db-b' }, { updateStrategy: partitioned(2) }), counts: counts(5), gap: /^statefulset\/db: 2 of 3 pods above the partition updated$/ },
    { name: 'partition at or above replicas: nothing needs updating', set: sts(3, { ...settled(3), updatedReplicas: 0, updateRevision: 'db-b' }, { updateStrategy: partitioned(3) }), counts: counts(3), gap: undefined },
    { name: 'partition still needs every pod available', set: sts(5, { ...settled(5), updatedReplicas: 3 }, { updateStrategy: partitioned(2) }), counts: counts(5, 4), gap: /4 of 5 pods available/ },
    { name: 'partition 0 is a plain rolling update', set: sts(3, { ...settled(3), updateRevision: 'db-b' }, { updateStrategy: partitioned(0) }), counts: counts(3), gap: /3 of 3 pods updated/ },
    { name: 'OnDelete: ready and available is enough, nothing updated', set: sts(3, { ...settled(3), updatedReplicas: 0, updateRevision: 'db-b' }, { updateStrategy: { type: 'OnDelete' } }), counts: counts(3), gap: undefined },
    { name: 'OnDelete: still needs every pod available', set: sts(3, { ...settled(3), updateRevision: 'db-b' }, { updateStrategy: { type: 'OnDelete' } }), counts: counts(3, 1), gap: /1 of 3 pods available/ },
    { name: 'OnDelete: still needs the generation observed', set: sts(3, settled(3), { generation: 5, updateStrategy: { type: 'OnDelete' } }), counts: counts(3), gap: /generation 5 not yet observed/ },
  ];
  it(
    'a scale-down is done while the removed pod is still terminating (its Ready still counted in readyReplicas)',
    () => {
      assert.equal(statefulSetGap(sts(1, { ...settled(1), replicas: 2, readyReplicas: 2, availableReplicas: 2 }), counts(1)), undefined);
    },
  );

  for (const c of cases) {
    it(c.name, () => {
      const gap = statefulSetGap(c.set, c.counts);
      if (c.gap === undefined) assert.equal(gap, undefined);
      else assert.match(gap ?? '(none)', c.gap);
    });
  }
});

function ds(status: Partial<DaemonSetStatus> | undefined, options: { generation?: number; onDelete?: boolean } = {}): DaemonSet {
  const obj: DaemonSet = {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default', generation: options.generation ?? 1 },
    spec: { selector: { matchLabels: { app: 'x' } }, template: TEMPLATE, updateStrategy: options.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } },
  };
  if (status !== undefined) obj.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, ...status };
  return obj;
}

/** A DaemonSet status with `n` nodes all running an available, updated pod. */
const onNodes = (n: number): Partial<DaemonSetStatus> => ({
  observedGeneration: 1, desiredNumberScheduled: n, currentNumberScheduled: n, numberReady: n, numberAvailable: n, updatedNumberScheduled: n,
});

describe('daemonSetGap', () => {
  const cases: { name: string; set: DaemonSet; desired: number; gap: RegExp | undefined }[] = [
    { name: 'every wanted node runs an available, updated pod', set: ds(onNodes(3)), desired: 3, gap: undefined },
    { name: 'no nodes want it', set: ds(onNodes(0)), desired: 0, gap: undefined },
    { name: 'a node just joined: the status still counts the old nodes', set: ds(onNodes(3)), desired: 4, gap: /^daemonset\/agent: 4 nodes should run it, the controller has seen 3$/ },
    { name: 'a node just left: the status still counts it', set: ds(onNodes(3)), desired: 2, gap: /2 nodes should run it, the controller has seen 3/ },
    { name: 'a pod not yet available', set: ds({ ...onNodes(3), numberAvailable: 2 }), desired: 3, gap: /^daemonset\/agent: 2 of 3 pods available$/ },
    { name: 'a pod not yet updated', set: ds({ ...onNodes(3), updatedNumberScheduled: 1 }), desired: 3, gap: /^daemonset\/agent: 1 of 3 pods updated$/ },
    { name: 'updatedNumberScheduled not written yet', set: ds({ ...onNodes(2), updatedNumberScheduled: undefined }), desired: 2, gap: /0 of 2 pods updated/ },
    { name: 'a misscheduled pod left on a NoSchedule-tainted node is a steady state', set: ds({ ...onNodes(2), numberMisscheduled: 1, currentNumberScheduled: 2 }), desired: 2, gap: undefined },
    { name: 'observedGeneration behind the generation', set: ds(onNodes(3), { generation: 2 }), desired: 3, gap: /^daemonset\/agent: generation 2 not yet observed$/ },
    { name: 'no status written yet', set: ds(undefined), desired: 2, gap: /generation 1 not yet observed/ },
    { name: 'OnDelete: available is enough, nothing updated', set: ds({ ...onNodes(3), updatedNumberScheduled: 0 }, { onDelete: true }), desired: 3, gap: undefined },
    { name: 'OnDelete: still needs every pod available', set: ds({ ...onNodes(3), numberAvailable: 2 }, { onDelete: true }), desired: 3, gap: /2 of 3 pods available/ },
    { name: 'OnDelete: still needs the new node counted', set: ds({ ...onNodes(3), updatedNumberScheduled: 0 }, { onDelete: true }), desired: 4, gap: /4 nodes should run it/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const gap = daemonSetGap(c.set, c.desired);
      if (c.gap === undefined) assert.equal(gap, undefined);
      else assert.match(gap ?? '(none)', c.gap);
    });
  }
});

function job(status: JobStatus | undefined, suspend?: boolean): Job {
  const obj: Job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'report', namespace: 'default', generation: 1 }, spec: { template: TEMPLATE } };
  if (suspend !== undefined) obj.spec.suspend = suspend;
  if (status !== undefined) obj.status = status;
  return obj;
}
const cond = (type: string, status: 'True' | 'False' = 'True'): JobCondition => ({ type, status, lastTransitionTime: 1000 });

describe('jobFinished', () => {
  const cases: { name: string; conditions: JobCondition[] | undefined; finished: 'Complete' | 'Failed' | undefined }[] = [
    { name: 'no status', conditions: undefined, finished: undefined },
    { name: 'Complete True', conditions: [cond('SuccessCriteriaMet'), cond('Complete')], finished: 'Complete' },
    { name: 'Failed True', conditions: [cond('FailureTarget'), cond('Failed')], finished: 'Failed' },
    { name: 'SuccessCriteriaMet alone is not finished (pods still terminating)', conditions: [cond('SuccessCriteriaMet')], finished: undefined },
    { name: 'FailureTarget alone is not finished', conditions: [cond('FailureTarget')], finished: undefined },
    { name: 'Complete False does not count', conditions: [cond('Complete', 'False')], finished: undefined },
    { name: 'Suspended True is not finished', conditions: [cond('Suspended')], finished: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(jobFinished(job(c.conditions === undefined ? undefined : { conditions: c.conditions })), c.finished));
  }
});

describe('jobGap', () => {
  it('a finished Job has no gap, Complete or Failed, whatever pods remain', () => {
    assert.equal(jobGap(job({ conditions: [cond('Complete')], succeeded: 1 }), counts(0)), undefined);
    assert.equal(jobGap(job({ conditions: [cond('Failed')], failed: 7 }), counts(1)), undefined);
  });

  it('a running Job names its active, succeeded and failed counts', () => {
    assert.equal(jobGap(job({ active: 2, succeeded: 3, failed: 1 }), counts(2)), 'job/report: running (2 active, 3 succeeded, 1 failed)');
    assert.equal(jobGap(job(undefined), counts(0)), 'job/report: running (0 active, 0 succeeded, 0 failed)');
  });

  it('a suspended Job is settled once its pods are gone, not while one still exists', () => {
    assert.equal(jobGap(job({ active: 0 }, true), counts(0)), undefined);
    assert.match(jobGap(job({ active: 1 }, true), counts(1)) ?? '', /^job\/report: running \(1 active/);
  });

  it('suspend: false is an ordinary running Job', () => {
    assert.match(jobGap(job({ active: 0 }, false), counts(0)) ?? '', /running/);
  });
});
