/**
 * Every action of scenario-format.md §6 through the ActionExecutor on a two-node cluster: the
 * cluster state it leaves, and the Action / ActionFailed event (plus run warning) it records.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constant } from '../../src/engine/distribution.js';
import type { KubeObject } from '../../src/api/types/meta.js';
import type { Pod } from '../../src/api/types/pod.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { type EventLine, type Tiny, deploymentManifest, image, podManifest, target, tinyCluster } from './harness.js';

const WEB = target('Deployment', 'web');

/** The Action and ActionFailed events, without their time. */
function outcomes(h: Tiny): Omit<EventLine, 't'>[] {
  return h.events().filter((e) => e.type === 'Action' || e.type === 'ActionFailed').map(({ t: _t, ...rest }) => rest);
}

function lastOutcome(h: Tiny): Omit<EventLine, 't'> {
  const all = outcomes(h);
  assert.ok(all.length > 0, 'no Action event recorded');
  return all[all.length - 1];
}

/** A web Deployment of `replicas` pods, settled at t = 10 s. */
function settled(replicas = 2, options: Parameters<typeof tinyCluster>[0] = {}): Tiny {
  const h = tinyCluster({ ...options, manifests: [deploymentManifest('web', { replicas }), ...(options.manifests ?? [])] });
  h.runTo(10);
  assert.equal(h.livePods({ app: 'web' }).filter((p) => p.status?.phase === 'Running').length, replicas, 'precondition: the Deployment is running');
  return h;
}

const images = (h: Tiny) => h.livePods({ app: 'web' }).map((p) => p.spec.containers[0].image).sort();

describe('apply', () => {
  it('creates an object that does not exist, and records the action about it', () => {
    const h = settled();
    h.act({ type: 'apply', manifest: deploymentManifest('api', { replicas: 1 }) });
    assert.equal(h.deployment('api').metadata.generation, 1);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Deployment', namespace: 'default', name: 'api', action: 'apply', target: 'deployment/api' });
    h.runTo(20);
    assert.equal(h.livePods({ app: 'api' }).length, 1);
  });

  it('updates an existing object, and a manifest the API server rejects fails the action only', () => {
    const h = settled();
    h.act({ type: 'apply', manifest: deploymentManifest('web', { replicas: 3 }) });
    assert.equal(h.deployment().spec.replicas, 3);
    const bad = deploymentManifest('web', { replicas: 3 });
    (bad.spec.selector as { matchLabels: Record<string, string> }).matchLabels = { app: 'other' };
    h.act({ type: 'apply', manifest: bad });
    const failed = lastOutcome(h);
    assert.equal(failed.type, 'ActionFailed');
    assert.match(String(failed.message), /^Deployment "web" is invalid: .*spec\.selector: .*field is immutable$/);
    assert.deepEqual(h.deployment().spec.selector, { matchLabels: { app: 'web' } }, 'unchanged');
  });
});

describe('apply of a kind the simulator keeps but does not serve', () => {
  it('records Action, as at t = 0 such objects are kept without error', () => {
    const h = settled();
    h.act({ type: 'apply', manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: 'b' } } as KubeObject });
    assert.equal(lastOutcome(h).type, 'Action', String(lastOutcome(h).message));
    assert.deepEqual(h.executor.warnings, []);
  });
});

