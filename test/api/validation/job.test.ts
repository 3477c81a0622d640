/**
 * Job validation with upstream's paths and messages: spec fields, restartPolicy, Indexed limits,
 * backoffLimitPerIndex and maxFailedIndexes, podFailurePolicy rules, successPolicy rules and
 * index lists, podReplacementPolicy, the generated selector, managedBy; on update the immutable
 * fields, elastic Indexed Jobs and the scheduling directives of a suspended Job; the CronJob's
 * jobTemplate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultJob, defaultPodTemplateSpec } from '../../../src/api/defaults/index.js';
import { FieldPath, formatFieldError } from '../../../src/api/field-errors.js';
import type { Job, JobSpec } from '../../../src/api/types/job.js';
import { validateIndexesFormat, validateJob, validateJobTemplateSpec, validators } from '../../../src/api/validation/index.js';

function manifest(edit: (job: Job) => void = () => {}): Job {
  const obj: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'uid-1' },
    spec: {
      completions: 4,
      parallelism: 2,
      template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5' }], initContainers: [{ name: 'fetch', image: 'busybox:1' }] } },
    },
  };
  edit(obj);
  return obj;
}

/** The create errors of a manifest, defaulted first as the API server does, formatted. */
function createErrors(edit?: (job: Job) => void): string[] {
  const obj = manifest(edit);
  defaultJob(obj);
  return validateJob(obj).map(formatFieldError);
}

function updateErrors(change: (job: Job) => void, editOld?: (job: Job) => void): string[] {
  const old = manifest(editOld);
  defaultJob(old);
  const next = structuredClone(old);
  change(next);
  defaultJob(next, old);
  return validateJob(next, old).map(formatFieldError);
}

const spec = (fields: Partial<JobSpec>) => (job: Job) => Object.assign(job.spec, fields);

