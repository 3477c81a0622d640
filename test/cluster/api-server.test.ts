import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCondition } from '../../src/api/conditions.js';
import type { FieldError } from '../../src/api/field-errors.js';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { KubeObject } from '../../src/api/types/meta.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod } from '../../src/api/types/pod.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { type Admission, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type WatchEvent } from '../../src/cluster/api-server.js';
import { constant } from '../../src/engine/distribution.js';
import { ApiError, LimitError } from '../../src/errors.js';
import { editable, newApi, newDeployment, newNode, newPod, newReplicaSet, recordWatch } from '../helpers/engine-fixtures.js';

const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isApiError(reason: ApiError['reason']) {
  return (error: unknown): boolean => error instanceof ApiError && error.reason === reason;
}

/** Advances the virtual clock to `t` (ms). */
function advance(test: ReturnType<typeof newApi>, t: number): void {
  test.sim.run({ until: t });
}

describe('ApiServer.create', () => {
  it('assigns uid, resourceVersion, creationTimestamp and generation, and defaults the namespace', () => {
    const test = newApi();
    advance(test, 5000);
    const d = test.api.create(newDeployment('web'));
    assert.match(d.metadata.uid ?? '', UID);
    assert.equal(d.metadata.resourceVersion, '1');
    assert.equal(d.metadata.creationTimestamp, 5000);
    assert.equal(d.metadata.generation, 1);
    assert.equal(d.metadata.namespace, 'default');
    assert.deepEqual(d.status, {}, 'workload status starts empty');
    assert.equal(test.api.get('Deployment', 'default', 'web'), d);
    assert.equal(test.api.get('Deployment', undefined, 'web'), d, 'an absent namespace reads as default');
  });

  it('keeps an explicit namespace; the same name may exist in two namespaces', () => {
    const { api } = newApi();
    api.create(newPod('p', { namespace: 'team-a' }));
    const b = api.create(newPod('p', { namespace: 'team-b' }));
    assert.equal(b.metadata.namespace, 'team-b');
    assert.equal(api.count('Pod'), 2);
    assert.equal(api.get('Pod', 'default', 'p'), undefined);
  });

  it('reads each object right through writes, deletion and re-creation under one name', () => {
    const { api } = newApi();
    const a = api.create(newPod('p', { namespace: 'team-a' }));
    const b = api.create(newPod('p', { namespace: 'team-b' }));
    assert.equal(api.get('Pod', 'team-a', 'p'), a);
    assert.equal(api.get('Pod', 'team-b', 'p'), b);
    const written = api.updateStatus({ ...editable<Pod>(b), status: { phase: 'Running' } });
    assert.equal(api.get('Pod', 'team-b', 'p'), written);
    assert.equal(api.get('Pod', 'team-a', 'p'), a);
    api.delete('Pod', 'team-b', 'p');
    assert.equal(api.get('Pod', 'team-b', 'p'), undefined);
    const again = api.create(newPod('p', { namespace: 'team-b' }));
    assert.equal(api.get('Pod', 'team-b', 'p'), again);
    assert.deepEqual([...api.list('Pod')], [a, again]);
    const node = api.create(newNode('p'));
    assert.equal(api.get('Node', undefined, 'p'), node);
    api.delete('Node', undefined, 'p');
    assert.equal(api.get('Node', undefined, 'p'), undefined);
    assert.equal(api.count('Node'), 0);
  });

  it('gives pods phase Pending regardless of the submitted status, and no generation', () => {
    const { api } = newApi();
    const submitted = newPod('p', { phase: 'Running', ready: true });
    const pod = api.create(submitted);
    assert.deepEqual(pod.status, { phase: 'Pending' });
    assert.equal(pod.metadata.generation, undefined);
  });

  it('stores cluster-scoped kinds without a namespace', () => {
    const { api } = newApi();
    const node = newNode('n1');
    node.metadata.namespace = 'oops';
    const stored = api.create(node);
    assert.equal(stored.metadata.namespace, undefined);
    assert.equal(api.get<Node>('Node', undefined, 'n1'), stored);
  });

  it('clears deletion fields a client may have sent', () => {
    const { api } = newApi();
    const pod = newPod('p', { deletionTimestamp: 99 });
    pod.metadata.deletionGracePeriodSeconds = 3;
    const stored = api.create(pod);
    assert.equal(stored.metadata.deletionTimestamp, undefined);
    assert.equal(stored.metadata.deletionGracePeriodSeconds, undefined);
  });

  it('keeps each kind apart, whichever kind was written or read last', () => {
    const { api } = newApi();
    const pod = api.create(newPod('x'));
    const node = api.create(newNode('x'));
    assert.equal(api.get('Pod', 'default', 'x'), pod);
    assert.equal(api.get('Node', undefined, 'x'), node);
    assert.equal(api.get('Deployment', 'default', 'x'), undefined);
    assert.equal(api.get('Unserved', 'default', 'x'), undefined);
    assert.deepEqual([api.count('Pod'), api.count('Node'), api.count('Deployment'), api.count('Unserved')], [1, 1, 0, 0]);
    assert.throws(() => api.create({ apiVersion: 'v1', kind: 'Unserved', metadata: { name: 'x' } }), isApiError('NotFound'));
    assert.equal(api.get('Pod', 'default', 'x'), pod);
  });

  it('hands out strictly increasing resourceVersions and distinct uids', () => {
    const { api } = newApi();
    const objs = [api.create(newPod('a')), api.create(newNode('n')), api.create(newDeployment('d'))];
    assert.deepEqual(objs.map((o) => Number(o.metadata.resourceVersion)), [1, 2, 3]);
    assert.equal(new Set(objs.map((o) => o.metadata.uid)).size, 3);
  });

  it('refuses a duplicate name with AlreadyExists', () => {
    const { api } = newApi();
    api.create(newPod('p'));
    assert.throws(() => api.create(newPod('p')), isApiError('AlreadyExists'));
    assert.equal(api.count('Pod'), 1);
  });

  it('requires a name or generateName (Invalid)', () => {
    const { api } = newApi();
    assert.throws(() => api.create(newPod('')), isApiError('Invalid'));
  });

  it('refuses kinds it does not serve (NotFound)', () => {
    const { api } = newApi();
    const ingress: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'h' } };
    assert.throws(() => api.create(ingress), isApiError('NotFound'));
  });

  it('freezes stored objects when asked, so shared state cannot be mutated', () => {
    const { api } = newApi({ freezeObjects: true });
    const pod = api.create(newPod('p'));
    assert.ok(Object.isFrozen(pod) && Object.isFrozen(pod.metadata) && Object.isFrozen(pod.spec.containers));
    assert.throws(() => {
      (pod.metadata as { name: string }).name = 'q';
    }, TypeError);
  });
});

