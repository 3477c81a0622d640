/**
 * A DaemonSet's ControllerRevisions (history.ts): the snapshot's name, labels, annotations and
 * data; a name taken by another revision bumping collisionCount; cleanup sparing live hashes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultDaemonSet } from '../../../src/api/defaults/index.js';
import type { ControllerRevision } from '../../../src/api/types/controller-revision.js';
import type { DaemonSet } from '../../../src/api/types/daemonset.js';
import { cleanupHistory } from '../../../src/controllers/daemonset/history.js';
import { computeHash } from '../../../src/controllers/deployment/hash.js';
import { revisionData } from '../../../src/controllers/history/controller-history.js';
import { stored } from '../workload-harness.js';
import { addNodes, daemonCluster, livePods, newDaemonSet } from './harness.js';

const revisions = (api: ReturnType<typeof daemonCluster>['api']): ControllerRevision[] => [...api.list<ControllerRevision>('ControllerRevision')] as ControllerRevision[];

describe('DaemonSet history', () => {
  it('snapshots the template as `<ds>-<ComputeHash>`, with the template labels, the hash and the DaemonSet annotations', () => {
    const cluster = daemonCluster();
    const manifest = newDaemonSet('ds');
    manifest.metadata.annotations = { team: 'obs' };
    const ds = cluster.api.create(manifest);
    cluster.sim.run({ until: 20 });
    const [revision] = revisions(cluster.api);
    const hash = computeHash(ds.spec.template);
    assert.equal(revision.metadata.name, `ds-${hash}`);
    assert.deepEqual(revision.metadata.labels, { app: 'ds', 'controller-revision-hash': hash });
    assert.equal(revision.metadata.annotations?.team, 'obs');
    assert.deepEqual(revision.data, revisionData(ds.spec.template));
    assert.equal(revision.revision, 1);
  });

  it('a name held by a different revision bumps collisionCount, and the retry uses the new hash', () => {
    const cluster = daemonCluster();
    addNodes(cluster, 1);
    const manifest = newDaemonSet('ds');
    const defaulted = structuredClone(manifest);
    defaultDaemonSet(defaulted);
    const taken = `ds-${computeHash(defaulted.spec.template)}`;
    cluster.api.create<ControllerRevision>({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: taken, namespace: 'default', labels: { other: 'x' } }, data: { other: true }, revision: 1 });
    cluster.api.create(manifest);
    cluster.sim.run({ until: 200 });
    const ds = stored<DaemonSet>(cluster.api, 'DaemonSet', 'ds');
    assert.equal(ds.status?.collisionCount, 1);
    const own = revisions(cluster.api).find((r) => r.metadata.name !== taken);
    assert.equal(own?.metadata.name, `ds-${computeHash(ds.spec.template, 1)}`);
    assert.equal(livePods(cluster)[0].metadata.labels?.['controller-revision-hash'], computeHash(ds.spec.template, 1));
    assert.equal(cluster.ctx.events.countOf('ReconcileError'), 1, 'the colliding sync fails once');
  });

  it('cleanupHistory deletes the oldest revisions beyond the limit, sparing live hashes', () => {
    const cluster = daemonCluster();
    const ds = cluster.api.create(newDaemonSet('ds', { revisionHistoryLimit: 1 }));
    const old = [3, 1, 2].map((n) => cluster.api.create<ControllerRevision>({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `r${n}`, namespace: 'default', labels: { 'controller-revision-hash': `h${n}` } }, data: { n }, revision: n }));
    // Two too many: r1 is live and stays, so r2 and then r3 go.
    cleanupHistory(cluster.api, ds, old, (hash) => hash === 'h1');
    assert.deepEqual(revisions(cluster.api).map((r) => r.metadata.name), ['r1']);
  });
});
