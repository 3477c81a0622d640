/**
 * Job defaults (SetDefaults_Job) and the selector the registry generates on create: completions
 * and parallelism, backoffLimit (6, or MaxInt32 with backoffLimitPerIndex), completionMode,
 * suspend, podReplacementPolicy, onPodConditions status, the Job's labels, the generated labels.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultJob, defaulters } from '../../../src/api/defaults/index.js';
import type { Job, JobSpec } from '../../../src/api/types/job.js';
import { deepFreeze } from '../../../src/util/objects.js';

function job(spec: Partial<JobSpec> = {}, uid = 'uid-1'): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5' }] } }, ...spec },
  };
}

function defaulted(spec: Partial<JobSpec> = {}): Job {
  const obj = job(spec);
  defaultJob(obj);
  return obj;
}

describe('defaultJob', () => {
  it('is the API server’s Job defaulter', () => assert.equal(defaulters.Job, defaultJob));

  const cases: { name: string; spec: Partial<JobSpec>; want: Partial<JobSpec> }[] = [
    { name: 'neither completions nor parallelism: both 1', spec: {}, want: { completions: 1, parallelism: 1 } },
    { name: 'parallelism only: a work queue, completions stay unset', spec: { parallelism: 4 }, want: { completions: undefined, parallelism: 4 } },
    { name: 'completions only: parallelism 1', spec: { completions: 5 }, want: { completions: 5, parallelism: 1 } },
    { name: 'backoffLimit 6', spec: {}, want: { backoffLimit: 6 } },
    { name: 'backoffLimit MaxInt32 with backoffLimitPerIndex', spec: { completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 }, want: { backoffLimit: 2147483647 } },
    { name: 'an explicit backoffLimit is kept', spec: { backoffLimit: 0, backoffLimitPerIndex: 1 }, want: { backoffLimit: 0 } },
    { name: 'completionMode NonIndexed, suspend false', spec: {}, want: { completionMode: 'NonIndexed', suspend: false } },
    { name: 'podReplacementPolicy TerminatingOrFailed', spec: {}, want: { podReplacementPolicy: 'TerminatingOrFailed' } },
    {
      name: 'podReplacementPolicy Failed with a podFailurePolicy',
      spec: { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } },
      want: { podReplacementPolicy: 'Failed', podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const spec = defaulted(c.spec).spec as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(c.want)) assert.deepEqual(spec[key], value, key);
    });
  }

  it('defaults the pod template as a pod’s', () => {
    const obj = job();
    delete obj.spec.template.spec.restartPolicy;
    defaultJob(obj);
    assert.equal(obj.spec.template.spec.restartPolicy, 'Always', 'which validation then refuses, as upstream');
    assert.equal(obj.spec.template.spec.terminationGracePeriodSeconds, 30);
  });

  it('on create, generates the selector and the template labels from the uid, and gives the Job its template’s labels', () => {
    const obj = job({ template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never', containers: [] } } });
    defaultJob(obj);
    const labels = { app: 'pi', 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'uid-1', 'batch.kubernetes.io/controller-uid': 'uid-1' };
    assert.deepEqual(obj.spec.template.metadata?.labels, labels);
    assert.deepEqual(obj.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
    assert.deepEqual(obj.metadata.labels, labels);
  });

  it('keeps labels the user set (validation judges them) and the Job’s own labels', () => {
    const obj = job({ selector: { matchLabels: { app: 'pi' } }, template: { metadata: { labels: { 'job-name': 'other' } }, spec: { restartPolicy: 'Never', containers: [] } } });
    obj.metadata.labels = { team: 'math' };
    defaultJob(obj);
    assert.equal(obj.spec.template.metadata?.labels?.['job-name'], 'other');
    assert.deepEqual(obj.spec.selector, { matchLabels: { app: 'pi', 'batch.kubernetes.io/controller-uid': 'uid-1' } });
    assert.deepEqual(obj.metadata.labels, { team: 'math' });
  });

  it('manualSelector: nothing is generated', () => {
    const obj = job({ manualSelector: true, selector: { matchLabels: { app: 'pi' } } });
    defaultJob(obj);
    assert.deepEqual(obj.spec.selector, { matchLabels: { app: 'pi' } });
    assert.equal(obj.spec.template.metadata, undefined);
  });

  it('on update (the stored Job given) nothing is generated', () => {
    const obj = job();
    defaultJob(obj, deepFreeze(job()));
    assert.equal(obj.spec.selector, undefined);
  });

  it('builds new template metadata rather than writing into a shared (frozen) one', () => {
    const template = deepFreeze({ metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never' as const, containers: [], dnsPolicy: 'ClusterFirst', securityContext: {}, terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', enableServiceLinks: true } });
    const obj = job({ template: template as Job['spec']['template'] });
    defaultJob(obj);
    assert.equal(obj.spec.template.metadata?.labels?.['controller-uid'], 'uid-1');
    assert.deepEqual(template.metadata.labels, { app: 'pi' });
  });

  it('is idempotent', () => {
    const once = defaulted({ parallelism: 2, podFailurePolicy: { rules: [] } });
    const twice = structuredClone(once);
    defaultJob(twice, once);
    assert.deepEqual(twice, once);
  });
});