describe('ApiServer.create: generateName', () => {
  function generate(seed: number, count: number): string[] {
    const { api } = newApi({}, seed);
    return Array.from({ length: count }, () => api.create(newPod('', { generateName: 'web-7d4b9-' })).metadata.name);
  }

  it('appends 5 characters of the upstream alphabet (no vowels, no confusables)', () => {
    for (const name of generate(1, 20)) assert.match(name, /^web-7d4b9-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('is deterministic for a fixed seed and differs for another seed', () => {
    assert.deepEqual(generate(42, 10), generate(42, 10));
    assert.notDeepEqual(generate(42, 10), generate(43, 10));
  });

  it('generates distinct names', () => {
    const names = generate(7, 200);
    assert.equal(new Set(names).size, 200);
  });

  it('uids are deterministic for a fixed seed too', () => {
    const uids = (seed: number) => {
      const { api } = newApi({}, seed);
      return [api.create(newPod('a')).metadata.uid, api.create(newPod('b')).metadata.uid];
    };
    assert.deepEqual(uids(5), uids(5));
    assert.notDeepEqual(uids(5), uids(6));
  });
});

describe('ApiServer.create: limits and admission', () => {
  it('throws LimitError past maxObjects for that kind only', () => {
    const { api } = newApi({ maxObjects: { Pod: 2 } });
    api.create(newPod('a'));
    api.create(newPod('b'));
    assert.throws(() => api.create(newPod('c')), (error: unknown) => error instanceof LimitError && error.max === 2 && /--limit pods=4/.test(error.message));
    assert.equal(api.count('Pod'), 2);
    api.create(newNode('n1'));
    api.create(newNode('n2'));
    api.create(newNode('n3'));
    api.delete('Pod', 'default', 'a');
    api.create(newPod('c'));
    assert.equal(api.count('Pod'), 2);
  });

  const replicasError: FieldError = { type: 'Invalid', field: 'spec.replicas', value: -1, detail: 'must be greater than or equal to 0' };
  function fakeAdmission(seen: { old?: KubeObject }[]): Admission {
    return {
      default(obj) {
        obj.metadata.labels = { defaulted: 'yes', ...obj.metadata.labels };
      },
      validate(obj, old) {
        seen.push({ old: old as KubeObject | undefined });
        const replicas = (obj as Deployment).spec?.replicas;
        return replicas !== undefined && replicas < 0 ? [replicasError] : [];
      },
    };
  }

  it('runs the defaulter before storing', () => {
    const { api } = newApi({ admission: fakeAdmission([]) });
    assert.deepEqual(api.create(newDeployment('web')).metadata.labels, { defaulted: 'yes' });
  });

  it('turns validation errors into ApiError Invalid carrying the field errors, storing nothing', () => {
    const { api } = newApi({ admission: fakeAdmission([]) });
    assert.throws(
      () => api.create(newDeployment('web', { replicas: -1 })),
      (error: unknown) =>
        error instanceof ApiError &&
        error.reason === 'Invalid' &&
        error.fieldErrors.length === 1 &&
        error.fieldErrors[0] === replicasError &&
        error.message.includes('Deployment "web" is invalid') &&
        error.message.includes('spec.replicas'),
    );
    assert.equal(api.count('Deployment'), 0);
    assert.equal(api.create(newDeployment('ok')).metadata.resourceVersion, '1', 'a rejected create consumes no resourceVersion');
  });

  it('admits updates too, passing the old object to the validator', () => {
    const seen: { old?: KubeObject }[] = [];
    const { api } = newApi({ admission: fakeAdmission(seen) });
    const stored = api.create(newDeployment('web'));
    assert.equal(seen[0].old, undefined);
    const bad = editable<Deployment>(stored);
    bad.spec.replicas = -1;
    assert.throws(() => api.update(bad), isApiError('Invalid'));
    assert.equal(seen[1].old, stored);
    assert.equal(api.get('Deployment', 'default', 'web'), stored, 'the rejected update changed nothing');
  });
});

describe('ApiServer.update', () => {
  it('bumps resourceVersion but not generation on a metadata-only change', () => {
    const { api } = newApi();
    const stored = api.create(newDeployment('web'));
    const edit = editable<Deployment>(stored);
    edit.metadata.labels = { team: 'a' };
    const updated = api.update(edit);
    assert.equal(updated.metadata.resourceVersion, '2');
    assert.equal(updated.metadata.generation, 1);
    assert.deepEqual(updated.metadata.labels, { team: 'a' });
  });

  it('bumps generation when the spec changes', () => {
    const { api } = newApi();
    const stored = api.create(newDeployment('web'));
    const edit = editable<Deployment>(stored);
    edit.spec.replicas = 5;
    const updated = api.update(edit);
    assert.equal(updated.metadata.generation, 2);
    const again = editable<Deployment>(updated);
    again.spec.template.spec.containers[0].image = 'app:2';
    assert.equal(api.update(again).metadata.generation, 3);
  });

  it('never tracks generation for kinds that do not (Pod)', () => {
    const { api } = newApi();
    const edit = editable<Pod>(api.create(newPod('p')));
    edit.spec.containers[0].image = 'app:2';
    assert.equal(api.update(edit).metadata.generation, undefined);
  });

  it('keeps the stored status (status subresource)', () => {
    const { api } = newApi();
    const stored = api.create(newDeployment('web'));
    const withStatus = editable<Deployment>(stored);
    withStatus.status = { replicas: 3, observedGeneration: 1 };
    const afterStatus = api.updateStatus(withStatus);
    const edit = editable<Deployment>(afterStatus);
    edit.status = { replicas: 99 };
    edit.spec.replicas = 4;
    const updated = api.update(edit);
    assert.deepEqual(updated.status, { replicas: 3, observedGeneration: 1 });
    assert.equal(updated.spec.replicas, 4);
  });

  it('a no-op update returns the stored object and bumps nothing, notifying nobody', () => {
    const test = newApi();
    const { api } = test;
    const stored = api.create(newDeployment('web'));
    const events: WatchEvent[] = [];
    api.observe((e) => events.push(e));
    const deliveries = recordWatch(test, 'Deployment');
    const same = api.update(editable<Deployment>(stored));
    assert.equal(same, stored);
    assert.equal(api.get('Deployment', 'default', 'web')?.metadata.resourceVersion, '1');
    test.sim.run();
    assert.equal(events.length, 0);
    assert.equal(deliveries.length, 0);
  });

  it('treats an undefined field as absent when deciding whether anything changed', () => {
    const { api } = newApi();
    const stored = api.create(newDeployment('web'));
    const edit = editable<Deployment>(stored);
    edit.spec.paused = undefined;
    edit.metadata.annotations = undefined;
    assert.equal(api.update(edit), stored);
  });

  it('enforces a resourceVersion precondition with Conflict; no resourceVersion is unconditional', () => {
    const { api } = newApi();
    const v1 = api.create(newDeployment('web'));
    const first = editable<Deployment>(v1);
    first.spec.replicas = 2;
    api.update(first);
    const stale = editable<Deployment>(v1);
    stale.spec.replicas = 3;
    assert.throws(() => api.update(stale), (e: unknown) => isApiError('Conflict')(e) && /the object has been modified/.test((e as Error).message));
    const blind = editable<Deployment>(v1);
    delete blind.metadata.resourceVersion;
    blind.spec.replicas = 3;
    assert.equal(api.update(blind).spec.replicas, 3);
  });

  it('enforces a uid precondition with Conflict', () => {
    const { api } = newApi();
    const edit = editable<Deployment>(api.create(newDeployment('web')));
    edit.metadata.uid = 'someone-else';
    edit.spec.replicas = 2;
    assert.throws(() => api.update(edit), isApiError('Conflict'));
  });

  it('ignores client changes to server-owned metadata', () => {
    const { api } = newApi();
    const stored = api.create(newDeployment('web'));
    const edit = editable<Deployment>(stored);
    delete edit.metadata.resourceVersion;
    edit.metadata.creationTimestamp = 123456;
    edit.metadata.generation = 40;
    edit.metadata.deletionTimestamp = 5;
    edit.spec.replicas = 2;
    const updated = api.update(edit);
    assert.equal(updated.metadata.creationTimestamp, stored.metadata.creationTimestamp);
    assert.equal(updated.metadata.generation, 2);
    assert.equal(updated.metadata.deletionTimestamp, undefined);
    assert.equal(updated.metadata.uid, stored.metadata.uid);
  });

  it('NotFound for a missing object', () => {
    const { api } = newApi();
    assert.throws(() => api.update(newDeployment('ghost')), isApiError('NotFound'));
  });
});

describe('ApiServer.updateStatus', () => {
  it('writes status only: keeps the stored spec, bumps resourceVersion, not generation', () => {
    const { api } = newApi();
    const stored = api.create(newReplicaSet('rs', { replicas: 3 }));
    const edit = editable<ReplicaSet>(stored);
    edit.spec.replicas = 10;
    edit.status = { replicas: 2, readyReplicas: 1 };
    const updated = api.updateStatus(edit);
    assert.equal(updated.spec.replicas, 3);
    assert.deepEqual(updated.status, { replicas: 2, readyReplicas: 1 });
    assert.equal(updated.metadata.resourceVersion, '2');
    assert.equal(updated.metadata.generation, 1);
  });

  it('is a no-op when the status is unchanged', () => {
    const { api } = newApi();
    const stored = api.create(newReplicaSet('rs'));
    assert.equal(api.updateStatus(editable<ReplicaSet>(stored)), stored);
  });

  it('skips the comparison when the caller vouches the status changed (statusChanged)', () => {
    const { api } = newApi();
    const stored = api.create(newReplicaSet('rs'));
    const edit = editable<ReplicaSet>(stored);
    edit.status = { replicas: 1 };
    const written = api.updateStatus(edit, true);
    assert.deepEqual(written.status, { replicas: 1 });
    assert.notEqual(written.metadata.resourceVersion, stored.metadata.resourceVersion);
    // Without the flag, the same status again is still no write.
    assert.equal(api.updateStatus(editable<ReplicaSet>(written)), written);
  });

  it('carries annotations for Deployments (statusWritesAnnotations), not for ReplicaSets', () => {
    const { api } = newApi();
    const d = editable<Deployment>(api.create(newDeployment('web')));
    d.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' };
    const written = api.updateStatus(d);
    assert.deepEqual(written.metadata.annotations, { 'deployment.kubernetes.io/revision': '2' }, 'annotation-only status write lands');
    assert.equal(written.metadata.resourceVersion, '2');

    const rs = api.create(newReplicaSet('rs'));
    const edit = editable<ReplicaSet>(rs);
    edit.metadata.annotations = { note: 'x' };
    assert.equal(api.updateStatus(edit), rs, 'ReplicaSet annotations are ignored by a status write');
    edit.status = { replicas: 1 };
    assert.equal(api.updateStatus(edit).metadata.annotations, undefined);
  });

  it('does not let a Deployment status write change labels or spec', () => {
    const { api } = newApi();
    const d = editable<Deployment>(api.create(newDeployment('web', { labels: { a: 'b' } })));
    d.metadata.labels = { a: 'changed' };
    d.spec.replicas = 9;
    d.status = { replicas: 1 };
    const written = api.updateStatus(d);
    assert.deepEqual(written.metadata.labels, { a: 'b' });
    assert.equal(written.spec.replicas, 1);
  });

  it('enforces the resourceVersion precondition with Conflict', () => {
    const { api } = newApi();
    const v1 = api.create(newReplicaSet('rs'));
    const a = editable<ReplicaSet>(v1);
    a.status = { replicas: 1 };
    api.updateStatus(a);
    const b = editable<ReplicaSet>(v1);
    b.status = { replicas: 2 };
    assert.throws(() => api.updateStatus(b), isApiError('Conflict'));
  });
});

describe('ApiServer.bind', () => {
  it('sets spec.nodeName and PodScheduled=True at the current time', () => {
    const test = newApi();
    test.api.create(newPod('p'));
    advance(test, 2500);
    const bound = test.api.bind('default', 'p', 'node-1');
    assert.equal(bound.spec.nodeName, 'node-1');
    const scheduled = getCondition(bound.status?.conditions, 'PodScheduled');
    assert.deepEqual(scheduled, { type: 'PodScheduled', status: 'True', lastTransitionTime: 2500 });
    assert.equal(bound.status?.phase, 'Pending', 'the rest of the status is kept');
    assert.equal(bound.metadata.resourceVersion, '2');
  });

  it('refuses a pod that is already bound (Conflict)', () => {
    const { api } = newApi();
    api.create(newPod('p'));
    api.bind('default', 'p', 'node-1');
    assert.throws(() => api.bind('default', 'p', 'node-2'), isApiError('Conflict'));
    assert.equal(api.get<Pod>('Pod', 'default', 'p')?.spec.nodeName, 'node-1');
  });

  it('refuses a terminating pod (Conflict)', () => {
    const { api } = newApi();
    api.create(newPod('p', { finalizers: ['example.com/hold'] }));
    api.delete('Pod', 'default', 'p');
    assert.ok(api.get<Pod>('Pod', 'default', 'p')?.metadata.deletionTimestamp !== undefined);
    assert.throws(() => api.bind('default', 'p', 'node-1'), isApiError('Conflict'));
  });

  it('NotFound for a missing pod', () => {
    const { api } = newApi();
    assert.throws(() => api.bind('default', 'ghost', 'node-1'), isApiError('NotFound'));
  });
});

describe('ApiServer.delete: pods', () => {
  it('removes an unbound pod at once, returning its last state', () => {
    const test = newApi();
    const deliveries = recordWatch(test, 'Pod');
    const stored = test.api.create(newPod('p'));
    const gone = test.api.delete('Pod', 'default', 'p');
    assert.equal(gone, stored);
    assert.equal(test.api.get('Pod', 'default', 'p'), undefined);
    assert.equal(test.api.count('Pod'), 0);
    test.sim.run();
    assert.deepEqual(deliveries.map((d) => d.event.type), ['ADDED', 'DELETED']);
  });

  it('gives a bound pod deletionTimestamp = now + grace (default 30 s) and keeps it', () => {
    const test = newApi();
    test.api.create(newPod('p', { nodeName: 'n1' }));
    advance(test, 1000);
    const terminating = test.api.delete('Pod', 'default', 'p');
    assert.equal(terminating.metadata.deletionTimestamp, 31_000);
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
    assert.equal(test.api.get('Pod', 'default', 'p'), terminating);
  });

  it('uses terminationGracePeriodSeconds, overridden by gracePeriodSeconds', () => {
    const { api } = newApi();
    api.create(newPod('a', { nodeName: 'n1', terminationGracePeriodSeconds: 10 }));
    api.create(newPod('b', { nodeName: 'n1', terminationGracePeriodSeconds: 10 }));
    assert.equal(api.delete('Pod', 'default', 'a').metadata.deletionGracePeriodSeconds, 10);
    assert.equal(api.delete('Pod', 'default', 'b', { gracePeriodSeconds: 3 }).metadata.deletionTimestamp, 3000);
  });

  it('a grace-0 delete then removes the terminating pod (the kubelet confirming)', () => {
    const test = newApi();
    const deliveries = recordWatch(test, 'Pod');
    test.api.create(newPod('p', { nodeName: 'n1' }));
    test.api.delete('Pod', 'default', 'p');
    test.api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 0 });
    assert.equal(test.api.get('Pod', 'default', 'p'), undefined);
    test.sim.run();
    assert.deepEqual(deliveries.map((d) => d.event.type), ['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('removes a terminal (Succeeded/Failed) bound pod at once', () => {
    const { api } = newApi();
    const stored = editable<Pod>(api.create(newPod('p', { nodeName: 'n1' })));
    stored.status = { phase: 'Succeeded' };
    api.updateStatus(stored);
    api.delete('Pod', 'default', 'p');
    assert.equal(api.get('Pod', 'default', 'p'), undefined);
  });

  it('a second delete with a longer (or default) grace changes nothing', () => {
    const test = newApi();
    test.api.create(newPod('p', { nodeName: 'n1' }));
    const first = test.api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 10 });
    advance(test, 1000);
    assert.equal(test.api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 60 }), first);
    assert.equal(test.api.delete('Pod', 'default', 'p'), first);
    assert.equal(test.api.get('Pod', 'default', 'p')?.metadata.resourceVersion, first.metadata.resourceVersion);
  });

  it('a second delete may shorten the grace period', () => {
    const test = newApi();
    test.api.create(newPod('p', { nodeName: 'n1' }));
    test.api.delete('Pod', 'default', 'p');
    advance(test, 10_000);
    const shortened = test.api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 5 });
    assert.equal(shortened.metadata.deletionGracePeriodSeconds, 5);
    assert.ok((shortened.metadata.deletionTimestamp as number) < 30_000, `deletionTimestamp ${shortened.metadata.deletionTimestamp}`);
  });

  it('a second delete compares grace periods and rebases the deadline on the first delete (BeforeDelete)', () => {
    // Upstream (staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go, BeforeDelete): a new
    // grace period is accepted iff it is shorter than deletionGracePeriodSeconds, and the new
    // deadline is deletionTimestamp − oldGrace + newGrace. Here: deleted at 0 s with 30 s grace,
    // re-deleted at 10 s with 25 s → grace 25, deadline 25 s. k8sim compares now + 25 s = 35 s
    // with the old deadline 30 s and keeps the old grace and deadline.
    const test = newApi();
    test.api.create(newPod('p', { nodeName: 'n1' }));
    test.api.delete('Pod', 'default', 'p');
    advance(test, 10_000);
    const again = test.api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 25 });
    assert.equal(again.metadata.deletionGracePeriodSeconds, 25);
    assert.equal(again.metadata.deletionTimestamp, 25_000);
  });

  it('enforces uid and resourceVersion preconditions with Conflict', () => {
    const { api } = newApi();
    const pod = api.create(newPod('p'));
    assert.throws(() => api.delete('Pod', 'default', 'p', { preconditions: { uid: 'other' } }), isApiError('Conflict'));
    assert.throws(() => api.delete('Pod', 'default', 'p', { preconditions: { resourceVersion: '999' } }), isApiError('Conflict'));
    api.delete('Pod', 'default', 'p', { preconditions: { uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion } });
    assert.equal(api.count('Pod'), 0);
  });

  it('NotFound for a missing object', () => {
    const { api } = newApi();
    assert.throws(() => api.delete('Pod', 'default', 'ghost'), isApiError('NotFound'));
  });
});