describe('validateJob on create', () => {
  it('is the API server’s Job validator', () => assert.equal(validators.Job, validateJob));

  it('accepts a realistic Job', () => assert.deepEqual(createErrors(), []));

  const cases: { name: string; edit: (job: Job) => void; error: string }[] = [
    { name: 'negative parallelism', edit: spec({ parallelism: -1 }), error: 'spec.parallelism: Invalid value: -1: must be greater than or equal to 0' },
    { name: 'negative ttlSecondsAfterFinished', edit: spec({ ttlSecondsAfterFinished: -5 }), error: 'spec.ttlSecondsAfterFinished: Invalid value: -5: must be greater than or equal to 0' },
    { name: 'restartPolicy left to default (Always)', edit: (j) => delete j.spec.template.spec.restartPolicy, error: 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"' },
    {
      name: 'restartPolicy OnFailure with a podFailurePolicy',
      edit: (j) => {
        j.spec.template.spec.restartPolicy = 'OnFailure';
        j.spec.podFailurePolicy = { rules: [{ action: 'Count', onExitCodes: { operator: 'In', values: [1] } }] };
      },
      error: 'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    },
    { name: 'unknown completionMode', edit: spec({ completionMode: 'Sharded' as JobSpec['completionMode'] }), error: 'spec.completionMode: Unsupported value: "Sharded": supported values: "NonIndexed", "Indexed"' },
    { name: 'Indexed without completions', edit: spec({ completionMode: 'Indexed', completions: undefined }), error: 'spec.completions: Required value: when completion mode is Indexed' },
    { name: 'backoffLimitPerIndex of a NonIndexed Job', edit: spec({ backoffLimitPerIndex: 1 }), error: 'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode' },
    { name: 'maxFailedIndexes without backoffLimitPerIndex', edit: spec({ completionMode: 'Indexed', maxFailedIndexes: 1 }), error: 'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified' },
    { name: 'maxFailedIndexes above completions', edit: spec({ completionMode: 'Indexed', backoffLimitPerIndex: 1, maxFailedIndexes: 5 }), error: 'spec.maxFailedIndexes: Invalid value: 5: must be less than or equal to completions' },
    { name: 'successPolicy of a NonIndexed Job', edit: spec({ successPolicy: { rules: [{ succeededCount: 1 }] } }), error: 'spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode' },
    { name: 'successPolicy without rules', edit: spec({ completionMode: 'Indexed', successPolicy: { rules: [] } }), error: 'spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified' },
    { name: 'successPolicy rule with neither field', edit: spec({ completionMode: 'Indexed', successPolicy: { rules: [{}] } }), error: 'spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified' },
    {
      name: 'succeededIndexes out of order',
      edit: spec({ completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '2,1' }] } }),
      error: 'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "2,1": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1',
    },
    {
      name: 'succeededIndexes beyond completions',
      edit: spec({ completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0-9' }] } }),
      error: 'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-9": error parsing succeededIndexes: too large index: "9"',
    },
    {
      name: 'succeededCount above completions',
      edit: spec({ completionMode: 'Indexed', successPolicy: { rules: [{ succeededCount: 7 }] } }),
      error: 'spec.successPolicy.rules[0].succeededCount: Invalid value: 7: must be less than or equal to 4 (the number of specified completions)',
    },
    {
      name: 'succeededCount above the rule’s indexes',
      edit: spec({ completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0,1', succeededCount: 3 }] } }),
      error: 'spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)',
    },
    {
      name: 'onExitCodes In 0',
      edit: spec({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 1] } }] } }),
      error: 'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
    },
    {
      name: 'onExitCodes out of order',
      edit: spec({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [5, 2] } }] } }),
      error: 'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [5,2]: must be ordered',
    },
    {
      name: 'onExitCodes duplicated',
      edit: spec({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [3, 3] } }] } }),
      error: 'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Duplicate value: 3',
    },
    {
      name: 'onExitCodes for an unknown container',
      edit: spec({ podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { containerName: 'nope', operator: 'In', values: [1] } }] } }),
      error: 'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
    },
    {
      name: 'FailIndex without backoffLimitPerIndex',
      edit: spec({ podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }] } }),
      error: 'spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
    },
    {
      name: 'an unknown action',
      edit: spec({ podFailurePolicy: { rules: [{ action: 'Retry' as 'Count', onExitCodes: { operator: 'In', values: [1] } }] } }),
      error: 'spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
    },
    {
      name: 'a rule with both requirements',
      edit: spec({ podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] }, onPodConditions: [{ type: 'DisruptionTarget' }] }] } }),
      error: 'spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported',
    },
    { name: 'a rule with neither', edit: spec({ podFailurePolicy: { rules: [{ action: 'Ignore' }] } }), error: 'spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required' },
    {
      name: 'podReplacementPolicy TerminatingOrFailed with a podFailurePolicy',
      edit: spec({ podReplacementPolicy: 'TerminatingOrFailed', podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }),
      error: 'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
    },
    { name: 'a manual selector the template does not match', edit: spec({ manualSelector: true, selector: { matchLabels: { app: 'other' } } }), error: 'spec.template.metadata.labels: Invalid value: {"app":"pi"}: `selector` does not match template `labels`' },
    { name: 'a manual Job without a selector', edit: spec({ manualSelector: true }), error: 'spec.selector: Required value' },
    {
      name: 'a generated label the user set otherwise',
      edit: (j) => (j.spec.template.metadata = { labels: { 'job-name': 'other' } }),
      error: 'spec.template.metadata.labels[job-name]: Invalid value: {"job-name":"other","batch.kubernetes.io/job-name":"pi","controller-uid":"uid-1","batch.kubernetes.io/controller-uid":"uid-1"}: must be \'pi\'',
    },
    { name: 'a managedBy that is not a domain-prefixed path', edit: spec({ managedBy: 'my-controller' }), error: 'spec.managedBy: Invalid value: "my-controller": must be a domain-prefixed path (such as "acme.io/foo")' },
    {
      name: 'an Indexed Job whose last pod hostname would not be a DNS label',
      edit: (j) => {
        j.metadata.name = 'a'.repeat(62);
        Object.assign(j.spec, { completionMode: 'Indexed', completions: 10 });
      },
      error: `metadata.name: Invalid value: "${'a'.repeat(62)}": will not able to create pod with invalid DNS label: ${'a'.repeat(62)}-9`,
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(createErrors(c.edit)[0], c.error));
  }
});

