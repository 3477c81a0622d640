/**
 * The Deployment controller with the ReplicaSet controller and a fake kubelet: new ReplicaSets
 * (hash, revision), rollouts, pause, rollback via kubectl's plan, history cleanup, scaling,
 * adoption, the Progressing/Available conditions and observedGeneration.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../../../src/api/types/deployment.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { ReplicaSet } from '../../../src/api/types/replicaset.js';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
} from '../../../src/controllers/deployment/annotations.js';
import { computeHash } from '../../../src/controllers/deployment/hash.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../../src/controllers/deployment/replica-sets.js';
import { DeploymentSync } from '../../../src/controllers/deployment/sync.js';
import { isApiError } from '../../../src/errors.js';
import { planRollback } from '../../../src/sim/kubectl.js';
import { newDeployment, newReplicaSet } from '../../helpers/engine-fixtures.js';
import { type FakeKubeletOptions, type WorkloadCluster, fakeKubelet, newWorkloadCluster, podsOf, replicaSetsOf, setPodStatus, stored, updateSpec } from '../workload-harness.js';

const S = 1000;

function cluster(kubelet: FakeKubeletOptions = { readyAfterMs: S }): WorkloadCluster {
  const c = newWorkloadCluster();
  fakeKubelet(c, kubelet);
  return c;
}

function create(c: WorkloadCluster, replicas: number, edit?: (d: Deployment) => void): void {
  const d = newDeployment('web', { replicas });
  edit?.(d);
  c.api.create(d);
}

const deployment = (c: WorkloadCluster) => stored<Deployment>(c.api, 'Deployment', 'web');
const edit = (c: WorkloadCluster, change: (d: Deployment) => void) => updateSpec<Deployment>(c.api, 'Deployment', 'web', change);
const setImage = (c: WorkloadCluster, image: string) => edit(c, (d) => (d.spec.template.spec.containers[0].image = image));
const settle = (c: WorkloadCluster, ms = 60 * S) => c.sim.run({ until: c.sim.now + ms });
const revision = (obj: DeepReadonly<Deployment | ReplicaSet>) => obj.metadata.annotations?.[REVISION_ANNOTATION];
const hashOf = (rs: DeepReadonly<ReplicaSet>) => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
const condition = (c: WorkloadCluster, type: string) => deployment(c).status?.conditions?.find((x) => x.type === type);

/** Two Deployment statuses equal but for the Progressing condition's lastUpdateTime. */
function sameExceptProgressTime(a: DeepReadonly<Deployment>, b: DeepReadonly<Deployment>): boolean {
  const withoutTime = (d: DeepReadonly<Deployment>) => ({
    ...d.status,
    conditions: d.status?.conditions?.map((x) => (x.type === 'Progressing' ? { ...x, lastUpdateTime: 0 } : x)),
  });
  return JSON.stringify(withoutTime(a)) === JSON.stringify(withoutTime(b));
}

/** The ReplicaSet whose revision annotation is `rev`. */
function byRevision(c: WorkloadCluster, rev: string): DeepReadonly<ReplicaSet> {
  const rs = replicaSetsOf(c.api, deployment(c)).find((r) => revision(r) === rev);
  assert.ok(rs !== undefined, `no ReplicaSet of revision ${rev}`);
  return rs;
}

/** Pods of the Deployment by template hash: { hash: count }. */
function podsByHash(c: WorkloadCluster): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const rs of replicaSetsOf(c.api, deployment(c))) {
    const pods = podsOf(c.api, rs);
    if (pods.length > 0) counts[hashOf(rs) as string] = pods.length;
  }
  return counts;
}

