import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly, KubeObject } from '../../src/api/types/meta.js';
import type { Pod } from '../../src/api/types/pod.js';
import type { WatchEvent } from '../../src/cluster/api-server.js';
import {
  INDEX_CONTROLLER_UID,
  INDEX_ORPHANS,
  INDEX_OWNER_UID,
  Informer,
  InformerFactory,
  controllerUid,
  orphanNamespace,
  objectNamespace,
  ownerUids,
  podNodeName,
} from '../../src/cluster/informer.js';
import { constant } from '../../src/engine/distribution.js';
import { controllerRef, editable, newApi, newPod, newReplicaSet } from '../helpers/engine-fixtures.js';

type ROPod = DeepReadonly<Pod>;

function ev(type: WatchEvent['type'], object: Pod, oldObject?: Pod): WatchEvent<Pod> {
  return { type, object: object as ROPod, oldObject: oldObject as ROPod | undefined };
}

function recorder(informer: Informer<Pod>) {
  const calls: string[] = [];
  const args: { kind: string; a: ROPod; b?: ROPod }[] = [];
  informer.addEventHandler({
    add: (obj) => {
      calls.push(`add ${obj.metadata.name}`);
      args.push({ kind: 'add', a: obj });
    },
    update: (oldObj, newObj) => {
      calls.push(`update ${newObj.metadata.name}`);
      args.push({ kind: 'update', a: oldObj, b: newObj });
    },
    delete: (obj) => {
      calls.push(`delete ${obj.metadata.name}`);
      args.push({ kind: 'delete', a: obj });
    },
  });
  return { calls, args };
}

const byApp = (obj: ROPod): string | undefined => obj.metadata.labels?.app;

describe('Informer: cache and handlers', () => {
  it('calls add, then update with (old, new), then delete, keeping the cache in step', () => {
    const informer = new Informer<Pod>('Pod');
    const { calls, args } = recorder(informer);
    const v1 = newPod('p', { namespace: 'default', labels: { v: '1' } });
    const v2 = newPod('p', { namespace: 'default', labels: { v: '2' } });
    informer.handle(ev('ADDED', v1));
    assert.equal(informer.get('default', 'p'), v1);
    assert.equal(informer.getByKey('default/p'), v1);
    informer.handle(ev('MODIFIED', v2, v1));
    assert.equal(informer.get('default', 'p'), v2);
    informer.handle(ev('DELETED', v2, v2));
    assert.equal(informer.get('default', 'p'), undefined);
    assert.equal(informer.size, 0);
    assert.deepEqual(calls, ['add p', 'update p', 'delete p']);
    assert.equal(args[1].a, v1, 'update receives the previously cached object as old');
    assert.equal(args[1].b, v2);
  });

  it('hands every handler the object\'s cache key: the event\'s, or its namespace/name', () => {
    const informer = new Informer<Pod>('Pod');
    const keys: string[] = [];
    informer.addEventHandler({
      add: (_obj, key) => keys.push(`add ${key}`),
      update: (_old, _obj, key) => keys.push(`update ${key}`),
      delete: (_obj, key) => keys.push(`delete ${key}`),
    });
    const v1 = newPod('p', { namespace: 'ns' });
    informer.handle(ev('ADDED', v1));
    informer.handle({ ...ev('MODIFIED', v1, v1), key: 'ns/p' });
    informer.handle(ev('DELETED', v1, v1));
    assert.deepEqual(keys, ['add ns/p', 'update ns/p', 'delete ns/p']);
  });

  it('the update handler\'s old object is the cached one, not the event\'s oldObject', () => {
    const informer = new Informer<Pod>('Pod');
    const { args } = recorder(informer);
    const cached = newPod('p', { labels: { v: 'cached' } });
    informer.handle(ev('ADDED', cached));
    informer.handle(ev('MODIFIED', newPod('p', { labels: { v: 'new' } }), newPod('p', { labels: { v: 'server-old' } })));
    assert.equal(args[1].a, cached);
  });

  it('the delete handler receives the last state the cache held (as documented on EventHandler.delete)', () => {
    const informer = new Informer<Pod>('Pod');
    const { args } = recorder(informer);
    const cached = newPod('p', { finalizers: ['x'] });
    const final = newPod('p');
    informer.handle(ev('ADDED', cached));
    informer.handle(ev('DELETED', final, cached));
    assert.equal(args[1].a, cached);
  });

  it('treats MODIFIED for an unknown object as an add, and ignores DELETED for an unknown one', () => {
    const informer = new Informer<Pod>('Pod');
    const { calls } = recorder(informer);
    informer.handle(ev('MODIFIED', newPod('late')));
    informer.handle(ev('DELETED', newPod('never-seen')));
    assert.deepEqual(calls, ['add late']);
    assert.equal(informer.size, 1);
  });

  it('lists every cached object; keys cluster-scoped objects by name', () => {
    const informer = new Informer<KubeObject>('Node');
    informer.handle({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } });
    informer.handle({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } } });
    assert.deepEqual([...informer.list()].map((n) => n.metadata.name), ['n1', 'n2']);
    assert.equal(informer.getByKey('n1')?.metadata.name, 'n1');
    assert.equal(informer.get(undefined, 'n2')?.metadata.name, 'n2');
  });

  it('calls a handler\'s methods with the handler as `this`', () => {
    const informer = new Informer<Pod>('Pod');
    const seen: string[] = [];
    informer.addEventHandler({
      prefix: 'seen',
      add(obj) {
        seen.push(`${this.prefix} ${obj.metadata.name}`);
      },
    } as { prefix: string; add(obj: ROPod): void });
    informer.handle(ev('ADDED', newPod('p')));
    assert.deepEqual(seen, ['seen p']);
  });

  it('calls every handler, in registration order', () => {
    const informer = new Informer<Pod>('Pod');
    const order: string[] = [];
    informer.addEventHandler({ add: () => order.push('first') });
    informer.addEventHandler({ add: () => order.push('second') });
    informer.addEventHandler({});
    informer.handle(ev('ADDED', newPod('p')));
    assert.deepEqual(order, ['first', 'second']);
  });
});

