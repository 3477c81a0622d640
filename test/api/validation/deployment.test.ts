import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultDeployment } from '../../../src/api/defaults/index.js';
import { type FieldError, formatFieldError } from '../../../src/api/field-errors.js';
import type { Deployment } from '../../../src/api/types/index.js';
import { validateDeployment, validators } from '../../../src/api/validation/index.js';

/** A realistic manifest, defaulted as the API server would before validating. */
function realistic(patch: (d: Deployment) => void = () => {}): Deployment {
  const obj: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'checkout-api',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'checkout', tier: 'backend' },
      annotations: { 'deployment.kubernetes.io/revision': '3', 'example.com/owner': 'team-payments' },
    },
    spec: {
      replicas: 6,
      minReadySeconds: 10,
      selector: { matchLabels: { app: 'checkout' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['stable', 'canary'] }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: '10%' } },
      template: {
        metadata: { labels: { app: 'checkout', track: 'stable' }, annotations: { 'prometheus.io/scrape': 'true' } },
        spec: {
          terminationGracePeriodSeconds: 45,
          initContainers: [{ name: 'migrate', image: 'registry.example.com/checkout-migrate:4.2.0' }],
          containers: [
            {
              name: 'api',
              image: 'registry.example.com/checkout:4.2.0',
              ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }],
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/live', port: 8080 }, initialDelaySeconds: 15, failureThreshold: 5 },
              startupProbe: { tcpSocket: { port: 8080 }, failureThreshold: 30 },
              lifecycle: { preStop: { sleep: { seconds: 5 } } },
            },
          ],
          tolerations: [
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
            { key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' },
          ],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] }],
              },
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 50, preference: { matchExpressions: [{ key: 'example.com/cpu-gen', operator: 'Gt', values: ['3'] }] } },
              ],
            },
          },
          nodeSelector: { 'kubernetes.io/os': 'linux' },
        },
      },
    },
  };
  patch(obj);
  defaultDeployment(obj);
  return obj;
}

const show = (errors: readonly FieldError[]): string[] => errors.map(formatFieldError);

describe('validateDeployment', () => {
  it('accepts a valid realistic manifest', () => {
    assert.deepEqual(show(validateDeployment(realistic())), []);
    assert.deepEqual(show(validators.Deployment(realistic())), []);
  });

  const cases: { name: string; patch: (d: Deployment) => void; expect: string[] }[] = [
    {
      name: 'maxSurge 0 and maxUnavailable 0',
      patch: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
      expect: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'maxSurge "0%" and maxUnavailable "0%"',
      patch: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } }),
      expect: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'negative replicas',
      patch: (d) => (d.spec.replicas = -1),
      expect: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'selector not matching the template labels',
      patch: (d) => (d.spec.template.metadata = { labels: { app: 'cart', track: 'stable' } }),
      expect: [
        'spec.template.metadata.labels: Invalid value: {"app":"cart","track":"stable"}: `selector` does not match template `labels`',
      ],
    },
    {
      name: 'missing selector',
      patch: (d) => delete (d.spec as Partial<Deployment['spec']>).selector,
      expect: [
        'spec.selector: Required value',
        'spec.template.metadata.labels: Invalid value: {"app":"checkout","track":"stable"}: `selector` does not match template `labels`',
      ],
    },
    {
      name: 'empty selector',
      patch: (d) => (d.spec.selector = {}),
      expect: ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    },
    {
      name: 'bad cpu quantity',
      patch: (d) => (d.spec.template.spec.containers[0].resources = { limits: { cpu: 'two' } }),
      expect: [
        "spec.template.spec.containers[0].resources.limits[cpu]: Invalid value: \"two\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        "spec.template.spec.containers[0].resources.requests[cpu]: Invalid value: \"two\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      ],
    },
    {
      name: 'requests above limits',
      patch: (d) => (d.spec.template.spec.containers[0].resources = { requests: { cpu: '2' }, limits: { cpu: '1' } }),
      expect: ['spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    },
    {
      name: 'duplicate container names',
      patch: (d) => d.spec.template.spec.containers.push({ name: 'api', image: 'sidecar:1' }),
      expect: ['spec.template.spec.containers[1].name: Duplicate value: "api"'],
    },
    {
      name: 'container name colliding with an init container',
      patch: (d) => (d.spec.template.spec.initContainers![0].name = 'api'),
      expect: ['spec.template.spec.initContainers[0].name: Duplicate value: "api"'],
    },
    {
      name: 'bad label value in the template',
      patch: (d) => (d.spec.template.metadata!.labels!.owner = 'team payments'),
      expect: [
        'spec.template.labels: Invalid value: "team payments": a valid label must be an empty string or consist of alphanumeric ' +
          "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', " +
          "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    },
    {
      name: 'restartPolicy OnFailure',
      patch: (d) => (d.spec.template.spec.restartPolicy = 'OnFailure'),
      expect: ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    },
    {
      name: 'Recreate with rollingUpdate',
      patch: (d) => (d.spec.strategy!.type = 'Recreate'),
      expect: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    },
    {
      name: 'unsupported strategy type',
      patch: (d) => (d.spec.strategy = { type: 'BlueGreen' as 'Recreate' }),
      expect: ['spec.strategy: Unsupported value: {"type":"BlueGreen"}: supported values: "Recreate", "RollingUpdate"'],
    },
    {
      name: 'maxUnavailable above 100% and a negative maxSurge',
      patch: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: -1, maxUnavailable: '110%' } }),
      expect: [
        'spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0',
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "110%": must not be greater than 100%',
      ],
    },
    {
      name: 'a malformed percentage',
      patch: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: '-5%', maxUnavailable: 1 } }),
      expect: [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"-5%\": a valid percent string must be a numeric string followed by an ending '%' " +
          "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ],
    },
    {
      name: 'negative minReadySeconds and revisionHistoryLimit',
      patch: (d) => Object.assign(d.spec, { minReadySeconds: -1, revisionHistoryLimit: -2 }),
      expect: [
        'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
        'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0',
      ],
    },
    {
      name: 'progressDeadlineSeconds not above minReadySeconds',
      patch: (d) => Object.assign(d.spec, { minReadySeconds: 600, progressDeadlineSeconds: 600 }),
      expect: ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
    },
    {
      name: 'an invalid name',
      patch: (d) => (d.metadata.name = 'Checkout_API'),
      expect: [
        'metadata.name: Invalid value: "Checkout_API": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric ' +
          "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for " +
          "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    },
  ];
  for (const { name, patch, expect } of cases) {
    it(`rejects ${name}`, () => {
      assert.deepEqual(show(validateDeployment(realistic(patch))).sort(), [...expect].sort());
    });
  }

  it('rejects a selector change on update but allows other changes', () => {
    const old = realistic();
    const scaled = realistic((d) => (d.spec.replicas = 20));
    assert.deepEqual(validateDeployment(scaled, old), []);
    const moved = realistic((d) => {
      d.spec.selector = { matchLabels: { app: 'checkout', track: 'stable' } };
    });
    assert.deepEqual(show(validateDeployment(moved, old)), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"checkout","track":"stable"}}: field is immutable',
    ]);
  });

  it('rejects a renamed object on update', () => {
    const renamed = realistic((d) => (d.metadata.name = 'checkout-api-2'));
    assert.deepEqual(show(validateDeployment(renamed, realistic())), [
      'metadata.name: Invalid value: "checkout-api-2": field is immutable',
    ]);
  });
});