describe('Deployment controller: ReplicaSets and revisions', () => {
  it('creates one ReplicaSet named and labelled by the template hash, with revision 1', () => {
    const c = cluster();
    create(c, 3);
    settle(c);
    const d = deployment(c);
    const [rs, ...others] = replicaSetsOf(c.api, d);
    assert.equal(others.length, 0);
    const hash = computeHash(d.spec.template);
    const labels = { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash };
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.deepEqual(rs.metadata.labels, labels);
    assert.deepEqual(rs.spec.selector.matchLabels, labels);
    assert.deepEqual(rs.spec.template.metadata?.labels, labels);
    assert.equal(rs.spec.replicas, 3);
    assert.deepEqual(
      { ...rs.metadata.annotations },
      { [REVISION_ANNOTATION]: '1', [DESIRED_REPLICAS_ANNOTATION]: '3', [MAX_REPLICAS_ANNOTATION]: '4' },
      'maxSurge 25% of 3 rounds up to 1',
    );
    assert.equal(revision(d), '1');
    assert.deepEqual(podsByHash(c), { [hash]: 3 });
    assert.deepEqual(
      { ...d.status, conditions: undefined },
      { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, terminatingReplicas: 0, conditions: undefined },
    );
  });

  it('rolls a template change out to a new ReplicaSet of revision 2, starting within maxSurge', () => {
    const c = cluster();
    create(c, 3);
    settle(c);
    const first = replicaSetsOf(c.api, deployment(c))[0];
    const createdWith: number[] = [];
    c.api.observe((e) => {
      if (e.type === 'ADDED' && e.object.kind === 'ReplicaSet') createdWith.push((e.object as DeepReadonly<ReplicaSet>).spec.replicas ?? -1);
    });
    setImage(c, 'app:2');
    settle(c);
    const second = byRevision(c, '2');
    assert.notEqual(hashOf(second), hashOf(first));
    assert.deepEqual(createdWith, [1], 'replicas 3 + maxSurge 1 − 3 old pods');
    assert.equal(stored<ReplicaSet>(c.api, 'ReplicaSet', first.metadata.name).spec.replicas, 0, 'the old ReplicaSet stays, scaled to 0');
    assert.equal(revision(byRevision(c, '1')), '1');
    assert.equal(revision(deployment(c)), '2');
    assert.deepEqual(podsByHash(c), { [hashOf(second) as string]: 3 });
  });

  it('scales the single active ReplicaSet on a replicas change, without a new revision', () => {
    const c = cluster();
    create(c, 3);
    settle(c);
    edit(c, (d) => (d.spec.replicas = 5));
    settle(c);
    const [rs, ...others] = replicaSetsOf(c.api, deployment(c));
    assert.equal(others.length, 0);
    assert.equal(rs.spec.replicas, 5);
    assert.equal(rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION], '5');
    assert.equal(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION], '7', 'maxSurge 25% of 5 rounds up to 2');
    assert.equal(deployment(c).metadata.generation, 2);
    assert.equal(deployment(c).status?.observedGeneration, 2);
    assert.equal(deployment(c).status?.availableReplicas, 5);
  });

  it('copies a minReadySeconds change to the existing new ReplicaSet', () => {
    const c = cluster();
    create(c, 2);
    settle(c);
    edit(c, (d) => (d.spec.minReadySeconds = 7));
    settle(c);
    const [rs, ...others] = replicaSetsOf(c.api, deployment(c));
    assert.equal(others.length, 0);
    assert.equal(rs.spec.minReadySeconds, 7);
  });

  it('adopts an orphan ReplicaSet whose labels match and whose template is equal, as its new ReplicaSet', () => {
    const c = cluster();
    const rs = newReplicaSet('web-manual', { replicas: 2, labels: { app: 'web' } });
    rs.spec.selector = { matchLabels: { app: 'web' } };
    rs.spec.template.metadata = { labels: { app: 'web' } };
    c.api.create(rs);
    c.api.create(newReplicaSet('unlabelled', { replicas: 1 }));
    create(c, 2);
    settle(c);
    const owned = replicaSetsOf(c.api, deployment(c));
    assert.deepEqual(owned.map((r) => r.metadata.name), ['web-manual'], 'no ReplicaSet of its own: the adopted one is new');
    assert.equal(revision(owned[0]), '1');
    assert.equal(stored<ReplicaSet>(c.api, 'ReplicaSet', 'unlabelled').metadata.ownerReferences, undefined);
    assert.equal(podsOf(c.api, owned[0]).length, 2);
  });
});

