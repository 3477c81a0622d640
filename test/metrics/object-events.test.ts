/**
 * Events derived from object transitions (events.jsonl): the pure (old, new) derivers per kind,
 * and recordObjectEvents' subject (namespace, node once bound, owner as Kind/name).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventLog } from '../../src/cluster/event-log.js';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod } from '../../src/api/types/pod.js';
import { deploymentEvents, nodeEvents, podEvents, recordObjectEvents, replicaSetEvents } from '../../src/metrics/object-events.js';
import { newApi, newDeployment, newNode, newPod, newReplicaSet } from '../helpers/engine-fixtures.js';

const types = (events: readonly { type: string }[]) => events.map((e) => e.type);

function pod(change: (p: Pod) => void = () => {}): Pod {
  const p = newPod('p', { phase: 'Pending' });
  change(p);
  return p;
}
const ready = (p: Pod, status: 'True' | 'False' = 'True') => {
  p.status = { ...p.status, conditions: [{ type: 'Ready', status }] };
};

describe('podEvents', () => {
  it('creation and deletion', () => {
    assert.deepEqual(podEvents(undefined, pod()), [{ type: 'PodCreated' }]);
    assert.deepEqual(podEvents(pod(), undefined), [{ type: 'PodDeleted' }]);
  });

  it('binding, start, readiness, in that order when they come together', () => {
    const after = pod((p) => {
      p.spec.nodeName = 'n1';
      p.status = { phase: 'Running' };
      ready(p);
    });
    assert.deepEqual(types(podEvents(pod(), after)), ['PodScheduled', 'PodStarted', 'PodReady']);
  });

  it('nothing for a write that changes none of those', () => {
    const before = pod((p) => (p.spec.nodeName = 'n1'));
    const after = pod((p) => {
      p.spec.nodeName = 'n1';
      p.metadata.labels = { x: 'y' };
    });
    assert.deepEqual(podEvents(before, after), []);
  });

  it('losing readiness', () => {
    const before = pod((p) => ready(p));
    const after = pod((p) => ready(p, 'False'));
    assert.deepEqual(podEvents(before, after), [{ type: 'PodNotReady' }]);
  });

  it('a restart carries container, restartCount and how the previous run ended', () => {
    const status = (restartCount: number) => (p: Pod) => {
      p.status = {
        phase: 'Running',
        containerStatuses: [{ name: 'app', ready: false, restartCount, image: 'app:1', lastState: { terminated: { exitCode: 137, reason: 'Error' } } }],
      } as Pod['status'];
    };
    assert.deepEqual(podEvents(pod(status(1)), pod(status(2))), [{ type: 'PodRestarted', fields: { container: 'app', restartCount: 2, exitCode: 137, reason: 'Error' } }]);
  });

  it('terminal phases: PodSucceeded, PodFailed with reason', () => {
    const running = pod((p) => (p.status = { phase: 'Running' }));
    assert.deepEqual(podEvents(running, pod((p) => (p.status = { phase: 'Succeeded' }))), [{ type: 'PodSucceeded' }]);
    assert.deepEqual(podEvents(running, pod((p) => (p.status = { phase: 'Failed', reason: 'Evicted' }))), [{ type: 'PodFailed', fields: { reason: 'Evicted' } }]);
  });

  it('the start of a deletion is PodTerminating with the grace period', () => {
    const after = pod((p) => {
      p.metadata.deletionTimestamp = 30_000;
      p.metadata.deletionGracePeriodSeconds = 30;
    });
    assert.deepEqual(podEvents(pod(), after), [{ type: 'PodTerminating', fields: { gracePeriodSeconds: 30 } }]);
  });
});

describe('nodeEvents', () => {
  const node = (change: (n: Node) => void = () => {}): Node => {
    const n = newNode('n1');
    change(n);
    return n;
  };
  const readyNode = (status: 'True' | 'False', reason?: string) => (n: Node) => {
    n.status = { conditions: [{ type: 'Ready', status, reason }] };
  };

  it('NodeAdded, with NodeReady when it registers ready; NodeRemoved', () => {
    assert.deepEqual(types(nodeEvents(undefined, node())), ['NodeAdded']);
    assert.deepEqual(types(nodeEvents(undefined, node(readyNode('True')))), ['NodeAdded', 'NodeReady']);
    assert.deepEqual(types(nodeEvents(node(), undefined)), ['NodeRemoved']);
  });

  it('NodeNotReady carries the reason', () => {
    assert.deepEqual(nodeEvents(node(readyNode('True')), node(readyNode('False', 'KubeletNotReady'))), [{ type: 'NodeNotReady', fields: { reason: 'KubeletNotReady' } }]);
  });

  it('taints added and removed, with key and effect (and value when tainted)', () => {
    const taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' as const, value: 'x' };
    const tainted = node((n) => (n.spec.taints = [taint]));
    assert.deepEqual(nodeEvents(node(), tainted), [{ type: 'NodeTainted', fields: { key: taint.key, effect: 'NoSchedule', value: 'x' } }]);
    assert.deepEqual(nodeEvents(tainted, node()), [{ type: 'NodeUntainted', fields: { key: taint.key, effect: 'NoSchedule' } }]);
  });

  it('nothing for a status report that keeps readiness, even with the spec object shared; readiness still counts then', () => {
    const ready = node(readyNode('True'));
    const heartbeat: Node = { ...ready, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 300_000 }] } };
    assert.deepEqual(nodeEvents(ready, heartbeat), []);
    const notReady: Node = { ...ready, status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] } };
    assert.deepEqual(nodeEvents(ready, notReady), [{ type: 'NodeNotReady', fields: { reason: 'NodeStatusUnknown' } }]);
    assert.deepEqual(types(nodeEvents(notReady, heartbeat)), ['NodeReady']);
  });

  it('cordon and uncordon', () => {
    const cordoned = node((n) => (n.spec.unschedulable = true));
    assert.deepEqual(types(nodeEvents(node(), cordoned)), ['NodeCordoned']);
    assert.deepEqual(types(nodeEvents(cordoned, node())), ['NodeUncordoned']);
  });
});

describe('replicaSetEvents and deploymentEvents', () => {
  it('ReplicaSetCreated with its initial spec.replicas; ScaledReplicaSet with replicas and from; nothing when unchanged', () => {
    const rs = newReplicaSet('web-a', { replicas: 3 });
    const scaled = newReplicaSet('web-a', { replicas: 5 });
    assert.deepEqual(replicaSetEvents(undefined, rs), [{ type: 'ReplicaSetCreated', fields: { replicas: 3 } }]);
    assert.deepEqual(replicaSetEvents(rs, scaled), [{ type: 'ScaledReplicaSet', fields: { replicas: 5, from: 3 } }]);
    assert.deepEqual(replicaSetEvents(rs, newReplicaSet('web-a', { replicas: 3, labels: { a: 'b' } })), []);
    assert.deepEqual(replicaSetEvents(rs, undefined), [{ type: 'ReplicaSetDeleted' }]);
  });

  it('Deployment created, scaled, paused, resumed, deleted', () => {
    const d = newDeployment('web', { replicas: 2 });
    const paused = newDeployment('web', { replicas: 4 });
    paused.spec.paused = true;
    assert.deepEqual(deploymentEvents(undefined, d), [{ type: 'DeploymentCreated', fields: { replicas: 2 } }]);
    assert.deepEqual(deploymentEvents(d, paused), [{ type: 'DeploymentScaled', fields: { replicas: 4, from: 2 } }, { type: 'DeploymentPaused' }]);
    assert.deepEqual(types(deploymentEvents(paused, newDeployment('web', { replicas: 4 }))), ['DeploymentResumed']);
    assert.deepEqual(types(deploymentEvents(d, undefined)), ['DeploymentDeleted']);
  });

  it('ProgressDeadlineExceeded once, when the Progressing reason turns to it', () => {
    const stalled = (): Deployment => {
      const d = newDeployment('web');
      d.spec.progressDeadlineSeconds = 120;
      d.status = { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] };
      return d;
    };
    assert.deepEqual(deploymentEvents(newDeployment('web'), stalled()), [{ type: 'ProgressDeadlineExceeded', fields: { progressDeadlineSeconds: 120 } }]);
    assert.deepEqual(deploymentEvents(stalled(), stalled()), []);
  });
});

describe('recordObjectEvents', () => {
  it('writes lines with namespace, node once bound and the controller owner as Kind/name', () => {
    const { sim, api } = newApi();
    const log = new EventLog(sim);
    api.observe((commit) => recordObjectEvents(commit, log));
    const rs = api.create(newReplicaSet('web-a', { replicas: 1 }));
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-a', uid: rs.metadata.uid ?? '', controller: true };
    const notController = { apiVersion: 'v1', kind: 'Node', name: 'n0', uid: 'u' };
    api.create(newPod('web-a-x', { ownerReferences: [notController, ref] }));
    api.bind('default', 'web-a-x', 'n1');
    api.create(newNode('n1'));
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: {} });
    assert.deepEqual(log.jsonLines(), [
      '{"t":0,"type":"ReplicaSetCreated","kind":"ReplicaSet","namespace":"default","name":"web-a","replicas":1}',
      '{"t":0,"type":"PodCreated","kind":"Pod","namespace":"default","name":"web-a-x","owner":"ReplicaSet/web-a"}',
      '{"t":0,"type":"PodScheduled","kind":"Pod","namespace":"default","name":"web-a-x","node":"n1","owner":"ReplicaSet/web-a"}',
      '{"t":0,"type":"NodeAdded","kind":"Node","name":"n1"}',
      '{"t":0,"type":"ServiceCreated","kind":"Service","namespace":"default","name":"web"}',
    ]);
  });
});