describe('ApiServer.delete: propagation and finalizers', () => {
  it('Background (default) removes a workload at once', () => {
    const { api } = newApi();
    api.create(newDeployment('web'));
    api.delete('Deployment', 'default', 'web');
    assert.equal(api.get('Deployment', 'default', 'web'), undefined);
  });

  for (const [policy, finalizer] of [['Foreground', FOREGROUND_FINALIZER], ['Orphan', ORPHAN_FINALIZER]] as const) {
    it(`${policy} adds the ${finalizer} finalizer; the object goes when an update removes it`, () => {
      const test = newApi();
      const deliveries = recordWatch(test, 'ReplicaSet');
      test.api.create(newReplicaSet('rs'));
      advance(test, 4000);
      const terminating = test.api.delete('ReplicaSet', 'default', 'rs', { propagationPolicy: policy });
      assert.deepEqual(terminating.metadata.finalizers, [finalizer]);
      assert.equal(terminating.metadata.deletionTimestamp, 4000);
      assert.equal(terminating.metadata.deletionGracePeriodSeconds, 0);
      assert.ok(test.api.get('ReplicaSet', 'default', 'rs') !== undefined);

      const edit = editable<ReplicaSet>(terminating);
      edit.metadata.finalizers = [];
      const final = test.api.update(edit);
      assert.equal(test.api.get('ReplicaSet', 'default', 'rs'), undefined);
      assert.deepEqual(final.metadata.finalizers, []);
      test.sim.run();
      assert.deepEqual(deliveries.map((d) => d.event.type), ['ADDED', 'MODIFIED', 'DELETED']);
    });
  }

  it('does not add a finalizer twice', () => {
    const { api } = newApi();
    const rs = newReplicaSet('rs');
    rs.metadata.finalizers = [FOREGROUND_FINALIZER];
    api.create(rs);
    assert.deepEqual(api.delete('ReplicaSet', 'default', 'rs', { propagationPolicy: 'Foreground' }).metadata.finalizers, [FOREGROUND_FINALIZER]);
  });

  it('keeps an object with someone else\'s finalizer until it is removed', () => {
    const { api } = newApi();
    api.create(newPod('p', { finalizers: ['example.com/hold'] }));
    const terminating = api.delete('Pod', 'default', 'p');
    assert.equal(terminating.metadata.deletionTimestamp, 0);
    const edit = editable<Pod>(terminating);
    edit.metadata.labels = { still: 'here' };
    const kept = api.update(edit);
    assert.ok(api.get('Pod', 'default', 'p') !== undefined, 'an update that keeps the finalizer keeps the object');
    const release = editable<Pod>(kept);
    release.metadata.finalizers = undefined;
    api.update(release);
    assert.equal(api.get('Pod', 'default', 'p'), undefined);
  });

  it('a bound pod whose finalizers are removed still waits for the kubelet\'s grace-0 delete', () => {
    const { api } = newApi();
    api.create(newPod('p', { nodeName: 'n1' }));
    const terminating = api.delete('Pod', 'default', 'p', { propagationPolicy: 'Foreground' });
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
    const edit = editable<Pod>(terminating);
    edit.metadata.finalizers = [];
    api.update(edit);
    assert.ok(api.get('Pod', 'default', 'p') !== undefined);
    api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 0 });
    assert.equal(api.get('Pod', 'default', 'p'), undefined);
  });

  it('bumps metadata.generation when a generation-tracking object starts terminating (markAsDeleting)', () => {
    // Upstream (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go,
    // markAsDeleting): setting the first deletionTimestamp bumps generation when it is > 0, so
    // controllers see a new generation and status.observedGeneration lags until they react.
    const { api } = newApi();
    api.create(newDeployment('web'));
    const terminating = api.delete('Deployment', 'default', 'web', { propagationPolicy: 'Foreground' });
    assert.equal(terminating.metadata.generation, 2);
  });
});

