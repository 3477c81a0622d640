/**
 * StatefulSet validation (pkg/apis/apps/validation/validation.go, 1.35): each rule with
 * upstream's path and message, on create and on update (updatable fields, ratcheting).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultStatefulSet } from '../../../src/api/defaults/index.js';
import { type FieldError, formatFieldError } from '../../../src/api/field-errors.js';
import type { StatefulSet } from '../../../src/api/types/index.js';
import { validateStatefulSet, validators } from '../../../src/api/validation/index.js';

function realistic(patch: (s: StatefulSet) => void = () => {}): StatefulSet {
  const obj: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'postgres', namespace: 'data', labels: { app: 'postgres' } },
    spec: {
      replicas: 3,
      serviceName: 'postgres-headless',
      minReadySeconds: 5,
      selector: { matchLabels: { app: 'postgres' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1, maxUnavailable: '50%' } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
      template: {
        metadata: { labels: { app: 'postgres' } },
        spec: {
          containers: [
            {
              name: 'postgres',
              image: 'postgres:16.2',
              ports: [{ name: 'pg', containerPort: 5432 }],
              resources: { requests: { cpu: '500m', memory: '1Gi' } },
              readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 5 },
            },
          ],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } } } }],
    },
  };
  patch(obj);
  defaultStatefulSet(obj);
  return obj;
}

const show = (errors: readonly FieldError[]): string[] => errors.map(formatFieldError);

describe('validateStatefulSet on create', () => {
  it('accepts a realistic manifest', () => {
    assert.deepEqual(show(validateStatefulSet(realistic())), []);
    assert.deepEqual(show(validators.StatefulSet(realistic())), []);
  });

  const cases: { name: string; patch: (s: StatefulSet) => void; expect: string[] }[] = [
    { name: 'negative replicas', patch: (s) => (s.spec.replicas = -1), expect: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
    { name: 'negative minReadySeconds', patch: (s) => (s.spec.minReadySeconds = -2), expect: ['spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0'] },
    { name: 'negative ordinals.start', patch: (s) => (s.spec.ordinals = { start: -1 }), expect: ['spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'unknown podManagementPolicy',
      patch: (s) => (s.spec.podManagementPolicy = 'Burst' as 'Parallel'),
      expect: [`spec.podManagementPolicy: Invalid value: "Burst": must be 'OrderedReady' or 'Parallel'`],
    },
    {
      name: 'unknown updateStrategy type',
      patch: (s) => (s.spec.updateStrategy = { type: 'Recreate' as 'OnDelete' }),
      expect: [`spec.updateStrategy: Invalid value: {"type":"Recreate"}: must be 'RollingUpdate' or 'OnDelete'`],
    },
    {
      name: 'rollingUpdate with OnDelete',
      patch: (s) => (s.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } }),
      expect: [`spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy 'RollingUpdate'`],
    },
    {
      name: 'negative partition',
      patch: (s) => (s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }),
      expect: ['spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'maxUnavailable 0',
      patch: (s) => (s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } }),
      expect: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0'],
    },
    {
      name: 'maxUnavailable above 100%',
      patch: (s) => (s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } }),
      expect: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
    },
    {
      name: 'unknown retention policy',
      patch: (s) => (s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep' as 'Retain', whenScaled: 'Retain' }),
      expect: ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"'],
    },
    {
      name: 'serviceName that is not a DNS label',
      patch: (s) => (s.spec.serviceName = 'Postgres_Headless'),
      expect: [
        'spec.serviceName: Invalid value: "Postgres_Headless": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', ' +
          "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ],
    },
    {
      name: 'a name that is not a DNS label',
      patch: (s) => (s.metadata.name = 'postgres.primary'),
      expect: ['metadata.name: Invalid value: "postgres.primary": must not contain dots'],
    },
    {
      name: 'selector not matching the template labels',
      patch: (s) => (s.spec.template.metadata = { labels: { app: 'mysql' } }),
      expect: ['spec.template.metadata.labels: Invalid value: {"app":"mysql"}: `selector` does not match template `labels`'],
    },
    { name: 'empty selector', patch: (s) => (s.spec.selector = {}), expect: ['spec.selector: Invalid value: {}: empty selector is invalid for statefulset'] },
    {
      name: 'restartPolicy other than Always',
      patch: (s) => (s.spec.template.spec.restartPolicy = 'OnFailure'),
      expect: ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    },
    {
      name: 'activeDeadlineSeconds',
      patch: (s) => (s.spec.template.spec.activeDeadlineSeconds = 30),
      expect: ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported'],
    },
    {
      name: 'an invalid pod template (validated since 1.34)',
      patch: (s) => (s.spec.template.spec.containers[0].image = ''),
      expect: ['spec.template.spec.containers[0].image: Required value'],
    },
    {
      name: 'a claim template without access modes or storage (validated since 1.34)',
      patch: (s) => (s.spec.volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: {} }]),
      expect: ['spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required', 'spec.volumeClaimTemplates[0].spec.resources[storage]: Required value'],
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      assert.deepEqual(show(validateStatefulSet(realistic(c.patch))), c.expect);
    });
  }
});

describe('validateStatefulSet on update', () => {
  it('accepts changes to replicas, template, updateStrategy, minReadySeconds, ordinals and the retention policy', () => {
    const old = realistic();
    const next = realistic((s) => {
      s.spec.replicas = 7;
      s.spec.template.spec.containers[0].image = 'postgres:17';
      s.spec.updateStrategy = { type: 'OnDelete' };
      s.spec.minReadySeconds = 0;
      s.spec.ordinals = { start: 2 };
      s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
    });
    assert.deepEqual(show(validateStatefulSet(next, old)), []);
  });

  for (const [field, patch] of [
    ['serviceName', (s: StatefulSet) => (s.spec.serviceName = 'other')],
    ['podManagementPolicy', (s: StatefulSet) => (s.spec.podManagementPolicy = 'Parallel')],
    ['volumeClaimTemplates', (s: StatefulSet) => (s.spec.volumeClaimTemplates = [])],
    ['revisionHistoryLimit', (s: StatefulSet) => (s.spec.revisionHistoryLimit = 3)],
  ] as const) {
    it(`forbids changing ${field}`, () => {
      assert.deepEqual(show(validateStatefulSet(realistic(patch), realistic())), [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ]);
    });
  }

  it('ratchets: a stored invalid serviceName or pod template does not block other updates', () => {
    const old = realistic((s) => {
      s.spec.serviceName = 'Bad_Name';
      s.spec.template.spec.containers[0].image = '';
    });
    const next = realistic((s) => {
      s.spec.serviceName = 'Bad_Name';
      s.spec.template.spec.containers[0].image = '';
      s.spec.replicas = 5;
    });
    assert.deepEqual(show(validateStatefulSet(next, old)), []);
    // A valid stored template may not become invalid.
    assert.deepEqual(show(validateStatefulSet(next, realistic((s) => (s.spec.serviceName = 'Bad_Name')))), ['spec.template.spec.containers[0].image: Required value']);
  });
});
