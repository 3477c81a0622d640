import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultReplicaSet } from '../../../src/api/defaults/index.js';
import { formatFieldError } from '../../../src/api/field-errors.js';
import type { ReplicaSet } from '../../../src/api/types/index.js';
import { validateReplicaSet, validators } from '../../../src/api/validation/index.js';

function rs(patch: (r: ReplicaSet) => void = () => {}): ReplicaSet {
  const obj: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'web-5d8f7c9b4',
      namespace: 'default',
      labels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-1', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' } },
      template: {
        metadata: { labels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
      },
    },
  };
  patch(obj);
  defaultReplicaSet(obj);
  return obj;
}

const show = (r: ReplicaSet, old?: ReplicaSet): string[] => validateReplicaSet(r, old).map(formatFieldError).sort();

describe('validateReplicaSet', () => {
  it('accepts a ReplicaSet owned by a Deployment', () => {
    assert.deepEqual(show(rs()), []);
    assert.deepEqual(validators.ReplicaSet(rs()), []);
  });

  const cases: [name: string, patch: (r: ReplicaSet) => void, expect: string[]][] = [
    [
      'negative replicas and minReadySeconds',
      (r) => Object.assign(r.spec, { replicas: -3, minReadySeconds: -1 }),
      ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0', 'spec.replicas: Invalid value: -3: must be greater than or equal to 0'],
    ],
    [
      'a selector missing the hash label in the template',
      (r) => (r.spec.template.metadata = { labels: { app: 'web' } }),
      ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
    ],
    [
      'a malformed selector expression, which skips template validation',
      (r) => {
        r.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In' }] };
        r.spec.template.spec.containers = [];
      },
      [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"In"}]}: invalid label selector',
      ],
    ],
    [
      'activeDeadlineSeconds in the template',
      (r) => (r.spec.template.spec.activeDeadlineSeconds = 60),
      ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported'],
    ],
  ];
  for (const [name, patch, expect] of cases) {
    it(`rejects ${name}`, () => assert.deepEqual(show(rs(patch)), [...expect].sort()));
  }

  it('keeps the selector immutable on update', () => {
    const old = rs();
    assert.deepEqual(show(rs((r) => (r.spec.replicas = 0)), old), []);
    const changed = rs((r) => {
      r.spec.selector = { matchLabels: { app: 'web' } };
    });
    assert.deepEqual(show(changed, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web"}}: field is immutable']);
  });
});

describe('validateReplicaSet on writes that keep the selector and template', () => {
  it('reports the same errors as a fresh validation, and sees a new selector or template part', () => {
    const bad = rs((r) => (r.spec.template.metadata = { labels: { app: 'other' } }));
    const first = show(bad);
    assert.ok(first.some((e) => e.includes('`selector` does not match template `labels`')));
    // A scaling write: a new object, the same selector and template objects.
    const scaled: ReplicaSet = { ...bad, spec: { ...bad.spec, replicas: 5 } };
    assert.deepEqual(show(scaled, bad), first);
    const fixed: ReplicaSet = { ...bad, spec: { ...bad.spec, selector: { matchLabels: { app: 'other' } } } };
    assert.ok(!show(fixed).some((e) => e.includes('`selector` does not match template `labels`')));
    const template = { ...bad.spec.template, metadata: { labels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' } } };
    const relabelled: ReplicaSet = { ...bad, spec: { ...bad.spec, template } };
    assert.deepEqual(show(relabelled), []);
  });
});