describe('Informer: indexes', () => {
  it('files objects under their index values and moves them when labels change', () => {
    const informer = new Informer<Pod>('Pod').addIndex('app', byApp);
    const web = newPod('a', { namespace: 'default', labels: { app: 'web' } });
    informer.handle(ev('ADDED', web));
    informer.handle(ev('ADDED', newPod('b', { namespace: 'default', labels: { app: 'web' } })));
    informer.handle(ev('ADDED', newPod('c', { namespace: 'default' })));
    assert.deepEqual([...informer.byIndex('app', 'web').keys()], ['default/a', 'default/b']);

    const moved = newPod('a', { namespace: 'default', labels: { app: 'api' } });
    informer.handle(ev('MODIFIED', moved, web));
    assert.deepEqual([...informer.byIndex('app', 'web').keys()], ['default/b']);
    assert.equal(informer.byIndex('app', 'api').get('default/a'), moved);

    informer.handle(ev('DELETED', moved));
    assert.equal(informer.byIndex('app', 'api').size, 0);
  });

  it('an unchanged index value points at the newest object', () => {
    const informer = new Informer<Pod>('Pod').addIndex('app', byApp);
    const v1 = newPod('a', { labels: { app: 'web' } });
    const v2 = newPod('a', { labels: { app: 'web', extra: 'x' } });
    informer.handle(ev('ADDED', v1));
    informer.handle(ev('MODIFIED', v2, v1));
    assert.equal(informer.byIndex('app', 'web').get('a'), v2);
    assert.equal(informer.byIndex('app', 'web').size, 1);
  });

  it('counts an index value and tells whether it still holds the very same objects', () => {
    const informer = new Informer<Pod>('Pod').addIndex('app', byApp);
    const a = newPod('a', { namespace: 'default', labels: { app: 'web' } });
    const b = newPod('b', { namespace: 'default', labels: { app: 'web' } });
    informer.handle(ev('ADDED', a));
    informer.handle(ev('ADDED', b));
    assert.equal(informer.countIndexed('app', 'web'), 2);
    assert.equal(informer.countIndexed('app', 'api'), 0);
    assert.equal(informer.sameIndexed('app', 'web', [a, b] as ROPod[]), true);
    assert.equal(informer.sameIndexed('app', 'web', [b, a] as ROPod[]), false, 'order matters');
    assert.equal(informer.sameIndexed('app', 'web', [a] as ROPod[]), false, 'a missing object');
    // An equal but replaced object is not the same object.
    const a2 = newPod('a', { namespace: 'default', labels: { app: 'web' } });
    informer.handle(ev('MODIFIED', a2, a));
    assert.equal(informer.sameIndexed('app', 'web', [a, b] as ROPod[]), false);
    assert.equal(informer.sameIndexed('app', 'web', [a2, b] as ROPod[]), true);
    assert.equal(informer.sameIndexed('app', 'api', []), true);
  });

  it('skips an index function while the part it reads is the very same value', () => {
    let calls = 0;
    const informer = new Informer<Pod>('Pod').addIndex('node', (pod) => {
      calls++;
      return pod.spec.nodeName ?? '';
    }, (pod) => pod.spec);
    const v1 = newPod('a', { namespace: 'default' });
    informer.handle(ev('ADDED', v1));
    assert.equal(calls, 1);
    // A status write keeps the spec object: not computed again, still filed where it was.
    const v2 = { ...v1, status: { phase: 'Running' } } as Pod;
    informer.handle(ev('MODIFIED', v2, v1));
    assert.equal(calls, 1);
    assert.equal(informer.byIndex('node', '').get('default/a'), v2);
    // A new spec is read again and moves the object.
    const v3 = { ...v2, spec: { ...v2.spec, nodeName: 'n1' } } as Pod;
    informer.handle(ev('MODIFIED', v3, v2));
    assert.equal(calls, 2);
    assert.equal(informer.byIndex('node', '').size, 0);
    assert.equal(informer.byIndex('node', 'n1').get('default/a'), v3);
  });

  it('skips an index function given a list of parts only while each is the very same value', () => {
    let calls = 0;
    const informer = new Informer<Pod>('Pod').addIndex('nodeAndPhase', (pod) => {
      calls++;
      return `${pod.spec.nodeName ?? ''}/${pod.status?.phase ?? ''}`;
    }, [(pod) => pod.spec, (pod) => pod.status?.phase]);
    const v1 = newPod('a', { namespace: 'default' });
    informer.handle(ev('ADDED', { ...v1, status: { phase: 'Pending' } } as Pod));
    const v1p = informer.getByKey('default/a') as Pod;
    assert.equal(calls, 1);
    // A new status object with the same phase, the same spec: not computed again.
    const v2 = { ...v1p, status: { phase: 'Pending', message: 'x' } } as Pod;
    informer.handle(ev('MODIFIED', v2, v1p));
    assert.equal(calls, 1);
    assert.equal(informer.byIndex('nodeAndPhase', '/Pending').get('default/a'), v2);
    // Either part changing reads the object again.
    const v3 = { ...v2, status: { phase: 'Running' } } as Pod;
    informer.handle(ev('MODIFIED', v3, v2));
    assert.equal(calls, 2);
    assert.equal(informer.byIndex('nodeAndPhase', '/Running').get('default/a'), v3);
    const v4 = { ...v3, spec: { ...v3.spec, nodeName: 'n1' } } as Pod;
    informer.handle(ev('MODIFIED', v4, v3));
    assert.equal(calls, 3);
    assert.equal(informer.byIndex('nodeAndPhase', 'n1/Running').get('default/a'), v4);
    assert.equal(informer.countIndexed('nodeAndPhase', '/Running'), 0);
  });

  it('serves an index by objectNamespace from the cache, like an index filed by namespace', () => {
    const informer = new Informer<Pod>('Pod')
      .addIndex('served', objectNamespace)
      .addIndex('filed', (pod) => pod.metadata.namespace ?? '');
    const same = (namespace: string): void => {
      assert.deepEqual([...informer.byIndex('served', namespace).entries()], [...informer.byIndex('filed', namespace).entries()]);
      assert.equal(informer.countIndexed('served', namespace), informer.countIndexed('filed', namespace));
    };
    const a = newPod('a', { namespace: 'x' });
    const b = newPod('b', { namespace: 'x' });
    const c = newPod('c', { namespace: 'y' });
    for (const pod of [a, b, c]) informer.handle(ev('ADDED', pod));
    same('x');
    same('y');
    same('z');
    const b2 = newPod('b', { namespace: 'x', labels: { v: '2' } });
    informer.handle(ev('MODIFIED', b2, b));
    informer.handle(ev('DELETED', a, a));
    same('x');
    const view = informer.byIndex('served', 'x');
    assert.equal(view.get('x/b'), b2);
    assert.equal(view.has('x/a'), false);
    assert.equal(view.has('y/c'), false, 'an object of another namespace is not in the view');
    assert.equal(informer.sameIndexed('served', 'x', [b2]), true);
    assert.equal(informer.sameIndexed('served', 'x', [b]), false);
  });

  it('supports multi-valued index functions', () => {
    const informer = new Informer<Pod>('Pod').addIndex(INDEX_OWNER_UID, ownerUids);
    const refs = (...uids: string[]) => uids.map((uid) => ({ apiVersion: 'v1', kind: 'X', name: uid, uid }));
    const v1 = newPod('p', { ownerReferences: refs('u1', 'u2') });
    informer.handle(ev('ADDED', v1));
    assert.equal(informer.byIndex(INDEX_OWNER_UID, 'u1').size, 1);
    assert.equal(informer.byIndex(INDEX_OWNER_UID, 'u2').size, 1);
    const v2 = newPod('p', { ownerReferences: refs('u2', 'u3') });
    informer.handle(ev('MODIFIED', v2, v1));
    assert.equal(informer.byIndex(INDEX_OWNER_UID, 'u1').size, 0);
    assert.equal(informer.byIndex(INDEX_OWNER_UID, 'u2').get('p'), v2);
    assert.equal(informer.byIndex(INDEX_OWNER_UID, 'u3').size, 1);
  });

  it('tracks controller ownership changes (controllerUID and orphans indexes)', () => {
    const informer = new Informer<Pod>('Pod').addIndex(INDEX_CONTROLLER_UID, controllerUid).addIndex(INDEX_ORPHANS, orphanNamespace);
    const orphan = newPod('p', { namespace: 'ns' });
    informer.handle(ev('ADDED', orphan));
    assert.equal(informer.byIndex(INDEX_ORPHANS, 'ns').size, 1);
    const owned = newPod('p', { namespace: 'ns', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }] });
    informer.handle(ev('MODIFIED', owned, orphan));
    assert.equal(informer.byIndex(INDEX_ORPHANS, 'ns').size, 0);
    assert.equal(informer.byIndex(INDEX_CONTROLLER_UID, 'rs-uid').get('ns/p'), owned);
    informer.handle(ev('MODIFIED', orphan, owned));
    assert.equal(informer.byIndex(INDEX_CONTROLLER_UID, 'rs-uid').size, 0);
    assert.equal(informer.byIndex(INDEX_ORPHANS, 'ns').size, 1);
  });

  it('returns an empty view for a value nobody has', () => {
    const informer = new Informer<Pod>('Pod').addIndex('app', byApp);
    assert.equal(informer.byIndex('app', 'nothing').size, 0);
  });

  it('byIndex on an unknown index throws', () => {
    const informer = new Informer<Pod>('Pod');
    assert.throws(() => informer.byIndex('nope', 'x'), /no index named nope/);
  });

  it('addIndex after objects arrived throws', () => {
    const informer = new Informer<Pod>('Pod');
    informer.handle(ev('ADDED', newPod('p')));
    assert.throws(() => informer.addIndex('app', byApp), /added after objects arrived/);
  });

  it('index helper functions read owner references', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'c', controller: true };
    const pod = newPod('p', { namespace: 'ns', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'o' }, ref] });
    assert.equal(controllerUid(pod), 'c');
    assert.deepEqual(ownerUids(pod), ['o', 'c']);
    assert.equal(orphanNamespace(pod), undefined);
    assert.equal(orphanNamespace(newPod('q', { namespace: 'ns' })), 'ns');
    assert.equal(ownerUids(newPod('r')), undefined);
    assert.equal(ownerUids(newPod('s', { ownerReferences: [ref] })), 'c', 'a sole owner\'s uid, as a string');
    assert.equal(ownerUids(newPod('t', { ownerReferences: [] })), undefined);
  });

  it('files pods by node name, unscheduled pods under no value', () => {
    const informer = new Informer<Pod>('Pod').addIndex('node', podNodeName);
    const pending = newPod('p');
    informer.handle(ev('ADDED', pending));
    assert.equal(podNodeName(pending), undefined);
    assert.equal(informer.countIndexed('node', ''), 0);
    const bound = newPod('p', { nodeName: 'n1' });
    informer.handle(ev('MODIFIED', bound, pending));
    assert.deepEqual([...informer.byIndex('node', 'n1').values()], [bound]);
  });
});