describe('Deployment controller: pause, rollback, history', () => {
  /** A settled Deployment of 2 replicas, then paused with a new image. */
  function pausedWithNewImage() {
    const c = cluster();
    create(c, 2);
    settle(c);
    const oldHash = hashOf(replicaSetsOf(c.api, deployment(c))[0]) as string;
    edit(c, (d) => {
      d.spec.paused = true;
      d.spec.template.spec.containers[0].image = 'app:2';
    });
    settle(c);
    return { c, oldHash };
  }

  it('does not roll out a template change while paused, but scales', () => {
    const { c, oldHash } = pausedWithNewImage();
    assert.equal(c.api.count('ReplicaSet'), 1);
    assert.equal(condition(c, 'Progressing')?.status, 'Unknown');
    assert.equal(condition(c, 'Progressing')?.reason, 'DeploymentPaused');
    edit(c, (d) => (d.spec.replicas = 4));
    settle(c);
    assert.equal(c.api.count('ReplicaSet'), 1);
    assert.deepEqual(podsByHash(c), { [oldHash]: 4 });
    assert.equal(deployment(c).status?.observedGeneration, deployment(c).metadata.generation);
  });

  // At b26640d this crashed: writeStatus handed the working status to the API server by reference
  // and createNewReplicaSet then mutated it (TypeError on frozen objects).
  it('rolls the change out when resumed', () => {
    const { c } = pausedWithNewImage();
    edit(c, (d) => (d.spec.paused = false));
    settle(c);
    const newHash = hashOf(byRevision(c, '2')) as string;
    assert.deepEqual(podsByHash(c), { [newHash]: 2 });
    assert.equal(condition(c, 'Progressing')?.reason, 'NewReplicaSetAvailable');
  });

  /** Three pods rolled once to app:2, settled, and kubectl's plan to undo that rollout. */
  function rolledOnce(): { c: WorkloadCluster; plan: ReturnType<typeof planRollback> } {
    const c = cluster();
    create(c, 3);
    settle(c);
    setImage(c, 'app:2');
    settle(c);
    return { c, plan: planRollback(deployment(c), replicaSetsOf(c.api, deployment(c)), 0) };
  }

  it('rolls back (kubectl rollout undo) to the old ReplicaSet, which becomes revision 3', () => {
    const { c, plan } = rolledOnce();
    const first = byRevision(c, '1');
    assert.equal(plan.kind, 'rollback');
    if (plan.kind !== 'rollback') return;
    assert.equal(plan.revision, 1);
    edit(c, (d) => {
      d.spec.template = plan.template;
      d.metadata.annotations = plan.annotations;
    });
    settle(c);
    assert.equal(c.api.count('ReplicaSet'), 2, 'no new ReplicaSet: the old one is new again');
    const restored = stored<ReplicaSet>(c.api, 'ReplicaSet', first.metadata.name);
    assert.equal(revision(restored), '3');
    assert.equal(restored.metadata.annotations?.[REVISION_HISTORY_ANNOTATION], '1');
    assert.equal(revision(deployment(c)), '3');
    assert.deepEqual(podsByHash(c), { [hashOf(first) as string]: 3 });
    assert.deepEqual(planRollback(deployment(c), replicaSetsOf(c.api, deployment(c)), 3), { kind: 'skipped', revision: 3 });
  });

  it('takes the new revision onto the Deployment in the same sync that raises its ReplicaSet (no write still carrying the old one)', () => {
    const { c, plan } = rolledOnce();
    if (plan.kind !== 'rollback') throw new Error(`expected a rollback plan, got ${plan.kind}`);
    const writes: string[] = [];
    c.api.observe((commit) => {
      if (commit.object.kind === 'Deployment' || commit.object.kind === 'ReplicaSet') writes.push(`${commit.object.kind} rev=${commit.object.metadata.annotations?.[REVISION_ANNOTATION]}`);
    });
    edit(c, (d) => {
      d.spec.template = plan.template;
      d.metadata.annotations = plan.annotations;
    });
    settle(c);
    // Upstream's sync: the old ReplicaSet is raised to revision 3, and the rest of the same
    // getAllReplicaSetsAndSyncRevision (its second call) raises the Deployment before any status write.
    const raised = writes.indexOf('ReplicaSet rev=3');
    assert.ok(raised >= 0, `the ReplicaSet is raised to revision 3: ${writes.join(', ')}`);
    assert.equal(writes[raised + 1], 'Deployment rev=3', `writes after the rollback: ${writes.join(', ')}`);
  });

  it('keeps only revisionHistoryLimit old ReplicaSets, deleting the lowest revisions', () => {
    const c = cluster();
    create(c, 2, (d) => (d.spec.revisionHistoryLimit = 1));
    settle(c);
    for (const image of ['app:2', 'app:3', 'app:4']) {
      setImage(c, image);
      settle(c);
    }
    assert.deepEqual(replicaSetsOf(c.api, deployment(c)).map(revision).sort(), ['3', '4']);
    assert.equal(byRevision(c, '3').spec.replicas, 0);
  });
});

