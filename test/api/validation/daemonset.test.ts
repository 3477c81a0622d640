/**
 * apps/v1 DaemonSet validation (ValidateDaemonSet[Update], ValidateDaemonSetUpdateStrategy,
 * ValidateRollingUpdateDaemonSet): a realistic manifest passes; each rule reports upstream's path
 * and message on a defaulted object; the selector is immutable on update.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultDaemonSet } from '../../../src/api/defaults/index.js';
import { type FieldError, formatFieldError } from '../../../src/api/field-errors.js';
import type { DaemonSet } from '../../../src/api/types/index.js';
import { validateDaemonSet, validators } from '../../../src/api/validation/index.js';

function realistic(patch: (d: DaemonSet) => void = () => {}): DaemonSet {
  const obj: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'node-exporter', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'node-exporter' } },
    spec: {
      selector: { matchLabels: { app: 'node-exporter' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      minReadySeconds: 5,
      template: {
        metadata: { labels: { app: 'node-exporter', tier: 'monitoring' } },
        spec: {
          hostNetwork: true,
          tolerations: [{ operator: 'Exists' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'node-exporter',
              image: 'quay.io/prometheus/node-exporter:v1.8.2',
              ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100 }],
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              readinessProbe: { httpGet: { path: '/', port: 9100 } },
            },
          ],
        },
      },
    },
  };
  patch(obj);
  defaultDaemonSet(obj);
  return obj;
}

const show = (errors: readonly FieldError[]): string[] => errors.map(formatFieldError);

describe('validateDaemonSet', () => {
  it('accepts a valid realistic manifest (also through the validators table)', () => {
    assert.deepEqual(show(validateDaemonSet(realistic())), []);
    assert.deepEqual(show(validators.DaemonSet(realistic())), []);
    assert.deepEqual(show(validateDaemonSet(realistic((d) => (d.spec.updateStrategy = { type: 'OnDelete' })))), []);
    assert.deepEqual(show(validateDaemonSet(realistic((d) => (d.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } })))), []);
  });

  const cases: { name: string; patch: (d: DaemonSet) => void; expect: string[] }[] = [
    {
      name: 'maxSurge and maxUnavailable both non-zero',
      patch: (d) => (d.spec.updateStrategy = { rollingUpdate: { maxSurge: 1 } }),
      expect: ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero'],
    },
    {
      name: 'maxSurge and maxUnavailable both zero',
      patch: (d) => (d.spec.updateStrategy = { rollingUpdate: { maxUnavailable: '0%', maxSurge: 0 } }),
      expect: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    },
    {
      name: 'percentages above 100%',
      patch: (d) => (d.spec.updateStrategy = { rollingUpdate: { maxUnavailable: '150%', maxSurge: 0 } }),
      expect: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
    },
    {
      name: 'a negative maxUnavailable',
      patch: (d) => (d.spec.updateStrategy = { rollingUpdate: { maxUnavailable: -1, maxSurge: 0 } }),
      expect: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'an unknown strategy type',
      patch: (d) => (d.spec.updateStrategy = { type: 'Recreate' as 'OnDelete' }),
      expect: ['spec.updateStrategy: Unsupported value: {"type":"Recreate"}: supported values: "RollingUpdate", "OnDelete"'],
    },
    {
      name: 'a selector that does not match the template',
      patch: (d) => (d.spec.selector = { matchLabels: { app: 'other' } }),
      expect: ['spec.template.metadata.labels: Invalid value: {"app":"node-exporter","tier":"monitoring"}: `selector` does not match template `labels`'],
    },
    {
      name: 'no selector (it matches nothing)',
      patch: (d) => delete (d.spec as Partial<DaemonSet['spec']>).selector,
      expect: ['spec.template.metadata.labels: Invalid value: {"app":"node-exporter","tier":"monitoring"}: `selector` does not match template `labels`'],
    },
    {
      name: 'an empty selector',
      patch: (d) => (d.spec.selector = {}),
      expect: ['spec.selector: Invalid value: {}: empty selector is invalid for daemonset'],
    },
    {
      name: 'restartPolicy other than Always, and activeDeadlineSeconds',
      patch: (d) => {
        d.spec.template.spec.restartPolicy = 'OnFailure';
        d.spec.template.spec.activeDeadlineSeconds = 60;
      },
      expect: [
        'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
      ],
    },
    {
      name: 'negative minReadySeconds and revisionHistoryLimit',
      patch: (d) => {
        d.spec.minReadySeconds = -1;
        d.spec.revisionHistoryLimit = -2;
      },
      expect: [
        'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
        'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0',
      ],
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => assert.deepEqual(show(validateDaemonSet(realistic(c.patch))), c.expect));
  }

  it('on update: the selector is immutable', () => {
    const old = realistic();
    const changed = realistic((d) => {
      d.spec.selector = { matchLabels: { app: 'node-exporter', tier: 'monitoring' } };
    });
    assert.deepEqual(show(validateDaemonSet(changed, old)), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"node-exporter","tier":"monitoring"}}: field is immutable',
    ]);
    assert.deepEqual(show(validateDaemonSet(realistic((d) => (d.spec.template.spec.containers[0].image = 'x:2')), old)), []);
  });
});
