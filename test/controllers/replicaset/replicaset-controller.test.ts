/**
 * The ReplicaSet controller on a live API server and informers: creating toward spec.replicas
 * (slow start, burst limit, expectations), deleting by upstream's ranking, claiming (adoption,
 * release), status counts, and the minReadySeconds re-check.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../../src/api/types/meta.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { ReplicaSet } from '../../../src/api/types/replicaset.js';
import { ApiServer } from '../../../src/cluster/api-server.js';
import { BURST_REPLICAS, type ReplicaSetController, replicaSetController } from '../../../src/controllers/replicaset/replicaset-controller.js';
import { ApiError } from '../../../src/errors.js';
import { controllerRef, newPod, newReplicaSet } from '../../helpers/engine-fixtures.js';
import { type WorkloadCluster, newWorkloadCluster, podsOf, setPodStatus, stored, updateSpec } from '../workload-harness.js';

const KEY = 'default/web';

/** Refuses pod creates beyond `quota` stored pods, as a ResourceQuota would; counts attempts. */
class QuotaApiServer extends ApiServer {
  quota = Infinity;
  podCreates = 0;

  override create<T extends KubeObject>(input: T): DeepReadonly<T> {
    if (input.kind === 'Pod') {
      this.podCreates++;
      if (this.count('Pod') >= this.quota) throw new ApiError('Forbidden', 'pods "web-x" is forbidden: exceeded quota: pods');
    }
    return super.create(input);
  }
}

function rsCluster(): WorkloadCluster {
  return newWorkloadCluster({ controllers: [replicaSetController] });
}

function quotaCluster(quota: number): WorkloadCluster & { api: QuotaApiServer } {
  const cluster = newWorkloadCluster({ controllers: [replicaSetController], apiServer: (sim, random, options) => new QuotaApiServer(sim, random, options) });
  const api = cluster.api as QuotaApiServer;
  api.quota = quota;
  return { ...cluster, api };
}

function controllerOf(cluster: WorkloadCluster): ReplicaSetController {
  return cluster.runners[0].controller as ReplicaSetController;
}

function createRS(cluster: WorkloadCluster, replicas: number, edit?: (rs: ReplicaSet) => void): DeepReadonly<ReplicaSet> {
  const rs = newReplicaSet('web', { replicas });
  edit?.(rs);
  return cluster.api.create(rs);
}

function scale(cluster: WorkloadCluster, name: string, replicas: number): void {
  updateSpec<ReplicaSet>(cluster.api, 'ReplicaSet', name, (rs) => {
    rs.spec.replicas = replicas;
  });
}

const rsStatus = (cluster: WorkloadCluster, name = 'web') => stored<ReplicaSet>(cluster.api, 'ReplicaSet', name).status;