describe('Deployment controller: conditions', () => {
  it('moves Progressing through NewReplicaSetCreated, ReplicaSetUpdated, NewReplicaSetAvailable; Available False → True', () => {
    const c = cluster({ readyAfterMs: 5 * S });
    const seen: Record<string, string[]> = { Progressing: [], Available: [] };
    c.api.observe((e) => {
      if (e.object.kind !== 'Deployment') return;
      for (const x of (e.object as DeepReadonly<Deployment>).status?.conditions ?? []) {
        const text = `${x.status}/${x.reason}`;
        const list = seen[x.type];
        if (list !== undefined && list.at(-1) !== text) list.push(text);
      }
    });
    create(c, 4);
    settle(c);
    assert.deepEqual(seen.Progressing, ['True/NewReplicaSetCreated', 'True/ReplicaSetUpdated', 'True/NewReplicaSetAvailable']);
    assert.deepEqual(seen.Available, ['False/MinimumReplicasUnavailable', 'True/MinimumReplicasAvailable']);
    const progressing = condition(c, 'Progressing');
    const rs = replicaSetsOf(c.api, deployment(c))[0];
    assert.equal(progressing?.message, `ReplicaSet "${rs.metadata.name}" has successfully progressed.`);
    assert.equal(progressing?.lastTransitionTime, 5, 'kept while the status stays True (first sync at 5 ms)');
    assert.ok((progressing?.lastUpdateTime ?? 0) > 5 * S);
  });

  it('writes status only from a Deployment as stored: a sync that read a stale one gets a Conflict', () => {
    const c = cluster();
    create(c, 3);
    settle(c);
    const read = deployment(c);
    // Another write moves the stored Deployment on; the sync still holds what it read, whose
    // status (as it was some writes ago) differs from the one it calculates.
    c.api.updateStatus({ ...structuredClone(read), status: { ...read.status, observedGeneration: 0 } } as Deployment);
    const before = deployment(c);
    const stale = { ...read, status: { ...read.status, readyReplicas: 0 } };
    const s = new DeploymentSync(c.api, c.sim.now + S, stale, replicaSetsOf(c.api, stale));
    assert.throws(() => s.syncDeploymentStatus(s.rsList, s.rsList[0]), (error) => isApiError(error, 'Conflict'));
    assert.equal(deployment(c), before, 'nothing written');
  });

  it('refreshes Progressing only on progress it can see: no status write changes only its lastUpdateTime', () => {
    // Pods ready 2 ms apart, closer than the watch latency (5 ms): each new ready count reaches
    // the Deployment sync before the sync's own previous status write does.
    const c = cluster({ node: 'n1' });
    const refreshOnly: number[] = [];
    let last: DeepReadonly<Deployment> | undefined;
    c.api.observe((e) => {
      if (e.object.kind !== 'Deployment') return;
      const d = e.object as DeepReadonly<Deployment>;
      if (last !== undefined && d.status !== last.status && sameExceptProgressTime(d, last)) refreshOnly.push(c.sim.now);
      last = d;
    });
    create(c, 40);
    settle(c);
    const pods = [...c.api.list<Pod>('Pod')].map((pod) => pod.metadata.name);
    pods.forEach((name, i) => c.sim.schedule(2 * i, () => setPodStatus(c, name, 'Running', true)));
    settle(c);
    assert.equal(deployment(c).status?.readyReplicas, 40);
    assert.deepEqual(refreshOnly, [], 'writes that only moved lastUpdateTime (at ms)');
  });

  it('reports ProgressDeadlineExceeded once progressDeadlineSeconds pass without progress, and keeps the pods', () => {
    const c = cluster({});
    create(c, 3, (d) => (d.spec.progressDeadlineSeconds = 10));
    let exceededAt: number | undefined;
    c.api.observe((e) => {
      const d = e.object as DeepReadonly<Deployment>;
      const x = d.kind === 'Deployment' ? d.status?.conditions?.find((k) => k.type === 'Progressing') : undefined;
      if (exceededAt === undefined && x?.reason === 'ProgressDeadlineExceeded') exceededAt = c.sim.now;
    });
    c.sim.run({ until: 10 * S });
    assert.equal(condition(c, 'Progressing')?.status, 'True', 'not before the deadline');
    const result = c.sim.run();
    assert.equal(result.state, 'drained', 'no requeue once the deadline is exceeded');
    assert.ok(exceededAt !== undefined && exceededAt > 10 * S && exceededAt <= 12 * S, `exceeded at ${exceededAt}`);
    assert.equal(condition(c, 'Progressing')?.status, 'False');
    assert.equal(condition(c, 'Available')?.status, 'False');
    assert.equal(c.api.count('Pod'), 3, 'a timed-out rollout is not undone');
  });
});
