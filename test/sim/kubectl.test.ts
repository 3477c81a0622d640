/**
 * kubectl's client-side logic: the three-way patch of `kubectl apply` (alone and through the
 * executor against a live API server) and the revision `kubectl rollout undo` goes back to.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { planRollback, threeWayMergePatch } from '../../src/sim/kubectl.js';
import { deploymentManifest, target, tinyCluster } from './harness.js';

describe('threeWayMergePatch', () => {
  it('deletes (null) a field the last applied manifest had and the new one drops', () => {
    const original = { spec: { replicas: 3, minReadySeconds: 5 } };
    const modified = { spec: { replicas: 3 } };
    const current = { spec: { replicas: 3, minReadySeconds: 5, revisionHistoryLimit: 10 } };
    assert.deepEqual(threeWayMergePatch(original, modified, current), { spec: { minReadySeconds: null } });
  });

  it('leaves alone a field only another writer set (replicas after kubectl scale)', () => {
    const manifest = { spec: { template: { image: 'a' } } };
    const current = { spec: { replicas: 7, template: { image: 'a' } } };
    assert.deepEqual(threeWayMergePatch(manifest, manifest, current), {});
    assert.deepEqual(threeWayMergePatch(manifest, { spec: { template: { image: 'b' } } }, current), { spec: { template: { image: 'b' } } });
  });

  it('resets a field the manifest does mention to the manifest value, whoever changed it', () => {
    const manifest = { spec: { replicas: 3 } };
    assert.deepEqual(threeWayMergePatch(manifest, manifest, { spec: { replicas: 7 } }), { spec: { replicas: 3 } });
  });

  it('is empty when nothing changed, even against server defaults and status', () => {
    const manifest = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 3 } };
    const current = { metadata: { name: 'web', labels: { app: 'web' }, uid: 'u', resourceVersion: '9' }, spec: { replicas: 3, paused: false }, status: { replicas: 3 } };
    assert.deepEqual(threeWayMergePatch(manifest, manifest, current), {});
  });

  it('deletes a nested map key without touching its siblings', () => {
    const original = { metadata: { labels: { app: 'web', tier: 'fe' } } };
    const modified = { metadata: { labels: { app: 'web' } } };
    const current = { metadata: { labels: { app: 'web', tier: 'fe', added: 'by-someone' } } };
    assert.deepEqual(threeWayMergePatch(original, modified, current), { metadata: { labels: { tier: null } } });
  });

  it('replaces lists whole, as JSON merge patch does', () => {
    const original = { ports: [{ port: 80 }, { port: 443 }] };
    const modified = { ports: [{ port: 80 }] };
    assert.deepEqual(threeWayMergePatch(original, modified, original), { ports: [{ port: 80 }] });
  });

  it('without a last applied manifest (first apply onto an existing object) deletes nothing', () => {
    assert.deepEqual(threeWayMergePatch(undefined, { spec: { a: 1 } }, { spec: { a: 1, b: 2 } }), {});
  });

  it('does not null a removed field that is already gone from the live object', () => {
    assert.deepEqual(threeWayMergePatch({ spec: { a: 1 } }, { spec: {} }, { spec: {} }), {});
  });

  it('returns a patch that shares nothing with the manifest', () => {
    const modified = { spec: { list: [{ a: 1 }] } };
    const patch = threeWayMergePatch({}, modified, {}) as { spec: { list: { a: number }[] } };
    assert.notEqual(patch.spec.list, modified.spec.list);
    assert.deepEqual(patch, modified);
  });
});

describe('kubectl apply through the executor', () => {
  it('removes from the live object a field dropped from the manifest between two applies', () => {
    const first = deploymentManifest('web', { replicas: 2, extra: { progressDeadlineSeconds: 120 } });
    first.metadata.labels = { app: 'web', tier: 'fe' };
    const h = tinyCluster({ manifests: [first] });
    h.runTo(5);
    assert.equal(h.deployment().spec.progressDeadlineSeconds, 120);
    const second = deploymentManifest('web', { replicas: 2 });
    second.metadata.labels = { app: 'web' };
    h.act({ type: 'apply', manifest: second });
    const d = h.deployment();
    assert.deepEqual(d.metadata.labels, { app: 'web' });
    // Removed from the manifest, the field is deleted and the API server defaults it again.
    assert.equal(d.spec.progressDeadlineSeconds, 600);
  });

  it('keeps replicas set by a scale action when the manifest never mentions replicas', () => {
    const h = tinyCluster({ manifests: [deploymentManifest('web')] });
    h.runTo(5);
    assert.equal(h.deployment().spec.replicas, 1, 'defaulted to 1');
    h.act({ type: 'scale', target: target('Deployment', 'web'), replicas: 4 });
    h.runTo(10);
    h.act({ type: 'apply', manifest: deploymentManifest('web', { image: 'app:2' }) });
    const d = h.deployment();
    assert.equal(d.spec.replicas, 4);
    assert.equal(d.spec.template.spec.containers[0].image, 'app:2');
    h.runTo(40);
    assert.equal(h.livePods({ app: 'web' }).filter((p) => p.spec.containers[0].image === 'app:2').length, 4);
  });

  it('an unchanged apply writes nothing: no commit, same resourceVersion and generation', () => {
    const h = tinyCluster({ manifests: [deploymentManifest('web', { replicas: 2 })] });
    h.runTo(10);
    const before = h.deployment();
    let writes = 0;
    h.cluster.api.observe((e) => {
      if (e.object.kind === 'Deployment') writes++;
    });
    h.act({ type: 'apply', manifest: deploymentManifest('web', { replicas: 2 }) });
    assert.equal(writes, 0);
    assert.equal(h.deployment(), before, 'the very same stored object');
    assert.equal(h.deployment().metadata.generation, 1);
    assert.equal(h.events('Action').length, 1, 'the action is still recorded');
  });

  it('a changed template bumps the generation once and starts a rollout', () => {
    const h = tinyCluster({ manifests: [deploymentManifest('web', { replicas: 2 })] });
    h.runTo(10);
    h.act({ type: 'apply', manifest: deploymentManifest('web', { replicas: 2, image: 'app:2' }) });
    assert.equal(h.deployment().metadata.generation, 2);
    h.runTo(40);
    assert.equal(h.deployment().metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.deepEqual(h.livePods({ app: 'web' }).map((p) => p.spec.containers[0].image), ['app:2', 'app:2']);
  });
});

// ---------------------------------------------------------------------------------------------
// rollout undo

const REVISION = 'deployment.kubernetes.io/revision';

function template(image: string, hash?: string): Deployment['spec']['template'] {
  return { metadata: { labels: { app: 'web', ...(hash !== undefined ? { 'pod-template-hash': hash } : {}) } }, spec: { containers: [{ name: 'app', image }] } };
}

function deployment(image: string, paused = false): Deployment {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'd1' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template(image), paused } };
}

function rs(revision: string | undefined, image: string, annotations: Record<string, string> = {}): ReplicaSet {
  const hash = `h${image.replace(/\W/g, '')}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `web-${hash}`, namespace: 'default', annotations: { ...(revision !== undefined ? { [REVISION]: revision } : {}), ...annotations } },
    spec: { replicas: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: template(image, hash) },
  } as ReplicaSet;
}

describe('planRollback (kubectl rollout undo)', () => {
  const history = [rs('3', 'app:3'), rs('1', 'app:1'), rs('2', 'app:2')];

  it('with toRevision 0 goes to the second-highest revision, whatever the list order', () => {
    const plan = planRollback(deployment('app:3'), history, 0);
    assert.equal(plan.kind, 'rollback');
    assert.equal(plan.kind === 'rollback' && plan.revision, 2);
    assert.equal(plan.kind === 'rollback' && plan.template.spec.containers[0].image, 'app:2');
  });

  it('with toRevision N goes to revision N', () => {
    const plan = planRollback(deployment('app:3'), history, 1);
    assert.equal(plan.kind === 'rollback' && plan.revision, 1);
    assert.equal(plan.kind === 'rollback' && plan.template.spec.containers[0].image, 'app:1');
  });

  it('drops the pod-template-hash label from the restored template and leaves the ReplicaSet untouched', () => {
    const plan = planRollback(deployment('app:3'), history, 1);
    assert.ok(plan.kind === 'rollback');
    assert.deepEqual(plan.template.metadata?.labels, { app: 'web' });
    assert.equal(history[1].spec.template.metadata?.labels?.['pod-template-hash'], 'happ1');
  });

  it('copies the ReplicaSet annotations except kubectl and controller bookkeeping', () => {
    const annotated = [
      rs('1', 'app:1', {
        'kubernetes.io/change-cause': 'v1',
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
        'deployment.kubernetes.io/revision-history': '1',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      }),
      rs('2', 'app:2'),
    ];
    const plan = planRollback(deployment('app:2'), annotated, 0);
    assert.ok(plan.kind === 'rollback');
    assert.deepEqual(plan.annotations, { 'kubernetes.io/change-cause': 'v1' });
  });

  it('replaces the Deployment annotations: its bookkeeping ones stay, others come from the ReplicaSet', () => {
    const d = deployment('app:2');
    d.metadata.annotations = { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}', 'team': 'added-after-v1' };
    const plan = planRollback(d, [rs('1', 'app:1', { 'kubernetes.io/change-cause': 'v1' }), rs('2', 'app:2')], 0);
    assert.ok(plan.kind === 'rollback');
    assert.deepEqual(plan.annotations, {
      'deployment.kubernetes.io/revision': '2',
      'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}',
      'kubernetes.io/change-cause': 'v1',
    });
  });

  it('a revision that is not in history is an error naming it', () => {
    assert.deepEqual(planRollback(deployment('app:3'), history, 7), { kind: 'error', message: 'unable to find specified revision 7 in history' });
  });

  it('with a single revision there is no history to go back to (upstream wording)', () => {
    const plan = planRollback(deployment('app:1'), [rs('1', 'app:1')], 0);
    assert.deepEqual(plan, { kind: 'error', message: 'no rollout history found for deployment "web"' });
    // A malformed revision annotation is not history (upstream: strconv.ParseInt fails).
    assert.equal(planRollback(deployment('app:1'), [rs('1', 'app:1'), rs('x', 'app:3')], 0).kind, 'error');
  });

  it('a paused Deployment is refused with the command that fixes it', () => {
    const plan = planRollback(deployment('app:3', true), history, 0);
    assert.equal(plan.kind, 'error');
    assert.match(plan.kind === 'error' ? plan.message : '', /you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment\/web'/);
  });

  it('is skipped when the current template already matches the revision (ignoring the hash label)', () => {
    assert.deepEqual(planRollback(deployment('app:3'), history, 3), { kind: 'skipped', revision: 3 });
  });
});