describe('ApiServer: watch delivery and observers', () => {
  it('delivers after the watch latency, not before', () => {
    const test = newApi({ watchLatency: constant(100) });
    const deliveries = recordWatch(test, 'Pod');
    test.api.create(newPod('p'));
    test.sim.run({ until: 99 });
    assert.equal(deliveries.length, 0);
    test.sim.run({ until: 100 });
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0].at, 100);
    assert.equal(deliveries[0].event.type, 'ADDED');
    assert.equal(deliveries[0].event.oldObject, undefined);
  });

  it('delivers MODIFIED with the old object and DELETED with the final state, in commit order', () => {
    const test = newApi({ watchLatency: constant(10) });
    const deliveries = recordWatch(test, 'Deployment');
    const v1 = test.api.create(newDeployment('web'));
    const edit = editable<Deployment>(v1);
    edit.spec.replicas = 2;
    const v2 = test.api.update(edit);
    test.api.delete('Deployment', 'default', 'web');
    test.sim.run();
    assert.deepEqual(deliveries.map((d) => d.event.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(deliveries[1].event.oldObject, v1);
    assert.equal(deliveries[1].event.object, v2);
    assert.equal(deliveries[2].event.object, v2);
  });

  it('delivers only the watched kind, to every watcher of it', () => {
    const test = newApi();
    const pods = recordWatch(test, 'Pod');
    const pods2 = recordWatch(test, 'Pod');
    const nodes = recordWatch(test, 'Node');
    test.api.create(newPod('p'));
    test.sim.run();
    assert.equal(pods.length, 1);
    assert.equal(pods2.length, 1);
    assert.equal(nodes.length, 0);
  });

  it('never reorders deliveries under a random latency', () => {
    const test = newApi({ watchLatency: { kind: 'exponential', meanMs: 50 } });
    const deliveries = recordWatch(test, 'Pod');
    const commitTimes = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      test.sim.schedule(i * 7, () => {
        const pod = test.api.create(newPod(`p${i}`));
        commitTimes.set(pod.metadata.resourceVersion as string, test.sim.now);
      });
    }
    test.sim.run();
    assert.equal(deliveries.length, 200);
    const versions = deliveries.map((d) => Number(d.event.object.metadata.resourceVersion));
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i - 1] < versions[i], `delivery ${i} out of order: ${versions[i - 1]} then ${versions[i]}`);
    let delayed = 0;
    for (const d of deliveries) {
      const committed = commitTimes.get(d.event.object.metadata.resourceVersion as string) as number;
      assert.ok(d.at >= committed, 'never delivered before the commit');
      if (d.at > committed) delayed++;
    }
    assert.ok(delayed > 100, `latency was applied (${delayed} of 200 delayed)`);
  });

  it('delivers at the Watch priority: before timers scheduled earlier for the same instant', () => {
    const test = newApi({ watchLatency: constant(50) });
    const order: string[] = [];
    test.api.watch('Pod', () => order.push('watch'));
    test.sim.schedule(50, () => order.push('timer'));
    test.api.create(newPod('p'));
    test.sim.run();
    assert.deepEqual(order, ['watch', 'timer']);
  });

  it('calls observers synchronously on every commit of every kind', () => {
    const test = newApi({ watchLatency: constant(1000) });
    const seen: string[] = [];
    test.api.observe((e) => seen.push(`${e.type} ${e.object.kind}/${e.object.metadata.name}`));
    test.api.create(newPod('p'));
    assert.deepEqual(seen, ['ADDED Pod/p'], 'seen before create returns, with no time passing');
    test.api.create(newNode('n1'));
    test.api.bind('default', 'p', 'n1');
    test.api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 0 });
    assert.deepEqual(seen, ['ADDED Pod/p', 'ADDED Node/n1', 'MODIFIED Pod/p', 'DELETED Pod/p']);
    assert.equal(test.sim.now, 0);
  });
});