describe('validateJob on update', () => {
  it('accepts a change of parallelism, suspend and activeDeadlineSeconds', () => {
    assert.deepEqual(updateErrors((j) => Object.assign(j.spec, { parallelism: 5, suspend: true, activeDeadlineSeconds: 60 })), []);
  });

  const immutable: [string, (j: Job) => void, string][] = [
    ['selector', (j) => (j.spec.selector = { matchLabels: { ...j.spec.selector?.matchLabels, extra: 'x' } }), 'spec.selector'],
    ['template', (j) => (j.spec.template.spec.containers[0].image = 'perl:6'), 'spec.template'],
    ['completions of a NonIndexed Job', (j) => (j.spec.completions = 9), 'spec.completions'],
    ['completionMode', (j) => (j.spec.completionMode = 'Indexed'), 'spec.completionMode'],
    ['podFailurePolicy', (j) => (j.spec.podFailurePolicy = { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [2] } }] }), 'spec.podFailurePolicy'],
  ];
  for (const [name, change, field] of immutable) {
    it(`${name} is immutable`, () => assert.ok(updateErrors(change).some((e) => e.startsWith(`${field}: Invalid value:`) && e.endsWith('field is immutable')), updateErrors(change).join('\n')));
  }

  it('an Indexed Job’s completions change only together with parallelism (elastic Indexed Jobs)', () => {
    const indexed = (j: Job) => Object.assign(j.spec, { completionMode: 'Indexed' });
    assert.deepEqual(updateErrors((j) => Object.assign(j.spec, { completions: 6, parallelism: 6 }), indexed), []);
    assert.deepEqual(updateErrors((j) => Object.assign(j.spec, { completions: 6 }), indexed), ['spec.completions: Invalid value: 6: can only be modified in tandem with spec.parallelism']);
  });

  it('a suspended Job that never started may change its node selector and tolerations', () => {
    const suspended = (j: Job) => (j.spec.suspend = true);
    assert.deepEqual(updateErrors((j) => Object.assign(j.spec.template.spec, { nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'gpu', operator: 'Exists' }] }), suspended), []);
    assert.equal(updateErrors((j) => (j.spec.template.spec.nodeSelector = { pool: 'gpu' })).length, 1, 'not once running');
  });
});

describe('validateJobTemplateSpec (a CronJob’s jobTemplate)', () => {
  const path = FieldPath.root('spec').child('jobTemplate');
  it('refuses a selector and manualSelector', () => {
    const template = { spec: { selector: { matchLabels: { a: 'b' } }, manualSelector: true, template: { spec: { restartPolicy: 'OnFailure' as const, containers: [{ name: 'c', image: 'i' }] } } } };
    defaultPodTemplateSpec(template.spec.template);
    assert.deepEqual(validateJobTemplateSpec(template, path).map(formatFieldError), [
      'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
      'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
    ]);
  });
});

describe('validateIndexesFormat', () => {
  it('counts the indexes of a valid list', () => assert.equal(validateIndexesFormat('0,2-4,7', 8), 5));
  for (const [text, message] of [
    ['1-2-3', 'the fragment "1-2-3" violates the requirement that an index interval can have at most two parts separated by \'-\''],
    ['x', 'cannot convert string to integer for index: "x"'],
    ['3-3', 'non-increasing order, previous: 3, current: 3'],
  ]) {
    it(`refuses "${text}"`, () => assert.throws(() => validateIndexesFormat(text, 10), { message }));
  }
});