describe('ReplicaSet controller: creating', () => {
  it('creates spec.replicas pods from the template in one sync, owned by the ReplicaSet', () => {
    const cluster = rsCluster();
    const rs = createRS(cluster, 5);
    cluster.sim.run({ until: 5 });
    const pods = podsOf(cluster.api, rs);
    assert.equal(pods.length, 5, 'the whole diff in the first sync (batches 1, 2, 2)');
    for (const pod of pods) {
      assert.equal(pod.metadata.generateName, 'web-');
      assert.deepEqual(pod.metadata.labels, { app: 'web' });
      assert.deepEqual(pod.metadata.ownerReferences, [controllerRef(rs as ReplicaSet)]);
    }
    cluster.sim.run();
    assert.equal(cluster.api.count('Pod'), 5);
  });

  it('creates in slow-start batches 1, 2, 4 and stops after the first batch with a failure', () => {
    const cluster = quotaCluster(4);
    createRS(cluster, 10);
    cluster.sim.run({ until: 5 });
    assert.equal(cluster.api.count('Pod'), 4);
    assert.equal(cluster.api.podCreates, 7, 'batches of 1, 2 and 4; the batch of 8 is skipped');
    const failure = rsStatus(cluster)?.conditions?.find((c) => c.type === 'ReplicaFailure');
    assert.equal(failure?.reason, 'FailedCreate');
    assert.match(failure?.message ?? '', /exceeded quota/);
  });

  it('lowers expectations by the skipped creates, so the next sync is not blocked', () => {
    const cluster = quotaCluster(4);
    createRS(cluster, 10);
    cluster.sim.run({ until: 5 });
    assert.deepEqual(controllerOf(cluster).expectations.get(KEY), { add: 4, del: 0 }, '10 expected − 6 never created');
    cluster.sim.run({ until: 10 });
    assert.equal(controllerOf(cluster).expectations.satisfiedExpectations(KEY), true);
  });

  it('clears ReplicaFailure when a later sync creates the missing pods', () => {
    const cluster = quotaCluster(4);
    createRS(cluster, 10);
    cluster.sim.run({ until: 1000 });
    cluster.api.quota = Infinity;
    updateSpec<ReplicaSet>(cluster.api, 'ReplicaSet', 'web', (rs) => {
      rs.metadata.annotations = { touch: '1' };
    });
    cluster.sim.run({ until: 5000 });
    assert.equal(cluster.api.count('Pod'), 10);
    assert.equal(rsStatus(cluster)?.conditions, undefined);
    assert.equal(rsStatus(cluster)?.replicas, 10);
  });

  it(
    'retries failed creates with back-off, without any other event (upstream returns the error and requeues rate-limited)',
    () => {
      const cluster = quotaCluster(4);
      createRS(cluster, 10);
      cluster.sim.run({ until: 1000 });
      cluster.api.quota = Infinity;
      cluster.sim.run({ until: 60_000 });
      assert.equal(cluster.api.count('Pod'), 10);
    },
  );

  it('replaces no pod for a ReplicaSet being deleted, but keeps its status current', () => {
    const cluster = rsCluster();
    const rs = createRS(cluster, 3, (r) => {
      r.metadata.finalizers = ['example.com/hold'];
    });
    cluster.sim.run();
    cluster.api.delete('ReplicaSet', 'default', 'web');
    cluster.api.delete('Pod', 'default', podsOf(cluster.api, rs)[0].metadata.name);
    cluster.sim.run();
    assert.equal(cluster.api.count('Pod'), 2);
    assert.equal(rsStatus(cluster)?.replicas, 2);
  });

  it(`creates at most BurstReplicas (${BURST_REPLICAS}) pods per sync`, () => {
    const cluster = rsCluster();
    createRS(cluster, BURST_REPLICAS + 100);
    cluster.sim.run({ until: 5 });
    assert.equal(cluster.api.count('Pod'), BURST_REPLICAS);
    cluster.sim.run();
    assert.equal(cluster.api.count('Pod'), BURST_REPLICAS + 100);
  });
});

describe('ReplicaSet controller: expectations', () => {
  it('does not create again while its creates are in flight (the informer has not seen them)', () => {
    const cluster = rsCluster();
    const controller = controllerOf(cluster);
    createRS(cluster, 3);
    cluster.sim.run({ until: 5 });
    assert.equal(cluster.api.count('Pod'), 3);
    assert.deepEqual(controller.expectations.get(KEY), { add: 3, del: 0 });
    controller.reconcile(KEY);
    assert.equal(cluster.api.count('Pod'), 3, 'a stale cache shows 0 pods, but expectations hold the sync back');
    cluster.sim.run({ until: 10 });
    assert.deepEqual(controller.expectations.get(KEY), { add: 0, del: 0 });
    cluster.sim.run();
    assert.equal(cluster.api.count('Pod'), 3);
  });

  it('counts a graceful deletion once: the terminating update and the final delete', () => {
    const cluster = rsCluster();
    const controller = controllerOf(cluster);
    const rs = createRS(cluster, 3);
    cluster.sim.run();
    for (const pod of podsOf(cluster.api, rs)) cluster.api.bind('default', pod.metadata.name, 'n1');
    cluster.sim.run();
    scale(cluster, 'web', 1);
    cluster.sim.run();
    assert.deepEqual(controller.expectations.get(KEY), { add: 0, del: 0 });
    const terminating = podsOf(cluster.api, rs).filter((pod) => pod.metadata.deletionTimestamp !== undefined);
    assert.equal(terminating.length, 2);
    for (const pod of terminating) cluster.api.delete('Pod', 'default', pod.metadata.name, { gracePeriodSeconds: 0 });
    cluster.sim.run();
    assert.deepEqual(controller.expectations.get(KEY), { add: 0, del: 0 }, 'not −2');
    assert.equal(cluster.api.count('Pod'), 1);
  });
});

