/**
 * Rollouts of StatefulSets and DaemonSets (rollouts.ts): template changes, a lowered partition as a
 * new stage of the same revision, revisions from ControllerRevisions (a rollback renumbers one),
 * hand-driven through metricsHarness; then the same facts from two short real runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControllerRevision } from '../../src/api/types/controller-revision.js';
import type { DaemonSet, DaemonSetStatus } from '../../src/api/types/daemonset.js';
import type { DeepReadonly, KubeObject } from '../../src/api/types/meta.js';
import type { StatefulSet, StatefulSetStatus } from '../../src/api/types/statefulset.js';
import { revisionData } from '../../src/controllers/history/controller-history.js';
import type { RolloutRecord } from '../../src/metrics/rollouts.js';
import { runScenario } from '../../src/sim/run.js';
import { controllerRef, editable, newNode, newPod } from '../helpers/engine-fixtures.js';
import { loadText } from '../helpers/scenarios.js';
import { type MetricsHarness, metricsHarness } from './harness.js';
import { scenarioHeader } from '../helpers/scenario-header.js';
import { daemonSetYaml, statefulSetYaml } from '../helpers/workload-manifests.js';

const template = (image: string) => ({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image }] } });

/** StatefulSet and DaemonSet writers on top of the metrics harness (no controllers run). */
function workloads(h: MetricsHarness) {
  const { api } = h;
  const w = {
    statefulSet(name: string, replicas: number, partition?: number): DeepReadonly<StatefulSet> {
      const spec: StatefulSet['spec'] = { replicas, selector: { matchLabels: { app: 'x' } }, template: template('app:1'), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: partition ?? 0 } } };
      return api.create<StatefulSet>({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name }, spec });
    },
    daemonSet(name: string): DeepReadonly<DaemonSet> {
      const spec: DaemonSet['spec'] = { selector: { matchLabels: { app: 'x' } }, template: template('app:1'), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } };
      return api.create<DaemonSet>({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name }, spec });
    },
    /** A ControllerRevision of `owner` holding `image`'s template. */
    revision(owner: DeepReadonly<KubeObject>, image: string, revision: number): void {
      api.create<ControllerRevision>({
        apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `${owner.metadata.name}-${image.replace(/\W/g, '')}`, ownerReferences: [controllerRef(owner as KubeObject)] },
        data: revisionData(template(image)), revision,
      });
    },
    /** Renumbers a revision, as the controllers do when the owner goes back to an old template. */
    renumber(owner: DeepReadonly<KubeObject>, image: string, revision: number): void {
      const r = editable<ControllerRevision>(api.get<ControllerRevision>('ControllerRevision', 'default', `${owner.metadata.name}-${image.replace(/\W/g, '')}`));
      r.revision = revision;
      api.update(r);
    },
    /** A ready pod controlled by `owner`. */
    readyPod(name: string, owner: DeepReadonly<KubeObject>): void {
      api.create(newPod(name, { ownerReferences: [controllerRef(owner as KubeObject)] }));
      h.ready(name);
    },
    setTemplate(kind: 'StatefulSet' | 'DaemonSet', name: string, image: string): void {
      const obj = editable<StatefulSet>(api.get(kind, 'default', name));
      obj.spec.template.spec.containers[0].image = image;
      api.update(obj);
    },
    setPartition(name: string, partition: number): void {
      const obj = editable<StatefulSet>(api.get('StatefulSet', 'default', name));
      obj.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition } };
      api.update(obj);
    },
    /** The StatefulSet controller's status: `updated` of the replicas at revision `update`, generation observed. */
    stsStatus(name: string, updated: number, current: string, update: string, ready?: number): void {
      const obj = editable<StatefulSet>(api.get('StatefulSet', 'default', name));
      const n = obj.spec.replicas ?? 1;
      const status: StatefulSetStatus = {
        observedGeneration: obj.metadata.generation, replicas: n, readyReplicas: ready ?? n, availableReplicas: ready ?? n,
        updatedReplicas: updated, currentReplicas: n - updated, currentRevision: current, updateRevision: update,
      };
      obj.status = status;
      api.updateStatus(obj);
    },
    /** The DaemonSet controller's status for `desired` nodes, `updated` of them on the current template. */
    dsStatus(name: string, desired: number, updated = desired, available = desired): void {
      const obj = editable<DaemonSet>(api.get('DaemonSet', 'default', name));
      const status: DaemonSetStatus = {
        observedGeneration: obj.metadata.generation, desiredNumberScheduled: desired, currentNumberScheduled: desired, numberMisscheduled: 0,
        numberReady: available, numberAvailable: available, updatedNumberScheduled: updated,
      };
      obj.status = status;
      api.updateStatus(obj);
    },
  };
  return w;
}

