/**
 * The DaemonSet controller on a live API server and informers: one pod per eligible node, pods
 * following nodes (join, removal, labels, taints, cordon), the pods' labels, tolerations and
 * affinity, status, revisions and template generation, adoption, burst limit and back-off.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControllerRevision } from '../../../src/api/types/controller-revision.js';
import type { DaemonSet } from '../../../src/api/types/daemonset.js';
import type { Pod } from '../../../src/api/types/pod.js';
import { getControllerOf } from '../../../src/api/pod-util.js';
import { BURST_REPLICAS } from '../../../src/controllers/daemonset/sync-nodes.js';
import { newPod } from '../../helpers/engine-fixtures.js';
import { setPodStatus, stored, updateSpec } from '../workload-harness.js';
import { addNode, addNodes, daemonCluster, daemonKubelet, dsStatus, editNode, livePods, newDaemonSet, podsPerNode } from './harness.js';

describe('DaemonSet controller: placement', () => {
  it('creates one pod per node, pinned by node-name affinity, with the daemon tolerations and revision labels', () => {
    const cluster = daemonCluster();
    addNodes(cluster, 3);
    const ds = cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 20 });
    assert.deepEqual(podsPerNode(cluster), { 'node-0': 1, 'node-1': 1, 'node-2': 1 });
    const revisions = [...cluster.api.list<ControllerRevision>('ControllerRevision')];
    assert.equal(revisions.length, 1);
    const hash = revisions[0].metadata.labels?.['controller-revision-hash'];
    assert.equal(revisions[0].metadata.name, `ds-${hash}`);
    const pod = livePods(cluster).find((p) => p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0].matchFields?.[0].values?.[0] === 'node-1');
    assert.ok(pod);
    assert.deepEqual(pod.metadata.labels, { app: 'ds', 'pod-template-generation': '1', 'controller-revision-hash': hash });
    assert.deepEqual(pod.metadata.ownerReferences?.[0].uid, ds.metadata.uid);
    assert.deepEqual(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] });
    assert.deepEqual(pod.spec.tolerations?.map((t) => `${t.key}:${t.effect}`), [
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    assert.equal(stored<DaemonSet>(cluster.api, 'DaemonSet', 'ds').metadata.annotations?.['deprecated.daemonset.template.generation'], '1');
  });

  it('follows nodes joining, and deletes unbound pods of a removed node but leaves bound ones to the pod GC', () => {
    const cluster = daemonCluster();
    addNodes(cluster, 2);
    cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 20 });
    addNode(cluster, 'node-2');
    cluster.sim.run({ until: 40 });
    assert.deepEqual(podsPerNode(cluster), { 'node-0': 1, 'node-1': 1, 'node-2': 1 });
    // node-2's pod is unbound (no kubelet here): once the node is gone it can never be scheduled.
    cluster.api.delete('Node', undefined, 'node-2');
    cluster.api.delete('Node', undefined, 'node-1');
    // Upstream does not watch node deletions: the DaemonSet notices at its next sync.
    cluster.sim.run({ until: 60 });
    assert.equal(livePods(cluster).length, 3);
    editNode(cluster, 'node-0', (n) => (n.metadata.labels = { touched: 'yes' }));
    updateSpec<DaemonSet>(cluster.api, 'DaemonSet', 'ds', (d) => (d.spec.minReadySeconds = 1));
    cluster.sim.run({ until: 80 });
    assert.deepEqual(podsPerNode(cluster), { 'node-0': 1 });
    assert.equal(dsStatus(cluster)?.desiredNumberScheduled, 1);
  });

  it('keeps bound pods of a removed node (the pod GC deletes them)', () => {
    const cluster = daemonCluster();
    daemonKubelet(cluster, { readyAfterMs: 10 });
    addNodes(cluster, 2);
    cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 50 });
    cluster.api.delete('Node', undefined, 'node-1');
    updateSpec<DaemonSet>(cluster.api, 'DaemonSet', 'ds', (d) => (d.spec.minReadySeconds = 1));
    cluster.sim.run({ until: 100 });
    assert.deepEqual(podsPerNode(cluster), { 'node-0': 1, 'node-1': 1 });
    assert.equal(dsStatus(cluster)?.desiredNumberScheduled, 1);
    assert.equal(dsStatus(cluster)?.currentNumberScheduled, 1);
  });

  it('runs only where nodeSelector matches, and follows label changes both ways', () => {
    const cluster = daemonCluster();
    addNode(cluster, 'gpu-0', { gpu: 'true' });
    addNode(cluster, 'cpu-0', {});
    cluster.api.create(newDaemonSet('ds', { nodeSelector: { gpu: 'true' } }));
    cluster.sim.run({ until: 20 });
    assert.deepEqual(podsPerNode(cluster), { 'gpu-0': 1 });
    editNode(cluster, 'cpu-0', (n) => (n.metadata.labels = { gpu: 'true' }));
    editNode(cluster, 'gpu-0', (n) => (n.metadata.labels = {}));
    cluster.sim.run({ until: 40 });
    assert.deepEqual(podsPerNode(cluster), { 'cpu-0': 1 });
    assert.equal(dsStatus(cluster)?.desiredNumberScheduled, 1);
    assert.equal(dsStatus(cluster)?.numberMisscheduled, 0);
  });

  it('a NoSchedule taint keeps the running pod (misscheduled) and stops new ones; NoExecute deletes it', () => {
    const cluster = daemonCluster();
    daemonKubelet(cluster, { readyAfterMs: 10 });
    addNodes(cluster, 2);
    cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 50 });
    editNode(cluster, 'node-0', (n) => (n.spec.taints = [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]));
    cluster.sim.run({ until: 100 });
    assert.deepEqual(podsPerNode(cluster), { 'node-0': 1, 'node-1': 1 });
    assert.equal(dsStatus(cluster)?.desiredNumberScheduled, 1);
    assert.equal(dsStatus(cluster)?.numberMisscheduled, 1);
    editNode(cluster, 'node-0', (n) => (n.spec.taints = [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]));
    cluster.sim.run({ until: 150 });
    assert.deepEqual(podsPerNode(cluster), { 'node-1': 1 });
    assert.equal(dsStatus(cluster)?.numberMisscheduled, 0);
  });

  it('a NoSchedule-tainted new node gets no pod unless the template tolerates the taint', () => {
    const cluster = daemonCluster();
    const taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' as const };
    addNode(cluster, 'tainted', {}, [taint]);
    cluster.api.create(newDaemonSet('ds'));
    cluster.api.create(newDaemonSet('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }));
    cluster.sim.run({ until: 20 });
    assert.deepEqual(podsPerNode(cluster), {});
    assert.deepEqual(podsPerNode(cluster, 'tolerant'), { tainted: 1 });
  });

  it('waits for a not-ready node (not-ready:NoSchedule is not tolerated) and runs on a cordoned one', () => {
    const cluster = daemonCluster();
    addNode(cluster, 'joining', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    addNode(cluster, 'cordoned');
    editNode(cluster, 'cordoned', (n) => (n.spec.unschedulable = true));
    cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 20 });
    assert.deepEqual(podsPerNode(cluster), { cordoned: 1 });
    editNode(cluster, 'joining', (n) => delete n.spec.taints);
    cluster.sim.run({ until: 40 });
    assert.deepEqual(podsPerNode(cluster), { cordoned: 1, joining: 1 });
  });

  it('deletes extra pods on a node, keeping the oldest', () => {
    const cluster = daemonCluster();
    daemonKubelet(cluster, { readyAfterMs: 10 });
    addNodes(cluster, 1);
    const ds = cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 50 });
    const [first] = livePods(cluster);
    const extra = newPod('extra', { labels: { app: 'ds' }, nodeName: 'node-0' });
    extra.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: ds.metadata.uid ?? '', controller: true }];
    cluster.api.create(extra);
    cluster.sim.run({ until: 100 });
    assert.deepEqual(livePods(cluster).map((p) => p.metadata.name), [first.metadata.name]);
  });

  it('adopts a matching orphan on its node instead of creating a pod', () => {
    const cluster = daemonCluster();
    addNodes(cluster, 2);
    cluster.api.create(newPod('orphan', { namespace: 'default', labels: { app: 'ds' }, nodeName: 'node-0' }));
    // Ready, so the rolling update sees an available old pod, not one to replace at once.
    setPodStatus(cluster, 'orphan', 'Running', true);
    const ds = cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 20 });
    assert.equal(getControllerOf(stored<Pod>(cluster.api, 'Pod', 'orphan').metadata)?.uid, ds.metadata.uid);
    assert.deepEqual(podsPerNode(cluster), { 'node-0': 1, 'node-1': 1 });
    assert.ok(livePods(cluster).some((p) => p.metadata.name === 'orphan'));
  });

  it('replaces an adopted pod that is old and not available (the rolling update replaces it at once)', () => {
    const cluster = daemonCluster();
    addNodes(cluster, 1);
    cluster.api.create(newPod('orphan', { namespace: 'default', labels: { app: 'ds' }, nodeName: 'node-0' }));
    cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 20 });
    assert.ok(stored<Pod>(cluster.api, 'Pod', 'orphan').metadata.deletionTimestamp !== undefined);
  });

  it('creates at most BurstReplicas pods per sync', () => {
    const cluster = daemonCluster();
    addNodes(cluster, BURST_REPLICAS + 10);
    cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 5 });
    assert.equal(cluster.api.count('Pod'), BURST_REPLICAS);
    cluster.sim.run({ until: 30 });
    assert.equal(cluster.api.count('Pod'), BURST_REPLICAS + 10);
  });
});

describe('DaemonSet controller: status', () => {
  it('counts desired, current, ready, available (after minReadySeconds) and updated', () => {
    const cluster = daemonCluster();
    daemonKubelet(cluster, { readyAfterMs: 1000 });
    addNodes(cluster, 3);
    cluster.api.create(newDaemonSet('ds', { minReadySeconds: 5 }));
    cluster.sim.run({ until: 500 });
    assert.deepEqual(dsStatus(cluster), {
      currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 0,
      updatedNumberScheduled: 3, numberAvailable: 0, numberUnavailable: 3, observedGeneration: 1,
    });
    cluster.sim.run({ until: 3000 });
    assert.equal(dsStatus(cluster)?.numberReady, 3);
    assert.equal(dsStatus(cluster)?.numberAvailable, 0);
    // Ready at ~1.005 s; available strictly after 5 s more; the +1 s pod requeue sees it.
    cluster.sim.run({ until: 7100 });
    assert.equal(dsStatus(cluster)?.numberAvailable, 3);
    assert.equal(dsStatus(cluster)?.numberUnavailable, 0);
  });
});

describe('DaemonSet controller: rolling update', () => {
  it('maxUnavailable 2 on 5 nodes replaces two at a time, waiting for the old pods to go', () => {
    const cluster = daemonCluster();
    daemonKubelet(cluster, { readyAfterMs: 1000, terminateAfterMs: 500 });
    addNodes(cluster, 5);
    cluster.api.create(newDaemonSet('ds', { maxUnavailable: 2 }));
    cluster.sim.run({ until: 2000 });
    assert.equal(dsStatus(cluster)?.numberAvailable, 5);
    updateSpec<DaemonSet>(cluster.api, 'DaemonSet', 'ds', (d) => (d.spec.template.spec.containers[0].image = 'agent:2'));
    let maxUnavailable = 0;
    let maxPerNode = 0;
    for (let t = 2000; t <= 12_000; t += 50) {
      cluster.sim.run({ until: t });
      const ready = livePods(cluster).filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
      maxUnavailable = Math.max(maxUnavailable, 5 - ready);
      maxPerNode = Math.max(maxPerNode, ...Object.values(podsPerNode(cluster)));
    }
    assert.equal(maxUnavailable, 2);
    assert.equal(maxPerNode, 1);
    const status = dsStatus(cluster);
    assert.equal(status?.updatedNumberScheduled, 5);
    assert.equal(status?.numberAvailable, 5);
    assert.ok(livePods(cluster).every((p) => p.metadata.labels?.['pod-template-generation'] === '2'));
    assert.equal(stored<DaemonSet>(cluster.api, 'DaemonSet', 'ds').metadata.annotations?.['deprecated.daemonset.template.generation'], '2');
  });

  it('maxUnavailable "25%" of 5 nodes rounds up to 2', () => {
    const cluster = daemonCluster();
    addNodes(cluster, 5);
    daemonKubelet(cluster, { readyAfterMs: 1000, terminateAfterMs: 10_000 });
    cluster.api.create(newDaemonSet('ds', { maxUnavailable: '25%' }));
    cluster.sim.run({ until: 2000 });
    updateSpec<DaemonSet>(cluster.api, 'DaemonSet', 'ds', (d) => (d.spec.template.spec.containers[0].image = 'agent:2'));
    cluster.sim.run({ until: 3000 });
    const terminating = [...cluster.api.list<Pod>('Pod')].filter((p) => p.metadata.deletionTimestamp !== undefined);
    assert.equal(terminating.length, 2);
  });

  it('maxSurge 2 on 5 nodes starts new pods next to old ones and never runs more than 7', () => {
    const cluster = daemonCluster();
    daemonKubelet(cluster, { readyAfterMs: 1000, terminateAfterMs: 500 });
    addNodes(cluster, 5);
    cluster.api.create(newDaemonSet('ds', { maxSurge: 2 }));
    cluster.sim.run({ until: 2000 });
    updateSpec<DaemonSet>(cluster.api, 'DaemonSet', 'ds', (d) => (d.spec.template.spec.containers[0].image = 'agent:2'));
    let maxPods = 0;
    let minReady = 5;
    for (let t = 2000; t <= 15_000; t += 50) {
      cluster.sim.run({ until: t });
      const live = livePods(cluster);
      maxPods = Math.max(maxPods, live.length);
      minReady = Math.min(minReady, live.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length);
    }
    assert.equal(maxPods, 7);
    assert.equal(minReady, 5, 'surge keeps every node served');
    assert.equal(dsStatus(cluster)?.updatedNumberScheduled, 5);
    assert.deepEqual(Object.values(podsPerNode(cluster)), [1, 1, 1, 1, 1]);
  });

  it('OnDelete replaces only pods that are deleted', () => {
    const cluster = daemonCluster();
    daemonKubelet(cluster, { readyAfterMs: 100 });
    addNodes(cluster, 3);
    cluster.api.create(newDaemonSet('ds', { onDelete: true }));
    cluster.sim.run({ until: 500 });
    updateSpec<DaemonSet>(cluster.api, 'DaemonSet', 'ds', (d) => (d.spec.template.spec.containers[0].image = 'agent:2'));
    cluster.sim.run({ until: 2000 });
    assert.equal(dsStatus(cluster)?.updatedNumberScheduled, 0);
    const victim = livePods(cluster)[0];
    cluster.api.delete('Pod', 'default', victim.metadata.name);
    cluster.sim.run({ until: 4000 });
    assert.equal(dsStatus(cluster)?.updatedNumberScheduled, 1);
    assert.equal(livePods(cluster).length, 3);
  });

  it('reuses the revision of a template seen before and cleans history beyond revisionHistoryLimit', () => {
    const cluster = daemonCluster();
    daemonKubelet(cluster, { readyAfterMs: 10 });
    addNodes(cluster, 1);
    cluster.api.create(newDaemonSet('ds', { revisionHistoryLimit: 1 }));
    const setImage = (image: string): void => {
      updateSpec<DaemonSet>(cluster.api, 'DaemonSet', 'ds', (d) => (d.spec.template.spec.containers[0].image = image));
      cluster.sim.run({ until: cluster.sim.now + 1000 });
    };
    cluster.sim.run({ until: 100 });
    setImage('agent:2');
    setImage('agent:3');
    setImage('agent:1');
    const revisions = [...cluster.api.list<ControllerRevision>('ControllerRevision')].map((r) => r.revision).sort();
    // agent:1 went back to revision 1's template, renumbered 4; agent:2 (2) was cleaned up.
    assert.deepEqual(revisions, [3, 4]);
    assert.equal(stored<DaemonSet>(cluster.api, 'DaemonSet', 'ds').metadata.annotations?.['deprecated.daemonset.template.generation'], '4');
  });
});

describe('DaemonSet controller: failed pods', () => {
  it('deletes a failed pod at once, then backs off 1 s, 2 s, … per node', () => {
    const cluster = daemonCluster();
    addNodes(cluster, 1);
    cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 20 });
    const deletions: number[] = [];
    cluster.api.observe((event) => {
      if (event.type === 'DELETED' && event.object.kind === 'Pod') deletions.push(cluster.sim.now);
    });
    // Fail whatever pod is there, over and over.
    for (let t = 100; t < 6000; t += 100) {
      cluster.sim.run({ until: t });
      for (const pod of livePods(cluster)) if (pod.status?.phase !== 'Failed') setPodStatus(cluster, pod.metadata.name, 'Failed');
    }
    cluster.sim.run({ until: 6000 });
    // Failed at 100: deleted at once (back-off 1 s). Its replacement fails at 200; the sync at
    // 205 finds it in back-off and, as upstream, looks again a whole back-off later (1205),
    // deletes it and doubles the back-off: the next, failed at 1300, goes at 1305 + 2 s.
    assert.deepEqual(deletions, [105, 1205, 3305]);
    assert.equal(cluster.ctx.events.countOf('FailedDaemonPod'), 3);
  });

  it('deletes a succeeded pod and replaces it', () => {
    const cluster = daemonCluster();
    addNodes(cluster, 1);
    cluster.api.create(newDaemonSet('ds'));
    cluster.sim.run({ until: 20 });
    const [pod] = livePods(cluster);
    setPodStatus(cluster, pod.metadata.name, 'Succeeded');
    cluster.sim.run({ until: 40 });
    const [replacement] = livePods(cluster);
    assert.notEqual(replacement.metadata.name, pod.metadata.name);
    assert.equal(cluster.ctx.events.countOf('SucceededDaemonPod'), 1);
  });
});