describe('delete', () => {
  it('background (default): the Deployment goes at once, the garbage collector removes its ReplicaSet and pods', () => {
    const h = settled();
    h.act({ type: 'delete', target: WEB, namespace: 'default', cascade: 'Background' });
    assert.equal(h.get('Deployment', 'web'), undefined);
    assert.equal(h.replicaSets().length, 1, 'dependents are not deleted synchronously');
    h.runTo(20);
    assert.deepEqual([h.replicaSets().length, h.pods().length], [0, 0]);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Deployment', namespace: 'default', name: 'web', action: 'delete', target: 'deployment/web', cascade: 'background' });
  });

  it('foreground: the Deployment waits with the foregroundDeletion finalizer until its dependents are gone', () => {
    const h = settled(2, { images: { 'app:1': image(3000) } });
    h.act({ type: 'delete', target: WEB, namespace: 'default', cascade: 'Foreground' });
    assert.deepEqual(h.deployment().metadata.finalizers, ['foregroundDeletion']);
    assert.equal(h.deployment().metadata.deletionTimestamp, 10_000);
    h.runTo(12);
    assert.ok(h.get('Deployment', 'web') !== undefined, 'still there while its pods take 3 s to stop');
    h.runTo(20);
    assert.equal(h.get('Deployment', 'web'), undefined);
    assert.deepEqual([h.replicaSets().length, h.pods().length], [0, 0]);
    const deleted = h.events().filter((e) => e.type.endsWith('Deleted')).map((e) => e.type);
    assert.deepEqual(deleted, ['PodDeleted', 'PodDeleted', 'ReplicaSetDeleted', 'DeploymentDeleted'], 'dependents first');
  });

  it('orphan: the Deployment goes, its ReplicaSet and pods stay without an owner', () => {
    const h = settled();
    h.act({ type: 'delete', target: WEB, namespace: 'default', cascade: 'Orphan' });
    h.runTo(20);
    assert.equal(h.get('Deployment', 'web'), undefined);
    const [rs] = h.replicaSets();
    assert.equal(rs.metadata.ownerReferences, undefined);
    assert.equal(h.livePods({ app: 'web' }).length, 2);
  });

  it('by selector and kind deletes the matching pods only, with the given grace period', () => {
    const h = settled(2, { manifests: [podManifest('solo', { labels: { app: 'solo' } })] });
    h.act({ type: 'delete', selector: { matchLabels: { app: 'solo' } }, kind: 'Pod', namespace: 'default', cascade: 'Background', gracePeriodSeconds: 7 });
    const solo = h.get<Pod>('Pod', 'solo');
    assert.equal(solo?.metadata.deletionGracePeriodSeconds, 7);
    assert.equal(h.livePods({ app: 'web' }).length, 2);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Pod', namespace: 'default', name: '*', action: 'delete', target: 'pod -l app=solo', cascade: 'background', gracePeriod: 7 });
  });

  it('a grace period of 0 removes a running pod at once', () => {
    const h = settled(2, { manifests: [podManifest('solo')] });
    h.act({ type: 'delete', target: target('Pod', 'solo'), namespace: 'default', cascade: 'Background', gracePeriodSeconds: 0 });
    assert.equal(h.get('Pod', 'solo'), undefined);
  });

  it('an object that is gone fails with the API server\'s NotFound and becomes a run warning', () => {
    const h = settled();
    h.act({ type: 'delete', target: target('Deployment', 'nope'), namespace: 'default', cascade: 'Background' });
    assert.deepEqual(lastOutcome(h), { type: 'ActionFailed', kind: 'Deployment', namespace: 'default', name: 'nope', action: 'delete', target: 'deployment/nope', cascade: 'background', message: 'deployments "nope" not found' });
    assert.deepEqual(h.executor.warnings, [{ t: 10, message: 'delete deployment/nope failed: deployments "nope" not found', file: 'test.yaml', line: 9, column: 7 }]);
  });

  it('records the cascade and grace period it was given among the action\'s arguments', () => {
    const h = settled(2, { manifests: [podManifest('solo')] });
    h.act({ type: 'delete', target: target('Pod', 'solo'), namespace: 'default', cascade: 'Foreground', gracePeriodSeconds: 5 });
    const e = lastOutcome(h);
    assert.equal(e.cascade, 'foreground');
    assert.equal(e.gracePeriod, 5);
  });
});

