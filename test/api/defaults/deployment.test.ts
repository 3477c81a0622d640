import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultDeployment, defaulters } from '../../../src/api/defaults/index.js';
import type { Deployment } from '../../../src/api/types/index.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function minimal(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
      },
    },
  };
}

const DEFAULTED_TEMPLATE_SPEC = {
  containers: [
    {
      name: 'web',
      image: 'nginx:1.25',
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  schedulerName: 'default-scheduler',
  securityContext: {},
  enableServiceLinks: true,
};

describe('defaultDeployment', () => {
  it('fills every apps/v1 default of a minimal manifest', () => {
    const obj = minimal();
    defaultDeployment(obj);
    assert.deepEqual(obj.spec, {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { metadata: { labels: { app: 'web' } }, spec: DEFAULTED_TEMPLATE_SPEC },
    });
    assert.equal(obj.spec.minReadySeconds, undefined, 'minReadySeconds stays absent (omitempty 0)');
    assert.equal(obj.spec.paused, undefined);
  });

  const explicit: { name: string; patch: (d: Deployment) => void; check: (d: Deployment) => void }[] = [
    { name: 'replicas 0', patch: (d) => (d.spec.replicas = 0), check: (d) => assert.equal(d.spec.replicas, 0) },
    {
      name: 'revisionHistoryLimit 0',
      patch: (d) => (d.spec.revisionHistoryLimit = 0),
      check: (d) => assert.equal(d.spec.revisionHistoryLimit, 0),
    },
    {
      name: 'integer maxSurge and maxUnavailable',
      patch: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: 2 } }),
      check: (d) => assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 2 } }),
    },
    {
      name: 'Recreate gets no rollingUpdate',
      patch: (d) => (d.spec.strategy = { type: 'Recreate' }),
      check: (d) => assert.deepEqual(d.spec.strategy, { type: 'Recreate' }),
    },
    {
      name: 'progressDeadlineSeconds 30 and minReadySeconds 5',
      patch: (d) => Object.assign(d.spec, { progressDeadlineSeconds: 30, minReadySeconds: 5 }),
      check: (d) => assert.deepEqual([d.spec.progressDeadlineSeconds, d.spec.minReadySeconds], [30, 5]),
    },
    {
      name: 'terminationGracePeriodSeconds 0 and enableServiceLinks false',
      patch: (d) => Object.assign(d.spec.template.spec, { terminationGracePeriodSeconds: 0, enableServiceLinks: false }),
      check: (d) => {
        assert.equal(d.spec.template.spec.terminationGracePeriodSeconds, 0);
        assert.equal(d.spec.template.spec.enableServiceLinks, false);
      },
    },
    {
      name: 'imagePullPolicy Never',
      patch: (d) => (d.spec.template.spec.containers[0].imagePullPolicy = 'Never'),
      check: (d) => assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'Never'),
    },
  ];
  for (const { name, patch, check } of explicit) {
    it(`keeps an explicit ${name}`, () => {
      const obj = minimal();
      patch(obj);
      defaultDeployment(obj);
      check(obj);
    });
  }

  it('is idempotent and never writes to a frozen defaulted object', () => {
    const once = minimal();
    defaultDeployment(once);
    const snapshot = structuredClone(once);
    const frozen = deepFreeze(once);
    assert.doesNotThrow(() => defaultDeployment(frozen));
    assert.deepEqual(frozen, snapshot);
  });

  it('is registered for dispatch by kind', () => {
    assert.equal(defaulters.Deployment, defaultDeployment);
    assert.deepEqual(Object.keys(defaulters).sort(), ['CronJob', 'DaemonSet', 'Deployment', 'EndpointSlice', 'HorizontalPodAutoscaler', 'Job', 'Node', 'PersistentVolumeClaim', 'Pod', 'ReplicaSet', 'Service', 'StatefulSet']);
  });
});
