/**
 * pod-templates.ts: where each kind keeps the pod template `kubectl set image` edits — a Pod's own
 * spec, spec.template of the workloads, spec.jobTemplate.spec.template of a CronJob.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/types/meta.js';
import type { PodTemplateSpec } from '../../src/api/types/pod.js';
import { IMAGE_KINDS, podSpecOf, podTemplateOf } from '../../src/api/pod-templates.js';

const template = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image }] } });
const workload = (kind: string, image: string) => ({ apiVersion: 'v1', kind, metadata: { name: 'x' }, spec: { template: template(image) } }) as unknown as KubeObject;

describe('podTemplateOf / podSpecOf', () => {
  for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']) {
    it(`${kind}: spec.template, as a live view into the object`, () => {
      const obj = workload(kind, 'app:1');
      const t = podTemplateOf(obj);
      assert.equal(t, (obj as unknown as { spec: { template: PodTemplateSpec } }).spec.template);
      const spec = podSpecOf(obj);
      assert.ok(spec !== undefined);
      spec.containers[0].image = 'app:2';
      assert.equal((obj as unknown as { spec: { template: PodTemplateSpec } }).spec.template.spec.containers[0].image, 'app:2', 'editing the returned spec edits the object');
    });
  }

  it('CronJob: spec.jobTemplate.spec.template', () => {
    const cj = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: template('batch:1') } } } } as unknown as KubeObject;
    assert.equal(podTemplateOf(cj)?.spec.containers[0].image, 'batch:1');
    podSpecOf(cj)!.containers[0].image = 'batch:2';
    assert.equal((cj as unknown as { spec: { jobTemplate: { spec: { template: PodTemplateSpec } } } }).spec.jobTemplate.spec.template.spec.containers[0].image, 'batch:2');
  });

  it('Pod: no template, its own spec', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } as unknown as KubeObject;
    assert.equal(podTemplateOf(pod), undefined);
    assert.equal(podSpecOf(pod)?.containers[0].image, 'app:1');
  });

  it('kinds without pods (Service, Node) and workloads missing their template give undefined', () => {
    assert.equal(podSpecOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { template: template('x') } } as unknown as KubeObject), undefined, 'only kinds with a template field count');
    assert.equal(podSpecOf({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } } as KubeObject), undefined);
    assert.equal(podSpecOf({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: {} } as unknown as KubeObject), undefined);
    assert.equal(podSpecOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } } as KubeObject), undefined);
  });

  it('IMAGE_KINDS lists every kind set image accepts', () => {
    assert.deepEqual([...IMAGE_KINDS].sort(), ['CronJob', 'DaemonSet', 'Deployment', 'Job', 'Pod', 'ReplicaSet', 'StatefulSet']);
  });
});