const summary = (r: RolloutRecord) => ({ target: r.target, revision: r.revision, start: r.start, end: r.end, outcome: r.outcome });
const eventsOf = (h: MetricsHarness, type: string) => h.events.jsonLines().map((l) => JSON.parse(l) as { t: number; type: string; kind: string; revision?: number }).filter((e) => e.type === type);

describe('StatefulSet rollouts', () => {
  it('a template change starts a rollout; it ends when the status shows every pod updated and current, and the pods are available', () => {
    const h = metricsHarness();
    const w = workloads(h);
    h.at(0, () => {
      const sts = w.statefulSet('db', 2);
      w.revision(sts, 'app:1', 1);
      w.readyPod('db-0', sts);
      w.readyPod('db-1', sts);
      w.stsStatus('db', 2, 'db-1', 'db-1');
    });
    h.at(10_000, () => w.setTemplate('StatefulSet', 'db', 'app:2'));
    h.at(10_005, () => w.revision(h.api.get('StatefulSet', 'default', 'db')!, 'app:2', 2));
    h.at(11_000, () => h.deletePod('db-1'));
    h.at(12_000, () => h.api.create(newPod('db-1', { ownerReferences: [controllerRef(h.api.get<StatefulSet>('StatefulSet', 'default', 'db') as StatefulSet)] })));
    h.at(15_000, () => { h.ready('db-1'); w.stsStatus('db', 1, 'db-1', 'db-2'); });
    h.at(16_000, () => h.deletePod('db-0'));
    h.at(17_000, () => h.api.create(newPod('db-0', { ownerReferences: [controllerRef(h.api.get<StatefulSet>('StatefulSet', 'default', 'db') as StatefulSet)] })));
    h.at(20_000, () => w.stsStatus('db', 2, 'db-1', 'db-2', 1)); // the status lags: one pod not ready yet
    h.at(21_000, () => h.ready('db-0'));
    h.at(21_000, () => w.stsStatus('db', 2, 'db-2', 'db-2'));
    h.run(60_000);
    const [r, ...more] = h.rollouts.finish();
    assert.equal(more.length, 0);
    assert.deepEqual(summary(r), { target: 'StatefulSet/db', revision: 2, start: 10, end: 21, outcome: 'complete' });
    assert.deepEqual([r.seconds, r.minAvailable, r.maxPods], [11, 1, 2]);
    // available/desired: 1 over [10,11], ½ over [11,15], 1 over [15,16], ½ over [16,21] → 6.5 / 11
    assert.equal(r.availability, Math.round((6.5 / 11) * 1e6) / 1e6);
    assert.deepEqual(eventsOf(h, 'RolloutStarted').map((e) => [e.t, e.kind]), [[10, 'StatefulSet']]);
    assert.deepEqual(eventsOf(h, 'RolloutComplete').map((e) => [e.t, e.revision]), [[21, 2]]);
  });

  it('a scale or a status write is not a rollout', () => {
    const h = metricsHarness();
    const w = workloads(h);
    h.at(0, () => { w.revision(w.statefulSet('db', 2), 'app:1', 1); w.stsStatus('db', 2, 'db-1', 'db-1'); });
    h.at(5000, () => {
      const obj = editable<StatefulSet>(h.api.get('StatefulSet', 'default', 'db'));
      obj.spec.replicas = 5;
      h.api.update(obj);
    });
    h.at(6000, () => w.stsStatus('db', 5, 'db-1', 'db-1'));
    h.run(10_000);
    assert.deepEqual(h.rollouts.finish(), []);
  });

  it('a lowered partition is a new stage of the same revision; raising it, or lowering it with nothing left to update, is not', () => {
    const h = metricsHarness();
    const w = workloads(h);
    h.at(0, () => {
      const sts = w.statefulSet('db', 3, 2);
      w.revision(sts, 'app:1', 1);
      for (const n of [0, 1, 2]) w.readyPod(`db-${n}`, sts);
      w.stsStatus('db', 3, 'db-1', 'db-1');
    });
    h.at(10_000, () => w.setTemplate('StatefulSet', 'db', 'app:2'));
    h.at(10_005, () => w.revision(h.api.get('StatefulSet', 'default', 'db')!, 'app:2', 2));
    h.at(15_000, () => w.stsStatus('db', 1, 'db-1', 'db-2')); // ordinal 2 updated: done above partition 2
    h.at(30_000, () => w.setPartition('db', 0));
    h.at(35_000, () => w.stsStatus('db', 2, 'db-1', 'db-2'));
    h.at(40_000, () => w.stsStatus('db', 3, 'db-2', 'db-2'));
    h.at(50_000, () => w.setPartition('db', 2)); // raised: nothing to roll
    h.at(55_000, () => w.stsStatus('db', 3, 'db-2', 'db-2'));
    h.at(60_000, () => w.setPartition('db', 1)); // lowered, but every pod already runs the update revision
    h.run(90_000);
    assert.deepEqual(h.rollouts.finish().map(summary), [
      { target: 'StatefulSet/db', revision: 2, start: 10, end: 15, outcome: 'complete' },
      { target: 'StatefulSet/db', revision: 2, start: 30, end: 40, outcome: 'complete' },
    ]);
    assert.deepEqual(eventsOf(h, 'RolloutStarted').map((e) => e.t), [10, 30]);
  });

  it('a partition lowered before the first stage finished supersedes it', () => {
    const h = metricsHarness();
    const w = workloads(h);
    h.at(0, () => { w.revision(w.statefulSet('db', 4, 2), 'app:1', 1); w.stsStatus('db', 4, 'db-1', 'db-1'); });
    h.at(10_000, () => w.setTemplate('StatefulSet', 'db', 'app:2'));
    h.at(10_005, () => w.revision(h.api.get('StatefulSet', 'default', 'db')!, 'app:2', 2));
    h.at(12_000, () => w.stsStatus('db', 1, 'db-1', 'db-2')); // one of the two above the partition
    h.at(13_000, () => w.setPartition('db', 0));
    h.run(20_000);
    assert.deepEqual(h.rollouts.finish().map((r) => [r.start, r.revision, r.outcome]), [[10, 2, 'superseded'], [13, 2, 'incomplete']]);
  });
});

