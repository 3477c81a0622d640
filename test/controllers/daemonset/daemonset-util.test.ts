/**
 * Upstream vectors of pkg/controller/daemon/util/daemonset_util_test.go (IsPodUpdated,
 * CreatePodTemplate, ReplaceDaemonSetPodNodeNameNodeAffinity, GetTargetNodeName) against
 * src/controllers/daemonset/daemonset-util.ts, plus the daemon tolerations and the budgets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet } from '../../../src/api/types/daemonset.js';
import type { Affinity, Pod, PodSpec } from '../../../src/api/types/pod.js';
import {
  addOrUpdateDaemonPodTolerations,
  allowsSurge,
  createPodTemplate,
  getTargetNodeName,
  isPodUpdated,
  replaceDaemonSetPodNodeNameNodeAffinity,
  surgeCount,
  unavailableCount,
} from '../../../src/controllers/daemonset/daemonset-util.js';
import { loadVectors } from '../deployment/builders.js';
import { newDaemonSet } from './harness.js';

const VECTORS = new URL('./vectors.json', import.meta.url);

function pod(labels: Record<string, string> | null, spec: Partial<PodSpec> = {}): Pod {
  const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod1', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'foo/bar' }], ...spec } };
  if (labels !== null) p.metadata.labels = labels;
  return p;
}

describe('daemonset-is-pod-updated vectors', () => {
  const vectors = loadVectors(VECTORS, 'daemonset-is-pod-updated');
  it('has the 10 upstream vectors', () => assert.equal(vectors.length, 10));
  for (const v of vectors) {
    it(v.test_name, () => {
      assert.equal(isPodUpdated(pod(v.inputs.podLabels), v.inputs.hash, v.inputs.templateGeneration), v.expected.isUpdated);
    });
  }
});

describe('daemonset-create-pod-template vectors', () => {
  const vectors = loadVectors(VECTORS, 'daemonset-create-pod-template');
  it('has the 2 upstream vectors', () => assert.equal(vectors.length, 2));
  for (const v of vectors) {
    it(v.test_name, () => {
      const template = createPodTemplate({ spec: { containers: [] } }, v.inputs.templateGeneration, v.inputs.hash);
      assert.equal(template.metadata?.labels?.['pod-template-generation'], v.expected.generationLabel);
      assert.equal(template.metadata?.labels?.['controller-revision-hash'], v.expected.hashLabel ?? undefined);
    });
  }
  it('leaves the template it was given alone and adds the daemon tolerations', () => {
    const original = { metadata: { labels: { app: 'a' } }, spec: { containers: [], tolerations: [{ key: 'x', operator: 'Exists' as const }] } };
    const template = createPodTemplate(original, 3, 'h');
    assert.deepEqual(original.metadata.labels, { app: 'a' });
    assert.equal(original.spec.tolerations.length, 1);
    assert.equal(template.spec.tolerations?.length, 7);
    assert.deepEqual(template.metadata?.labels, { app: 'a', 'pod-template-generation': '3', 'controller-revision-hash': 'h' });
  });
});

describe('daemonset-replace-node-affinity vectors', () => {
  const vectors = loadVectors(VECTORS, 'daemonset-replace-node-affinity');
  it('has the 8 upstream vectors', () => assert.equal(vectors.length, 8));
  for (const v of vectors) {
    it(v.test_name, () => {
      const input = v.inputs.affinity === null ? undefined : (structuredClone(v.inputs.affinity) as Affinity);
      const before = structuredClone(input);
      assert.deepEqual(replaceDaemonSetPodNodeNameNodeAffinity(input, v.inputs.hostname), v.expected.affinity);
      assert.deepEqual(input, before, 'the input is not modified');
    });
  }
});

describe('daemonset-target-node-name vectors', () => {
  const vectors = loadVectors(VECTORS, 'daemonset-target-node-name');
  it('has the 4 upstream vectors', () => assert.equal(vectors.length, 4));
  for (const v of vectors) {
    it(v.test_name, () => {
      assert.equal(getTargetNodeName(pod({}, v.inputs.podSpec)), v.expected.nodeName ?? undefined);
    });
  }
});

describe('addOrUpdateDaemonPodTolerations', () => {
  it('replaces a matching toleration in place (the not-ready one loses its tolerationSeconds)', () => {
    const tolerations = addOrUpdateDaemonPodTolerations({
      containers: [],
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    });
    assert.deepEqual(tolerations.slice(0, 2), [
      { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    ]);
    assert.equal(tolerations.length, 7);
  });

  it('adds network-unavailable only for hostNetwork pods', () => {
    const keys = (spec: PodSpec): string[] => addOrUpdateDaemonPodTolerations(spec).map((t) => t.key ?? '');
    assert.ok(!keys({ containers: [] }).includes('node.kubernetes.io/network-unavailable'));
    assert.equal(keys({ containers: [], hostNetwork: true }).at(-1), 'node.kubernetes.io/network-unavailable');
  });
});

describe('SurgeCount, UnavailableCount, AllowsSurge', () => {
  const ds = (maxUnavailable: number | string, maxSurge?: number | string): DaemonSet => newDaemonSet('ds', { maxUnavailable, maxSurge });
  const cases: { name: string; ds: DaemonSet; nodes: number; surge: number; unavailable: number; allows: boolean }[] = [
    { name: 'integers', ds: ds(2), nodes: 10, surge: 0, unavailable: 2, allows: false },
    { name: 'maxUnavailable percent rounds up', ds: ds('25%'), nodes: 5, surge: 0, unavailable: 2, allows: false },
    { name: 'maxSurge percent rounds up; 1% of one node allows surge', ds: ds(0, '1%'), nodes: 150, surge: 2, unavailable: 0, allows: true },
    { name: 'maxSurge 0%', ds: ds(1, '0%'), nodes: 10, surge: 0, unavailable: 1, allows: false },
    { name: 'OnDelete has no budgets', ds: newDaemonSet('ds', { onDelete: true }), nodes: 10, surge: 0, unavailable: 0, allows: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual([surgeCount(c.ds, c.nodes), unavailableCount(c.ds, c.nodes), allowsSurge(c.ds)], [c.surge, c.unavailable, c.allows]);
    });
  }
});