describe('ReplicaSet controller: deleting', () => {
  it('deletes unassigned, then pending, then not-ready pods first', () => {
    const cluster = rsCluster();
    const rs = createRS(cluster, 4);
    cluster.sim.run();
    const [a, b, c, d] = podsOf(cluster.api, rs).map((pod) => pod.metadata.name);
    cluster.api.bind('default', b, 'n1');
    cluster.api.bind('default', c, 'n1');
    cluster.api.bind('default', d, 'n2');
    setPodStatus(cluster, c, 'Running', false);
    setPodStatus(cluster, d, 'Running', true);
    cluster.sim.run();
    scale(cluster, 'web', 2);
    cluster.sim.run();
    assert.equal(cluster.api.get('Pod', 'default', a), undefined, 'the unassigned pod goes at once');
    assert.notEqual(stored<Pod>(cluster.api, 'Pod', b).metadata.deletionTimestamp, undefined, 'the pending bound pod is terminating');
    assert.equal(stored<Pod>(cluster.api, 'Pod', c).metadata.deletionTimestamp, undefined);
    assert.equal(stored<Pod>(cluster.api, 'Pod', d).metadata.deletionTimestamp, undefined);
    assert.equal(rsStatus(cluster)?.replicas, 2);
    assert.equal(rsStatus(cluster)?.terminatingReplicas, 1);
  });

  /** Pods of `web`, Running and Ready; `nodes[i]` and `readySince[i]` for the i-th pod by name. */
  function readyPods(cluster: WorkloadCluster, rs: DeepReadonly<ReplicaSet>, nodes: string[], readySince: number[]): string[] {
    const names = podsOf(cluster.api, rs).map((pod) => pod.metadata.name);
    names.forEach((name, i) => {
      cluster.api.bind('default', name, nodes[i]);
      setPodStatus(cluster, name, 'Running', true, readySince[i]);
    });
    return names;
  }

  const NOW = 1_000_000;

  it('prefers pods doubled up on a node with pods of sibling ReplicaSets (same controller)', () => {
    const cluster = rsCluster();
    const owner: OwnerReference = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', uid: 'deployment-uid', controller: true };
    const sibling = cluster.api.create({ ...newReplicaSet('web-old', { replicas: 1 }), metadata: { name: 'web-old', ownerReferences: [owner] } });
    const rs = createRS(cluster, 2, (r) => {
      r.metadata.ownerReferences = [owner];
    });
    cluster.sim.run({ until: NOW });
    readyPods(cluster, sibling, ['node-a'], [1000]);
    // Without ranks the more recently ready pod (node-b) would go first.
    const [onA, onB] = readyPods(cluster, rs, ['node-a', 'node-b'], [1000, NOW - 1000]);
    cluster.sim.run({ until: NOW + 100 });
    scale(cluster, 'web', 1);
    cluster.sim.run({ until: NOW + 200 });
    assert.notEqual(stored<Pod>(cluster.api, 'Pod', onA).metadata.deletionTimestamp, undefined);
    assert.equal(stored<Pod>(cluster.api, 'Pod', onB).metadata.deletionTimestamp, undefined);
  });

  it(
    'ranks every pod of a ReplicaSet without a controller equally (upstream: no related pods), so readiness decides',
    () => {
      const cluster = rsCluster();
      const rs = createRS(cluster, 3);
      cluster.sim.run({ until: NOW });
      const [a1, a2, b] = readyPods(cluster, rs, ['node-a', 'node-a', 'node-b'], [1000, 1000, NOW - 1000]);
      cluster.sim.run({ until: NOW + 100 });
      scale(cluster, 'web', 2);
      cluster.sim.run({ until: NOW + 200 });
      assert.notEqual(stored<Pod>(cluster.api, 'Pod', b).metadata.deletionTimestamp, undefined, 'the most recently ready pod goes');
      assert.equal(stored<Pod>(cluster.api, 'Pod', a1).metadata.deletionTimestamp, undefined);
      assert.equal(stored<Pod>(cluster.api, 'Pod', a2).metadata.deletionTimestamp, undefined);
    },
  );
});