describe('DaemonSet rollouts', () => {
  function settledDaemonSet(h: MetricsHarness, w: ReturnType<typeof workloads>, nodes: number): void {
    h.at(0, () => {
      for (let i = 0; i < nodes; i++) h.api.create(newNode(`n-${i}`));
      const ds = w.daemonSet('agent');
      w.revision(ds, 'app:1', 1);
      for (let i = 0; i < nodes; i++) w.readyPod(`agent-${i}`, ds);
      w.dsStatus('agent', nodes);
    });
  }

  it('revisions come from ControllerRevisions: the new one, then the old one renumbered by a rollback', () => {
    const h = metricsHarness();
    const w = workloads(h);
    settledDaemonSet(h, w, 2);
    const ds = () => h.api.get('DaemonSet', 'default', 'agent')!;
    h.at(10_000, () => w.setTemplate('DaemonSet', 'agent', 'app:2'));
    h.at(10_005, () => w.revision(ds(), 'app:2', 2));
    h.at(20_000, () => w.dsStatus('agent', 2));
    h.at(30_000, () => w.setTemplate('DaemonSet', 'agent', 'app:1')); // rollout undo
    h.at(30_005, () => w.renumber(ds(), 'app:1', 3));
    h.at(40_000, () => w.dsStatus('agent', 2));
    h.run(60_000);
    assert.deepEqual(h.rollouts.finish().map(summary), [
      { target: 'DaemonSet/agent', revision: 2, start: 10, end: 20, outcome: 'complete' },
      { target: 'DaemonSet/agent', revision: 3, start: 30, end: 40, outcome: 'complete' },
    ]);
    assert.deepEqual(eventsOf(h, 'RolloutComplete').map((e) => e.revision), [2, 3]);
  });

  it('is not complete while a node that joined meanwhile is not yet counted by the status', () => {
    const h = metricsHarness();
    const w = workloads(h);
    settledDaemonSet(h, w, 2);
    h.at(10_000, () => w.setTemplate('DaemonSet', 'agent', 'app:2'));
    h.at(15_000, () => h.api.create(newNode('n-2')));
    h.at(20_000, () => w.dsStatus('agent', 2)); // written before the controller saw n-2
    h.at(25_000, () => w.dsStatus('agent', 3, 2)); // n-2 counted, its pod not yet updated
    h.at(30_000, () => w.dsStatus('agent', 3));
    h.run(60_000);
    assert.deepEqual(h.rollouts.finish().map((r) => [r.start, r.end, r.outcome]), [[10, 30, 'complete']]);
  });

  it('minAvailable and maxPods are measured on the daemon pods themselves', () => {
    const h = metricsHarness();
    const w = workloads(h);
    settledDaemonSet(h, w, 3);
    const ds = () => h.api.get('DaemonSet', 'default', 'agent')!;
    h.at(10_000, () => w.setTemplate('DaemonSet', 'agent', 'app:2'));
    h.at(11_000, () => h.deletePod('agent-0'));
    h.at(12_000, () => { h.api.create(newPod('agent-0b', { ownerReferences: [controllerRef(ds() as KubeObject)] })); h.api.create(newPod('surge', { ownerReferences: [controllerRef(ds() as KubeObject)] })); });
    h.at(14_000, () => { h.ready('agent-0b'); h.deletePod('surge'); });
    h.at(15_000, () => w.dsStatus('agent', 3));
    h.run(30_000);
    const [r] = h.rollouts.finish();
    assert.deepEqual([r.minAvailable, r.maxPods, r.end], [2, 4, 15]);
  });

  it('a second template change before the first finished supersedes it', () => {
    const h = metricsHarness();
    const w = workloads(h);
    settledDaemonSet(h, w, 1);
    const ds = () => h.api.get('DaemonSet', 'default', 'agent')!;
    h.at(10_000, () => w.setTemplate('DaemonSet', 'agent', 'app:2'));
    h.at(10_005, () => w.revision(ds(), 'app:2', 2));
    h.at(12_000, () => w.setTemplate('DaemonSet', 'agent', 'app:3'));
    h.at(12_005, () => w.revision(ds(), 'app:3', 3));
    h.at(20_000, () => w.dsStatus('agent', 1));
    h.run(30_000);
    assert.deepEqual(h.rollouts.finish().map((r) => [r.start, r.revision, r.outcome]), [[10, 2, 'superseded'], [12, 3, 'complete']]);
    assert.deepEqual(eventsOf(h, 'RolloutSuperseded').map((e) => [e.t, e.revision]), [[12, 2]]);
  });
});

