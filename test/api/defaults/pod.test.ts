import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPod, defaultPodTemplateSpec, imageTag } from '../../../src/api/defaults/pod.js';
import type { Container, Pod, PodTemplateSpec } from '../../../src/api/types/index.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function pod(...containers: Container[]): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers } };
}

describe('imageTag and imagePullPolicy', () => {
  const cases: [image: string, tag: string, policy: string][] = [
    ['nginx', 'latest', 'Always'],
    ['nginx:latest', 'latest', 'Always'],
    ['nginx:1.25', '1.25', 'IfNotPresent'],
    ['localhost:5000/nginx', 'latest', 'Always'],
    ['localhost:5000/team/nginx:2', '2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef', '', 'IfNotPresent'],
    ['nginx:latest@sha256:0123456789abcdef', 'latest', 'Always'],
  ];
  for (const [image, tag, policy] of cases) {
    it(`${image} → tag "${tag}", ${policy}`, () => {
      assert.equal(imageTag(image), tag);
      const p = pod({ name: 'c', image });
      defaultPod(p);
      assert.equal(p.spec.containers[0].imagePullPolicy, policy);
    });
  }
});

describe('defaultPod', () => {
  it('defaults spec, containers, init containers, ports, probes and handlers', () => {
    const p = pod({
      name: 'app',
      image: 'app:1',
      ports: [{ containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }],
      readinessProbe: { httpGet: { port: 8080 } },
      livenessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 5, periodSeconds: 0 },
      lifecycle: { preStop: { httpGet: { port: 8080, path: '/stop' } } },
    });
    p.spec.initContainers = [{ name: 'init', image: 'busybox' }];
    defaultPod(p);
    const [app] = p.spec.containers;
    assert.deepEqual(app.ports, [
      { containerPort: 8080, protocol: 'TCP' },
      { containerPort: 53, protocol: 'UDP' },
    ]);
    assert.deepEqual(app.readinessProbe, {
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    // periodSeconds 0 is upstream's zero value: defaulted like absent; initialDelaySeconds is kept.
    assert.equal(app.livenessProbe?.periodSeconds, 10);
    assert.equal(app.livenessProbe?.initialDelaySeconds, 5);
    assert.deepEqual(app.lifecycle?.preStop?.httpGet, { port: 8080, path: '/stop', scheme: 'HTTP' });
    assert.equal(p.spec.initContainers[0].imagePullPolicy, 'Always');
    assert.equal(p.spec.initContainers[0].terminationMessagePolicy, 'File');
    assert.deepEqual(
      [p.spec.restartPolicy, p.spec.dnsPolicy, p.spec.schedulerName, p.spec.terminationGracePeriodSeconds, p.spec.enableServiceLinks],
      ['Always', 'ClusterFirst', 'default-scheduler', 30, true],
    );
    assert.deepEqual(p.spec.securityContext, {});
    assert.equal(p.spec.tolerations, undefined);
  });

  it('copies limits into missing requests without touching existing requests', () => {
    const p = pod({ name: 'c', image: 'c:1', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m' } } });
    defaultPod(p);
    assert.deepEqual(p.spec.containers[0].resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m', memory: '1Gi' } });
    const noRequests = pod({ name: 'c', image: 'c:1', resources: { limits: { cpu: 2 } } });
    defaultPod(noRequests);
    assert.deepEqual(noRequests.spec.containers[0].resources?.requests, { cpu: 2 });
  });

  it('sets host ports under hostNetwork', () => {
    const p = pod({ name: 'c', image: 'c:1', ports: [{ containerPort: 9100 }] });
    p.spec.hostNetwork = true;
    defaultPod(p);
    assert.equal(p.spec.containers[0].ports?.[0].hostPort, 9100);
  });

  it('applies the same defaults to templates', () => {
    const template: PodTemplateSpec = { spec: { containers: [{ name: 'c', image: 'c', resources: { limits: { cpu: '1' } } }] } };
    const p = pod({ name: 'c', image: 'c', resources: { limits: { cpu: '1' } } });
    defaultPodTemplateSpec(template);
    defaultPod(p);
    assert.deepEqual(template.spec, p.spec);
  });

  it('is idempotent on a frozen defaulted pod', () => {
    const p = pod({ name: 'c', image: 'c', resources: { limits: { cpu: '1' } }, livenessProbe: { tcpSocket: { port: 80 } } });
    defaultPod(p);
    const snapshot = structuredClone(p);
    assert.doesNotThrow(() => defaultPod(deepFreeze(p)));
    assert.deepEqual(p, snapshot);
  });
});