describe('scale', () => {
  it('sets spec.replicas of a Deployment; the controllers follow', () => {
    const h = settled();
    h.act({ type: 'scale', target: WEB, replicas: 5 });
    assert.equal(h.deployment().spec.replicas, 5);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Deployment', namespace: 'default', name: 'web', action: 'scale', target: 'deployment/web', replicas: 5 });
    h.runTo(20);
    assert.equal(h.livePods({ app: 'web' }).length, 5);
    assert.deepEqual(h.events('DeploymentScaled').map((e) => [e.replicas, e.from]), [[5, 2]]);
  });

  it('sets spec.replicas of a bare ReplicaSet', () => {
    const rs = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'cache', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'cache' } }, template: { metadata: { labels: { app: 'cache' } }, spec: { containers: [{ name: 'c', image: 'app:1' }] } } },
    } as ReplicaSet;
    const h = tinyCluster({ manifests: [rs] });
    h.runTo(5);
    h.act({ type: 'scale', target: target('ReplicaSet', 'cache'), replicas: 0 });
    h.runTo(10);
    assert.equal(h.get<ReplicaSet>('ReplicaSet', 'cache')?.spec.replicas, 0);
    assert.equal(h.livePods({ app: 'cache' }).length, 0);
  });

  it('a target that no longer exists fails the action', () => {
    const h = settled();
    h.act({ type: 'scale', target: target('Deployment', 'nope'), replicas: 3 });
    assert.equal(lastOutcome(h).message, 'deployment/nope not found');
  });
});

describe('setImage', () => {
  it('on a Deployment changes the template and rolls every pod to the new image', () => {
    const h = settled();
    h.act({ type: 'setImage', target: WEB, image: 'app:2' });
    assert.equal(h.deployment().spec.template.spec.containers[0].image, 'app:2');
    assert.equal(h.deployment().metadata.generation, 2);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Deployment', namespace: 'default', name: 'web', action: 'setImage', target: 'deployment/web', image: 'app:2' });
    h.runTo(40);
    assert.deepEqual(images(h), ['app:2', 'app:2']);
  });

  it('with a container name changes only that container; an unknown one fails', () => {
    const two = deploymentManifest('multi', { replicas: 1 });
    two.spec.template.spec.containers.push({ name: 'side', image: 'app:1' });
    const h = settled(2, { manifests: [two] });
    h.act({ type: 'setImage', target: target('Deployment', 'multi'), image: 'app:3', container: 'side' });
    assert.deepEqual(h.deployment('multi').spec.template.spec.containers.map((c) => c.image), ['app:1', 'app:3']);
    h.act({ type: 'setImage', target: target('Deployment', 'multi'), image: 'app:3', container: 'nope' });
    assert.equal(lastOutcome(h).message, 'unable to find container named "nope"');
  });

  it('on a Pod changes its container image; the kubelet restarts the container with it', () => {
    const h = settled(2, { manifests: [podManifest('solo')] });
    h.act({ type: 'setImage', target: target('Pod', 'solo'), image: 'app:2' });
    assert.equal(h.get<Pod>('Pod', 'solo')?.spec.containers[0].image, 'app:2');
    assert.equal(lastOutcome(h).type, 'Action');
    h.runTo(20);
    const status = h.get<Pod>('Pod', 'solo')?.status?.containerStatuses?.[0];
    assert.deepEqual([status?.image, status?.restartCount, status?.ready], ['app:2', 1, true]);
    assert.deepEqual(h.events('PodRestarted').map((e) => [e.name, e.reason]), [['solo', 'Completed']]);
  });
});

