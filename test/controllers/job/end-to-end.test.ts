/**
 * Jobs in a whole simulated cluster (scheduler, kubelets, garbage collector, TTL controller):
 * restartPolicy OnFailure restarts in place until the restarts reach backoffLimit; Never replaces
 * failed pods until failures exceed it; exit codes reach podFailurePolicy; a pod deleted from a
 * podFailurePolicy Job is judged on the terminal status its kubelet writes; the TTL removes a
 * finished Job with its pods; the derived Job events.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../src/api/types/pod.js';
import { S, batchCluster, batchImage, conditionTypes, jobManifest, liveJob } from './harness.js';

const ALWAYS_FAILS = { 'batch:1': batchImage(5 * S, { probability: 1, exitCode: 1 }) };

describe('Jobs on a simulated cluster', () => {
  it('OnFailure: the container restarts in place; restarts reaching backoffLimit fail the Job', () => {
    const tiny = batchCluster([jobManifest('job', { completions: 1, backoffLimit: 2, restartPolicy: 'OnFailure' })], ALWAYS_FAILS);
    tiny.runTo(120);
    assert.equal(tiny.events('PodCreated').length, 1, 'never replaced: restarted in place');
    assert.deepEqual(tiny.events('PodRestarted').map((e) => e.restartCount), [1, 2]);
    const [failed] = tiny.events('JobFailed');
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.deepEqual(conditionTypes(liveJob(tiny)), ['FailureTarget', 'Failed']);
    assert.equal(tiny.pods().length, 0, 'the running pod was deleted');
  });

  it('Never: failed pods are kept and replaced after the back-off until failures exceed backoffLimit', () => {
    const tiny = batchCluster([jobManifest('job', { completions: 1, backoffLimit: 1 })], ALWAYS_FAILS);
    tiny.runTo(120);
    const created = tiny.events('PodCreated').map((e) => e.t);
    assert.equal(created.length, 2);
    assert.ok(created[1] - created[0] >= 15, `replaced ${created[1] - created[0]} s later: 5 s run + 10 s back-off`);
    assert.deepEqual(tiny.pods().map((p) => p.status?.phase), ['Failed', 'Failed']);
    assert.equal(liveJob(tiny).status?.failed, 2);
    assert.equal(tiny.events('JobFailed')[0]?.reason, 'BackoffLimitExceeded');
  });

  it('a pod’s exit code reaches podFailurePolicy: FailJob on 42', () => {
    const images = { 'batch:1': batchImage(5 * S, { probability: 1, exitCode: 42 }) };
    const rules = [{ action: 'FailJob' as const, onExitCodes: { operator: 'In' as const, values: [42] } }];
    const tiny = batchCluster([jobManifest('job', { completions: 3, parallelism: 1, podFailurePolicy: { rules } })], images);
    tiny.runTo(60);
    const [failed] = tiny.events('JobFailed');
    assert.equal(failed.reason, 'PodFailurePolicy');
    assert.match(String(failed.message), /failed with exit code 42 matching FailJob rule at index 0$/);
  });

  it('a pod deleted mid-run is judged on the terminal status its kubelet writes (SIGTERM: 143, ignored here)', () => {
    const images = { 'batch:1': batchImage(60 * S, undefined, 2 * S) };
    const rules = [{ action: 'Ignore' as const, onExitCodes: { operator: 'In' as const, values: [143] } }];
    const tiny = batchCluster([jobManifest('job', { completions: 1, backoffLimit: 0, podFailurePolicy: { rules } })], images);
    tiny.runTo(10);
    const [pod] = tiny.pods();
    tiny.cluster.api.delete('Pod', 'default', pod.metadata.name);
    tiny.runTo(30);
    const deleted = tiny.get<Pod>('Pod', pod.metadata.name);
    assert.equal(deleted, undefined, 'counted, its finalizer removed, and gone');
    assert.deepEqual(tiny.events('PodFailed').map((e) => e.name), [pod.metadata.name]);
    const job = liveJob(tiny);
    assert.equal(job.status?.failed, undefined, 'the Ignore rule matched exit code 143');
    assert.deepEqual(conditionTypes(job), []);
    assert.equal(tiny.livePods().length, 1, 'replaced');
  });

  it('ttlSecondsAfterFinished: the Job and its pods are deleted that long after it finished', () => {
    const tiny = batchCluster([jobManifest('job', { completions: 2, parallelism: 2, ttlSecondsAfterFinished: 30 })]);
    tiny.runTo(120);
    const [complete] = tiny.events('JobComplete');
    const [deleted] = tiny.events('JobDeleted');
    assert.ok(complete !== undefined && deleted !== undefined);
    assert.ok(deleted.t - complete.t >= 30 && deleted.t - complete.t < 30.1, `deleted ${deleted.t - complete.t} s after it completed`);
    const podsDeleted = tiny.events('PodDeleted').map((e) => e.t);
    assert.equal(podsDeleted.length, 2);
    assert.ok(podsDeleted.every((t) => t <= deleted.t), 'foreground: the pods go first');
    assert.equal(tiny.get('Job', 'job'), undefined);
  });

  it('records JobCreated and JobComplete with their fields', () => {
    const tiny = batchCluster([jobManifest('job', { completions: 2, parallelism: 1 })]);
    tiny.runTo(60);
    const [created] = tiny.events('JobCreated');
    assert.deepEqual([created.completions, created.parallelism, created.completionMode, created.suspend], [2, 1, 'NonIndexed', false]);
    const [complete] = tiny.events('JobComplete');
    assert.deepEqual([complete.succeeded, complete.failed], [2, 0]);
    assert.ok(Number(complete.seconds) >= 20, 'two 10 s runs one after the other');
  });
});