describe('InformerFactory', () => {
  it('shares one informer per kind and a distinct one per kind', () => {
    const { api } = newApi();
    const factory = new InformerFactory(api);
    const pods = factory.forKind<Pod>('Pod');
    assert.equal(factory.forKind<Pod>('Pod'), pods);
    assert.notEqual(factory.forKind('ReplicaSet'), pods as unknown);
  });

  it('feeds the informer from the API server watch, after the latency, with the standard indexes', () => {
    const test = newApi({ watchLatency: constant(25) });
    const factory = new InformerFactory(test.api);
    const pods = factory.forKind<Pod>('Pod');
    let handled = 0;
    // A second consumer of the same kind shares the subscription: one watch, one cache.
    factory.forKind<Pod>('Pod').addEventHandler({ add: () => handled++ });
    const rs = test.api.create(newReplicaSet('rs'));
    test.api.create(newPod('p1', { ownerReferences: [controllerRef(rs)] }));
    test.api.create(newPod('p2'));
    assert.equal(pods.size, 0, 'nothing before the watch latency');
    test.sim.run();
    assert.equal(test.sim.now, 25);
    assert.equal(pods.size, 2);
    assert.equal(handled, 2, 'each event handled once');
    assert.deepEqual([...pods.byIndex(INDEX_CONTROLLER_UID, rs.metadata.uid as string).keys()], ['default/p1']);
    assert.deepEqual([...pods.byIndex(INDEX_OWNER_UID, rs.metadata.uid as string).keys()], ['default/p1']);
    assert.deepEqual([...pods.byIndex(INDEX_ORPHANS, 'default').keys()], ['default/p2']);

    const orphaned = editable<Pod>(test.api.get<Pod>('Pod', 'default', 'p1'));
    orphaned.metadata.ownerReferences = undefined;
    test.api.update(orphaned);
    test.api.delete('Pod', 'default', 'p2');
    test.sim.run();
    assert.equal(pods.byIndex(INDEX_CONTROLLER_UID, rs.metadata.uid as string).size, 0);
    assert.deepEqual([...pods.byIndex(INDEX_ORPHANS, 'default').keys()], ['default/p1']);
    assert.equal(pods.size, 1);
  });

  it('keeps several informers of one kind in step, through updates, deletion and re-creation', () => {
    // The first informer claims each object's store slot; the second finds it claimed and looks up by key.
    const test = newApi();
    const informers = [new InformerFactory(test.api).forKind<Pod>('Pod'), new InformerFactory(test.api).forKind<Pod>('Pod')];
    const recorders = informers.map(recorder);
    const relabel = (v: string): void => {
      const pod = editable<Pod>(test.api.get<Pod>('Pod', 'default', 'p'));
      pod.metadata.labels = { v };
      test.api.update(pod);
      test.sim.run();
    };
    test.api.create(newPod('p', { labels: { v: '1' } }));
    test.sim.run();
    relabel('2');
    test.api.delete('Pod', 'default', 'p');
    test.api.create(newPod('p', { labels: { v: '3' } }));
    test.sim.run();
    relabel('4');
    for (const [i, informer] of informers.entries()) {
      assert.deepEqual(recorders[i].calls, ['add p', 'update p', 'delete p', 'add p', 'update p']);
      assert.equal(informer.size, 1);
      assert.equal(informer.get('default', 'p'), test.api.get<Pod>('Pod', 'default', 'p'));
      assert.equal(informer.getByKey('default/p'), test.api.get<Pod>('Pod', 'default', 'p'));
      assert.equal(recorders[i].args[4].a.metadata.labels?.v, '3');
    }
  });
});