describe('StatefulSet and DaemonSet rollouts in real runs', () => {
  it('a StatefulSet: partition 2 then 0 are two stages of revision 2; rollout undo is revision 3', () => {
    const r = runScenario(loadText(`${scenarioHeader({ name: 'sts-rollouts', duration: '5m', nodes: 2, images: { 'db:v1': '{pull: 2s, start: 1s}', 'db:v2': '{pull: 3s, start: 1s}' }, events: ['{at: 30s, patch: {target: statefulset/db, merge: {spec: {updateStrategy: {rollingUpdate: {partition: 2}}}}}}', '{at: 40s, setImage: {target: statefulset/db, image: "db:v2"}}', '{at: 100s, patch: {target: statefulset/db, merge: {spec: {updateStrategy: {rollingUpdate: {partition: 0}}}}}}', '{at: 200s, rolloutUndo: {target: statefulset/db}}'] })}${statefulSetYaml('db', 'db:v1', 3)}`));
    assert.deepEqual(r.rollouts.map((x) => [x.target, x.revision, x.start, x.outcome]), [
      ['StatefulSet/db', 2, 40, 'complete'],
      ['StatefulSet/db', 2, 100, 'complete'],
      ['StatefulSet/db', 3, 200, 'complete'],
    ]);
    for (const x of r.rollouts) {
      assert.equal(x.minAvailable, 2, 'one ordinal at a time');
      assert.equal(x.maxPods, 3, 'a StatefulSet never surges');
    }
    const events = r.eventLines.map((l) => JSON.parse(l) as { t: number; type: string; kind: string });
    // The first stage ends before the partition is lowered, with no StatefulSetUpdated (partition above 0).
    assert.ok((r.rollouts[0].end as number) < 100);
    const updated = events.filter((e) => e.type === 'StatefulSetUpdated').map((e) => e.t);
    assert.deepEqual(updated, [r.rollouts[1].end, r.rollouts[2].end], 'the later stages end when the update revision becomes current');
  });

  it('a DaemonSet: setImage is revision 2, rollout undo revision 3, undo to revision 3 again is skipped', () => {
    const r = runScenario(loadText(`${scenarioHeader({ name: 'ds-rollouts', duration: '4m', nodes: 3, images: { 'agent:v1': '{pull: 2s, start: 1s}', 'agent:v2': '{pull: 3s, start: 1s}' }, events: ['{at: 60s, setImage: {target: daemonset/agent, image: "agent:v2"}}', '{at: 120s, rolloutUndo: {target: daemonset/agent}}', '{at: 180s, rolloutUndo: {target: daemonset/agent, toRevision: 3}}'] })}${daemonSetYaml('agent', 'agent:v1', ['updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}'])}`));
    assert.deepEqual(r.rollouts.map((x) => [x.target, x.revision, x.start, x.outcome, x.minAvailable, x.maxPods]), [
      ['DaemonSet/agent', 2, 60, 'complete', 2, 3],
      ['DaemonSet/agent', 3, 120, 'complete', 2, 3],
    ]);
  });

  it(
    'an OnDelete template change is not a complete rollout while no pod runs the new template',
    () => {
      const r = runScenario(loadText(`${scenarioHeader({ name: 'ds-ondelete', duration: '2m', nodes: 2, images: { 'agent:v1': '{pull: 2s, start: 1s}', 'agent:v2': '{pull: 3s, start: 1s}' }, events: ['{at: 30s, setImage: {target: daemonset/agent, image: "agent:v2"}}'] })}${daemonSetYaml('agent', 'agent:v1', ['updateStrategy: {type: OnDelete}'])}`));
      const created = r.eventLines.map((l) => JSON.parse(l) as { type: string; t: number }).filter((e) => e.type === 'PodCreated' && e.t > 30);
      assert.equal(created.length, 0, 'precondition: OnDelete replaces no pod by itself');
      assert.notEqual(r.rollouts[0]?.outcome, 'complete');
    },
  );
});
