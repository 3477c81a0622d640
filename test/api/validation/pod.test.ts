import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPod, defaultPodTemplateSpec } from '../../../src/api/defaults/index.js';
import { FieldPath, formatFieldError } from '../../../src/api/field-errors.js';
import type { Container, Pod, PodTemplateSpec } from '../../../src/api/types/index.js';
import { validatePod, validatePodTemplateSpec } from '../../../src/api/validation/index.js';

function pod(patch: (p: Pod) => void = () => {}): Pod {
  const obj: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 80 }] }] },
  };
  patch(obj);
  defaultPod(obj);
  return obj;
}

const container = (p: Pod): Container => p.spec.containers[0];
const show = (p: Pod): string[] => validatePod(p).map(formatFieldError).sort();

const cases: { name: string; patch: (p: Pod) => void; expect: string[] }[] = [
  { name: 'no containers', patch: (p) => (p.spec.containers = []), expect: ['spec.containers: Required value'] },
  {
    name: 'a missing name and image',
    patch: (p) => (p.spec.containers = [{ name: '' }]),
    expect: ['spec.containers[0].image: Required value', 'spec.containers[0].name: Required value'],
  },
  {
    name: 'a container name that is not a DNS-1123 label',
    patch: (p) => (container(p).name = 'web.server'),
    expect: ['spec.containers[0].name: Invalid value: "web.server": must not contain dots'],
  },
  {
    name: 'an image with surrounding whitespace',
    patch: (p) => (container(p).image = ' nginx '),
    expect: ['spec.containers[0].image: Invalid value: " nginx ": must not have leading or trailing whitespace'],
  },
  {
    name: 'a negative memory request',
    patch: (p) => (container(p).resources = { requests: { memory: '-1Gi' } }),
    expect: ['spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0'],
  },
  {
    name: 'an unknown unprefixed resource',
    patch: (p) => (container(p).resources = { limits: { gpu: '1' } }),
    expect: [
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ],
  },
  {
    name: 'a fractional extended resource with a different request',
    patch: (p) => (container(p).resources = { limits: { 'nvidia.com/gpu': '1' }, requests: { 'nvidia.com/gpu': '0.5' } }),
    expect: [
      'spec.containers[0].resources.requests: Invalid value: "0.5": must be equal to nvidia.com/gpu limit of 1',
      'spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: "0.5": must be an integer',
    ],
  },
  {
    name: 'a liveness probe with successThreshold 2',
    patch: (p) => (container(p).livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 }),
    expect: ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
  },
  {
    name: 'a startup probe with two handlers and negative delay',
    patch: (p) => (container(p).startupProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 }, initialDelaySeconds: -1 }),
    expect: [
      'spec.containers[0].startupProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.containers[0].startupProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    ],
  },
  {
    name: 'a readiness probe without a handler, with a grace period',
    patch: (p) => (container(p).readinessProbe = { terminationGracePeriodSeconds: 5 }),
    expect: [
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes',
    ],
  },
  {
    name: 'an httpGet probe on a bad port name',
    patch: (p) => (container(p).readinessProbe = { httpGet: { port: 'HTTP-' } }),
    expect: [
      'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP-": must contain at least one letter (a-z)',
      'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP-": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP-": must not begin or end with a hyphen',
    ],
  },
  {
    name: 'a preStop sleep longer than the grace period',
    patch: (p) => (container(p).lifecycle = { preStop: { sleep: { seconds: 60 } } }),
    expect: [
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)',
    ],
  },
  {
    name: 'a negative terminationGracePeriodSeconds',
    patch: (p) => (p.spec.terminationGracePeriodSeconds = -5),
    expect: ['spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0'],
  },
  {
    name: 'duplicate port names and an out-of-range port',
    patch: (p) => container(p).ports!.push({ name: 'http', containerPort: 70000 }),
    expect: [
      'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].name: Duplicate value: "http"',
    ],
  },
  {
    name: 'conflicting host ports',
    patch: (p) =>
      p.spec.containers.push(
        { name: 'b', image: 'b', ports: [{ containerPort: 81, hostPort: 8080 }] },
        { name: 'c', image: 'c', ports: [{ containerPort: 82, hostPort: 8080 }] },
      ),
    expect: ['spec.containers[2].ports[0].hostPort: Duplicate value: "TCP//8080"'],
  },
  {
    name: 'an init container with a probe, and a regular container with restartPolicy',
    patch: (p) => {
      p.spec.initContainers = [{ name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }];
      container(p).restartPolicy = 'Always';
    },
    expect: [
      'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
      'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ],
  },
  {
    name: 'tolerations breaking each rule',
    patch: (p) =>
      (p.spec.tolerations = [
        { operator: 'Equal', value: 'x' },
        { key: 'a', operator: 'Exists', value: 'v' },
        { key: 'b', value: 'v', effect: 'NoSchedule', tolerationSeconds: 10 },
        { key: 'c', operator: 'Exists', effect: 'Sometimes' as 'NoSchedule' },
      ]),
    expect: [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      'spec.tolerations[1].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[2].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      'spec.tolerations[3].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
  },
  {
    name: 'node affinity with bad operators, Gt values and match fields',
    patch: (p) =>
      (p.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'zone', operator: 'Near' as 'In' }, { key: 'cores', operator: 'Gt', values: ['many'] }] },
              { matchFields: [{ key: 'metadata.labels', operator: 'Exists' }] },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 0, preference: { matchExpressions: [{ key: 'ssd', operator: 'Lt', values: ['1', '2'] }] } },
          ],
        },
      }),
    expect: [
      "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values[0]: Invalid value: \"many\": for 'Gt', 'Lt' operators, the value must be an integer",
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchFields[0].key: Invalid value: "metadata.labels": not a valid field selector key',
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchFields[0].operator: Invalid value: "Exists": not a valid selector operator',
    ],
  },
  {
    name: 'an empty required node selector',
    patch: (p) => (p.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
    expect: [
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: ' +
        'must have at least one node selector term',
    ],
  },
  {
    name: 'unsupported restart and DNS policies',
    patch: (p) => Object.assign(p.spec, { restartPolicy: 'Sometimes', dnsPolicy: 'Public' }),
    expect: [
      'spec.dnsPolicy: Unsupported value: "Public": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
  },
  {
    name: 'activeDeadlineSeconds 0 and an invalid hostname',
    patch: (p) => Object.assign(p.spec, { activeDeadlineSeconds: 0, hostname: 'web_0' }),
    expect: [
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
      "spec.hostname: Invalid value: \"web_0\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ],
  },
  {
    name: 'a pod host port differing from its container port under hostNetwork',
    patch: (p) => {
      p.spec.hostNetwork = true;
      container(p).ports = [{ containerPort: 80, hostPort: 8080 }];
    },
    expect: ['spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true'],
  },
];

describe('validatePod', () => {
  it('accepts a defaulted pod', () => {
    assert.deepEqual(show(pod()), []);
  });

  for (const { name, patch, expect } of cases) {
    it(`rejects ${name}`, () => {
      assert.deepEqual(show(pod(patch)), [...expect].sort());
    });
  }

  it('requires the defaults it runs after', () => {
    const raw: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'raw', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'c' }] },
    };
    assert.deepEqual(validatePod(raw).map((e) => `${e.field}: ${e.type}`).sort(), [
      'spec.containers[0].imagePullPolicy: Required',
      'spec.containers[0].terminationMessagePolicy: Required',
      'spec.dnsPolicy: Required',
      'spec.restartPolicy: Required',
      'spec.terminationGracePeriodSeconds: Required',
    ]);
  });
});