describe('patch', () => {
  it('merges into the live object: null deletes, the name cannot change', () => {
    const h = settled();
    h.act({ type: 'patch', target: WEB, merge: { metadata: { name: 'other', labels: { tier: 'fe' } }, spec: { minReadySeconds: 3 } } });
    assert.equal(h.deployment().spec.minReadySeconds, 3);
    assert.deepEqual(h.deployment().metadata.labels, { tier: 'fe' });
    assert.equal(h.get('Deployment', 'other'), undefined);
    h.act({ type: 'patch', target: WEB, merge: { spec: { minReadySeconds: null } } });
    assert.equal(h.deployment().spec.minReadySeconds, undefined);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Deployment', namespace: 'default', name: 'web', action: 'patch', target: 'deployment/web' });
  });

  it('a patch the API server rejects fails with its message and changes nothing', () => {
    const h = settled();
    h.act({ type: 'patch', target: WEB, merge: { spec: { replicas: -1 } } });
    assert.equal(lastOutcome(h).message, 'Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assert.equal(h.deployment().spec.replicas, 2);
  });

  it('patches a Node (kubectl patch node/…)', () => {
    const h = settled();
    h.act({ type: 'patch', target: target('Node', 'pool-a-1', ''), merge: { metadata: { labels: { disk: 'ssd' } } } });
    assert.equal(h.node('pool-a-1')?.metadata.labels?.disk, 'ssd');
    assert.equal(h.node('pool-a-1')?.metadata.labels?.['kubernetes.io/hostname'], 'pool-a-1', 'other labels kept');
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Node', name: 'pool-a-1', action: 'patch', target: 'node/pool-a-1' });
  });
});

describe('rolloutUndo', () => {
  /** web at app:1 (revision 1), then app:2 (2), then app:3 (3), each rolled out. */
  function threeRevisions(): Tiny {
    const h = settled();
    h.act({ type: 'setImage', target: WEB, image: 'app:2' });
    h.runTo(40);
    h.act({ type: 'setImage', target: WEB, image: 'app:3' });
    h.runTo(70);
    assert.deepEqual(images(h), ['app:3', 'app:3']);
    return h;
  }

  it('without toRevision goes back to the previous revision, which becomes the newest', () => {
    const h = threeRevisions();
    h.act({ type: 'rolloutUndo', target: WEB });
    assert.equal(h.deployment().spec.template.spec.containers[0].image, 'app:2');
    assert.equal(h.deployment().spec.template.metadata?.labels?.['pod-template-hash'], undefined);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Deployment', namespace: 'default', name: 'web', action: 'rolloutUndo', target: 'deployment/web', result: 'rolled back to revision 2' });
    h.runTo(100);
    assert.deepEqual(images(h), ['app:2', 'app:2']);
    assert.equal(h.deployment().metadata.annotations?.['deployment.kubernetes.io/revision'], '4');
    assert.equal(h.replicaSets().length, 3, 'the revision-2 ReplicaSet is reused, not recreated');
  });

  it('with toRevision goes back to that revision', () => {
    const h = threeRevisions();
    h.act({ type: 'rolloutUndo', target: WEB, toRevision: 1 });
    assert.equal(lastOutcome(h).result, 'rolled back to revision 1');
    h.runTo(100);
    assert.deepEqual(images(h), ['app:1', 'app:1']);
  });

  it('to the current revision is skipped, and writes nothing', () => {
    const h = threeRevisions();
    const before = h.deployment();
    h.act({ type: 'rolloutUndo', target: WEB, toRevision: 3 });
    assert.equal(lastOutcome(h).result, 'skipped rollback (current template already matches revision 3)');
    assert.equal(h.deployment(), before);
  });

  it('with no history, or to a revision that does not exist, fails with kubectl\'s message', () => {
    const h = settled();
    h.act({ type: 'rolloutUndo', target: WEB });
    assert.deepEqual(lastOutcome(h), { type: 'ActionFailed', kind: 'Deployment', namespace: 'default', name: 'web', action: 'rolloutUndo', target: 'deployment/web', message: 'no rollout history found for deployment "web"' });
    h.act({ type: 'rolloutUndo', target: WEB, toRevision: 9 });
    assert.deepEqual([lastOutcome(h).toRevision, lastOutcome(h).message], [9, 'unable to find specified revision 9 in history']);
    assert.equal(h.executor.warnings.length, 2);
    assert.equal(h.deployment().metadata.generation, 1);
  });

  it('on a paused Deployment fails, naming the command that fixes it', () => {
    const h = threeRevisions();
    h.act({ type: 'rolloutPause', target: WEB });
    h.act({ type: 'rolloutUndo', target: WEB });
    assert.match(String(lastOutcome(h).message), /^you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment\/web' and try again$/);
    assert.equal(h.deployment().spec.template.spec.containers[0].image, 'app:3');
  });

  it('replaces the Deployment annotations with the restored ReplicaSet\'s, as kubectl does', () => {
    const h = settled();
    h.act({ type: 'setImage', target: WEB, image: 'app:2' });
    h.runTo(40);
    // Copied by the controller to the new (revision 2) ReplicaSet only.
    h.act({ type: 'patch', target: WEB, merge: { metadata: { annotations: { note: 'v2 only' } } } });
    h.runTo(50);
    h.act({ type: 'rolloutUndo', target: WEB });
    assert.equal(h.deployment().metadata.annotations?.note, undefined);
  });
});

describe('rolloutPause and rolloutResume', () => {
  it('pause holds a template change back: no new ReplicaSet', () => {
    const h = settled();
    h.act({ type: 'rolloutPause', target: WEB });
    assert.equal(h.deployment().spec.paused, true);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Deployment', namespace: 'default', name: 'web', action: 'rolloutPause', target: 'deployment/web' });
    h.runTo(15);
    h.act({ type: 'setImage', target: WEB, image: 'app:2' });
    h.runTo(30);
    assert.equal(h.replicaSets().length, 1);
    assert.deepEqual(images(h), ['app:1', 'app:1']);
    assert.deepEqual(h.events('DeploymentPaused').map((e) => e.name), ['web']);
    assert.equal(h.deployment().status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'DeploymentPaused');
  });

  it('resume clears paused and records DeploymentResumed', () => {
    const h = settled();
    h.act({ type: 'rolloutPause', target: WEB });
    h.runTo(15);
    h.act({ type: 'rolloutResume', target: WEB });
    assert.equal(h.deployment().spec.paused, undefined);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Deployment', namespace: 'default', name: 'web', action: 'rolloutResume', target: 'deployment/web' });
    h.runTo(20);
    assert.deepEqual(h.events('DeploymentResumed').map((e) => e.name), ['web']);
  });

  it('resume rolls out the template changed while paused', () => {
    const h = settled();
    h.act({ type: 'rolloutPause', target: WEB });
    h.runTo(15);
    h.act({ type: 'setImage', target: WEB, image: 'app:2' });
    h.runTo(20);
    h.act({ type: 'rolloutResume', target: WEB });
    h.runTo(50);
    assert.deepEqual(images(h), ['app:2', 'app:2']);
    assert.equal(h.deployment().metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  });
});

describe('node actions', () => {
  it('addNodes: new nodes are numbered after the pool\'s last and become Ready after readyAfter', () => {
    const h = settled();
    h.act({ type: 'addNodes', pool: 'pool-a', count: 2, readyAfter: constant(5000) });
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'NodePool', name: 'pool-a', action: 'addNodes', target: 'pool/pool-a', count: 2, result: 'pool-a-2,pool-a-3' });
    const ready = (name: string) => h.node(name)?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    assert.equal(ready('pool-a-2'), 'False');
    assert.equal(h.node('pool-a-3')?.metadata.labels?.['k8sim.io/node-pool'], 'pool-a');
    h.runTo(15);
    assert.deepEqual([ready('pool-a-2'), ready('pool-a-3')], ['True', 'True']);
    h.act({ type: 'addNodes', pool: 'pool-a', count: 1 });
    assert.equal(lastOutcome(h).result, 'pool-a-4');
  });

  it('addNodes of a pool that does not exist fails', () => {
    const h = settled();
    h.act({ type: 'addNodes', pool: 'pool-z', count: 1 });
    assert.deepEqual([lastOutcome(h).type, lastOutcome(h).message], ['ActionFailed', 'no node pool named "pool-z"']);
  });

  it('removeNode deletes the Node; the pod garbage collector deletes its pods 40 s later, and they are replaced', () => {
    const h = settled(4);
    const onNode = () => h.pods().filter((p) => p.spec.nodeName === 'pool-a-0').length;
    assert.equal(onNode(), 2);
    h.act({ type: 'removeNode', node: 'pool-a-0' });
    assert.equal(h.node('pool-a-0'), undefined);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Node', name: 'pool-a-0', action: 'removeNode', target: 'node/pool-a-0' });
    h.runTo(49);
    assert.equal(onNode(), 2, 'quarantine: still there before 40 s');
    h.runTo(51);
    assert.equal(onNode(), 0);
    h.runTo(60);
    assert.deepEqual(h.livePods({ app: 'web' }).map((p) => p.spec.nodeName), ['pool-a-1', 'pool-a-1', 'pool-a-1', 'pool-a-1']);
  });

  it('cordon keeps new pods off the node; uncordon lets them back', () => {
    const h = settled();
    h.act({ type: 'cordon', node: 'pool-a-0' });
    assert.equal(h.node('pool-a-0')?.spec.unschedulable, true);
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Node', name: 'pool-a-0', action: 'cordon', target: 'node/pool-a-0' });
    h.act({ type: 'scale', target: WEB, replicas: 6 });
    h.runTo(20);
    const placed = h.livePods({ app: 'web' }).map((p) => p.spec.nodeName);
    assert.equal(placed.filter((n) => n === 'pool-a-0').length, 1, 'only the pod that was there before');
    h.act({ type: 'uncordon', node: 'pool-a-0' });
    assert.equal(h.node('pool-a-0')?.spec.unschedulable, undefined);
    assert.deepEqual(h.events().filter((e) => e.type.startsWith('NodeU') || e.type === 'NodeCordoned').map((e) => e.type), ['NodeCordoned', 'NodeUncordoned']);
  });

  it('cordon of a node that does not exist fails', () => {
    const h = settled();
    h.act({ type: 'cordon', node: 'pool-a-9' });
    assert.deepEqual(lastOutcome(h), { type: 'ActionFailed', kind: 'Node', name: 'pool-a-9', action: 'cordon', target: 'node/pool-a-9', message: 'node/pool-a-9 not found' });
  });
});

describe('drain', () => {
  it('cordons, evicts every pod on the node with the given grace period, and the pods stop by then', () => {
    // The image takes 20 s to stop: a 5 s grace period cuts it short.
    const h = settled(4, { images: { 'app:1': image(20_000) } });
    h.act({ type: 'drain', node: 'pool-a-0', gracePeriodSeconds: 5 });
    assert.equal(h.node('pool-a-0')?.spec.unschedulable, true);
    const evicted = h.pods().filter((p) => p.spec.nodeName === 'pool-a-0');
    assert.deepEqual(evicted.map((p) => [p.metadata.deletionGracePeriodSeconds, p.metadata.deletionTimestamp]), [[5, 15_000], [5, 15_000]]);
    assert.deepEqual(h.events('PodEvicted').map((e) => [e.name, e.node, e.reason]), evicted.map((p) => [p.metadata.name, 'pool-a-0', 'Drain']));
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Node', name: 'pool-a-0', action: 'drain', target: 'node/pool-a-0', gracePeriod: 5, result: '2 pods evicted' });
    h.runTo(14.9);
    assert.equal(h.pods().filter((p) => p.spec.nodeName === 'pool-a-0').length, 2);
    h.runTo(15.1);
    assert.equal(h.pods().filter((p) => p.spec.nodeName === 'pool-a-0').length, 0);
    h.runTo(30);
    assert.deepEqual(h.livePods({ app: 'web' }).map((p) => p.spec.nodeName), ['pool-a-1', 'pool-a-1', 'pool-a-1', 'pool-a-1']);
  });

  it('without a grace period uses each pod\'s terminationGracePeriodSeconds, and a quick stop ends sooner', () => {
    const h = tinyCluster({ manifests: [deploymentManifest('web', { replicas: 2, grace: 60 })], images: { 'app:1': image(3000) }, nodes: 1 });
    h.runTo(10);
    h.act({ type: 'drain', node: 'pool-a-0' });
    assert.deepEqual(h.pods().filter((p) => p.metadata.deletionTimestamp !== undefined).map((p) => p.metadata.deletionGracePeriodSeconds), [60, 60]);
    h.runTo(14);
    assert.equal(h.pods().filter((p) => p.metadata.deletionTimestamp !== undefined).length, 0, 'gone after their 3 s stop');
  });

  it('leaves DaemonSet pods alone', () => {
    const daemon = podManifest('agent-x', { nodeName: 'pool-a-0' });
    daemon.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }];
    const bare = podManifest('solo', { nodeName: 'pool-a-0' });
    const h = tinyCluster({ manifests: [daemon as KubeObject, bare] });
    h.runTo(0.001);
    h.act({ type: 'drain', node: 'pool-a-0' });
    assert.equal(h.get<Pod>('Pod', 'agent-x')?.metadata.deletionTimestamp, undefined);
    assert.notEqual(h.get<Pod>('Pod', 'solo')?.metadata.deletionTimestamp, undefined);
    assert.equal(lastOutcome(h).result, '1 pods evicted');
  });
});