describe('ReplicaSet controller: claiming', () => {
  it('adopts a matching orphan and creates only the rest; leaves others\' pods and non-matching orphans alone', () => {
    const cluster = rsCluster();
    const { api } = cluster;
    api.create(newPod('orphan', { labels: { app: 'web' } }));
    api.create(newPod('other', { labels: { app: 'other' } }));
    const foreign: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'someone', uid: 'someone-uid', controller: true };
    api.create(newPod('taken', { labels: { app: 'web' }, ownerReferences: [foreign] }));
    const rs = createRS(cluster, 2);
    cluster.sim.run();
    assert.deepEqual(stored<Pod>(api, 'Pod', 'orphan').metadata.ownerReferences, [controllerRef(rs as ReplicaSet)]);
    assert.equal(stored<Pod>(api, 'Pod', 'other').metadata.ownerReferences, undefined);
    assert.deepEqual(stored<Pod>(api, 'Pod', 'taken').metadata.ownerReferences, [foreign]);
    assert.equal(podsOf(api, rs).length, 2);
    assert.equal(api.count('Pod'), 4);
    assert.equal(rsStatus(cluster)?.replicas, 2);
  });

  it('adopts an orphan that appears later, then deletes the surplus', () => {
    const cluster = rsCluster();
    const rs = createRS(cluster, 2);
    cluster.sim.run();
    cluster.api.create(newPod('late', { labels: { app: 'web' } }));
    cluster.sim.run();
    assert.equal(podsOf(cluster.api, rs).length, 2);
    assert.equal(cluster.api.count('Pod'), 2);
  });

  it('releases a pod whose labels stop matching and replaces it', () => {
    const cluster = rsCluster();
    const rs = createRS(cluster, 2);
    cluster.sim.run();
    const [first] = podsOf(cluster.api, rs);
    updateSpec<Pod>(cluster.api, 'Pod', first.metadata.name, (pod) => {
      pod.metadata.labels = { app: 'debug' };
    });
    cluster.sim.run();
    assert.equal(stored<Pod>(cluster.api, 'Pod', first.metadata.name).metadata.ownerReferences, undefined);
    const owned = podsOf(cluster.api, rs);
    assert.equal(owned.length, 2);
    assert.ok(owned.every((pod) => pod.metadata.name !== first.metadata.name));
    assert.equal(rsStatus(cluster)?.replicas, 2);
  });
});

describe('ReplicaSet controller: status', () => {
  it('reports replicas, fullyLabeledReplicas, readyReplicas, availableReplicas and observedGeneration', () => {
    const cluster = rsCluster();
    cluster.api.create(newPod('orphan', { labels: { app: 'web' } }));
    const rs = createRS(cluster, 3, (r) => {
      r.spec.template.metadata = { labels: { app: 'web', tier: 'fe' } };
    });
    cluster.sim.run();
    const created = podsOf(cluster.api, rs).filter((pod) => pod.metadata.name !== 'orphan');
    assert.equal(created.length, 2);
    for (const pod of created) setPodStatus(cluster, pod.metadata.name, 'Running', true);
    cluster.sim.run();
    assert.deepEqual(
      { ...rsStatus(cluster) },
      { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, terminatingReplicas: 0, observedGeneration: 1 },
    );
    scale(cluster, 'web', 4);
    cluster.sim.run();
    assert.equal(stored<ReplicaSet>(cluster.api, 'ReplicaSet', 'web').metadata.generation, 2);
    assert.equal(rsStatus(cluster)?.observedGeneration, 2);
    assert.equal(rsStatus(cluster)?.replicas, 4);
  });

  it(
    'counts every pod as fully labeled when the template has no labels (upstream: the empty set matches all)',
    () => {
      const cluster = rsCluster();
      createRS(cluster, 2, (r) => {
        r.spec.selector = { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] };
        r.spec.template.metadata = {};
      });
      cluster.sim.run();
      assert.equal(rsStatus(cluster)?.replicas, 2);
      assert.equal(rsStatus(cluster)?.fullyLabeledReplicas, 2);
    },
  );

  it('re-checks availability after minReadySeconds without any other event', () => {
    const cluster = rsCluster();
    const rs = createRS(cluster, 2, (r) => {
      r.spec.minReadySeconds = 10;
    });
    cluster.sim.run({ until: 1000 });
    for (const pod of podsOf(cluster.api, rs)) setPodStatus(cluster, pod.metadata.name, 'Running', true);
    const availableAt: number[] = [];
    cluster.api.observe((event) => {
      const obj = event.object as DeepReadonly<ReplicaSet>;
      if (obj.kind === 'ReplicaSet' && obj.status?.availableReplicas === 2) availableAt.push(cluster.sim.now);
    });
    cluster.sim.run({ until: 11_000 });
    assert.equal(rsStatus(cluster)?.readyReplicas, 2);
    assert.equal(rsStatus(cluster)?.availableReplicas, 0, 'available only strictly after readyTime + minReadySeconds');
    cluster.sim.run();
    assert.equal(rsStatus(cluster)?.availableReplicas, 2);
    // Ready at 1000 (seen at 1005); requeued for minReadySeconds + 1 ms (upstream: + 1 s).
    assert.deepEqual(availableAt, [11_006]);
  });
});