describe('validatePod on pods that share their template\'s objects', () => {
  // A pod's spec is its template's until it is bound (a copy with nodeName) or, in an Indexed
  // Job, given its own hostname; validation remembers a spec's errors for such copies.
  const template = (patch: (p: Pod) => void = () => {}): Pod['spec'] => pod(patch).spec;
  const copy = (spec: Pod['spec'], fields: Partial<Pod['spec']>): Pod => ({ ...pod(), spec: { ...spec, ...fields } });
  const errorsOf = (p: Pod): string[] => validatePod(p).map(formatFieldError).sort();

  it('finds a bound copy of a valid spec valid, and a copy bound to a bad node name not', () => {
    const spec = template();
    assert.deepEqual(errorsOf({ ...pod(), spec }), []);
    assert.deepEqual(errorsOf(copy(spec, { nodeName: 'pool-a-1' })), []);
    assert.deepEqual(errorsOf(copy(spec, { nodeName: 'pool-a-2', hostname: 'web-2' })), []);
    assert.deepEqual(errorsOf(copy(spec, { nodeName: 'Pool_A' })), [
      "spec.nodeName: Invalid value: \"Pool_A\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });

  it('takes tolerations by content: equal ones keep the answer, a bad one is found', () => {
    const spec = template();
    const toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 } as const;
    assert.deepEqual(errorsOf(copy(spec, { tolerations: [{ ...toleration }] })), []);
    assert.deepEqual(errorsOf(copy(spec, { hostname: 'web-1', tolerations: [{ ...toleration }] })), []);
    assert.deepEqual(errorsOf(copy(spec, { hostname: 'web-2', tolerations: [{ ...toleration, effect: 'NoSchedule' }] })), [
      "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
    ]);
  });

  it('keeps a template\'s errors on its copies, and finds a copy\'s own', () => {
    const spec = template((p) => (p.spec.dnsPolicy = 'Sometimes' as Pod['spec']['dnsPolicy']));
    const dnsError = 'spec.dnsPolicy: Unsupported value: "Sometimes": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"';
    assert.deepEqual(errorsOf({ ...pod(), spec }), [dnsError]);
    assert.deepEqual(errorsOf(copy(spec, { nodeName: 'pool-a-1' })), [dnsError]);
    // The same containers, another field changed: validated in full.
    assert.deepEqual(errorsOf(copy(spec, { nodeName: 'pool-a-1', dnsPolicy: 'ClusterFirst' })), []);
    assert.deepEqual(errorsOf(copy(spec, { activeDeadlineSeconds: 0 })), [
      dnsError,
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
    ].sort());
  });
});

describe('validatePodTemplateSpec', () => {
  it('reports template labels at template.labels and lets a template leave host ports unset', () => {
    const template: PodTemplateSpec = {
      metadata: { labels: { 'bad key': 'x' } },
      spec: { hostNetwork: true, containers: [{ name: 'c', image: 'c', ports: [{ containerPort: 80 }] }] },
    };
    defaultPodTemplateSpec(template);
    delete template.spec.containers[0].ports![0].hostPort;
    const errors = validatePodTemplateSpec(template, FieldPath.root('template')).map((e) => e.field);
    assert.deepEqual(errors, ['template.labels']);
  });
});