describe('killPod', () => {
  it('kills count containers of the target\'s running pods; the kubelet restarts them', () => {
    const h = settled(3);
    h.act({ type: 'killPod', target: WEB, namespace: 'default', count: 2, exitCode: 137 });
    const killed = h.events('PodKilled');
    assert.equal(killed.length, 2);
    assert.ok(killed.every((e) => e.exitCode === 137));
    const outcome = lastOutcome(h);
    assert.equal(outcome.type, 'Action');
    assert.deepEqual(String(outcome.result).split(','), killed.map((e) => e.name));
    h.runTo(15);
    const restarts = h.livePods({ app: 'web' }).map((p) => p.status?.containerStatuses?.[0].restartCount).sort();
    assert.deepEqual(restarts, [0, 1, 1]);
    assert.deepEqual(h.events('PodRestarted').map((e) => [e.exitCode, e.reason]), [[137, 'Error'], [137, 'Error']]);
  });

  it('chooses the pods from the seed: the same seed kills the same pods', () => {
    const killedWith = (seed: number) => {
      const h = settled(6, { seed });
      h.act({ type: 'killPod', target: WEB, namespace: 'default', count: 2, exitCode: 1 });
      return lastOutcome(h).result;
    };
    const first = killedWith(3);
    assert.equal(String(first).split(',').length, 2);
    assert.equal(killedWith(3), first);
  });

  it('by selector; with nothing running, or no such container, it fails', () => {
    const h = settled(2, { manifests: [podManifest('solo', { labels: { role: 'solo' } })] });
    h.act({ type: 'killPod', selector: { matchLabels: { role: 'solo' } }, namespace: 'default', count: 1, exitCode: 1 });
    assert.deepEqual(lastOutcome(h), { type: 'Action', kind: 'Pod', namespace: 'default', name: '*', action: 'killPod', target: 'pod -l role=solo', count: 1, exitCode: 1, result: 'solo' });
    h.act({ type: 'killPod', selector: { matchLabels: { role: 'none' } }, namespace: 'default', count: 1, exitCode: 1 });
    assert.equal(lastOutcome(h).message, 'no running pod matches');
    h.act({ type: 'killPod', target: target('Pod', 'solo'), namespace: 'default', count: 1, container: 'nope', exitCode: 1 });
    assert.equal(lastOutcome(h).message, 'no running container named "nope"');
    assert.deepEqual(h.executor.warnings.map((w) => w.message), ['killPod -l role=none failed: no running pod matches', 'killPod pod/solo failed: no running container named "nope"']);
  });

  it('PodKilled names the container that was killed', () => {
    const h = settled();
    h.act({ type: 'killPod', target: WEB, namespace: 'default', count: 1, exitCode: 1 });
    assert.equal(h.events('PodKilled')[0].container, 'app');
  });
});
