/**
 * Node failures end to end, through scenario files: a stopped node is NotReady after the grace
 * period (plus at most one monitor period), tainted, and its pods evicted 300 s later and
 * replaced elsewhere; DaemonSet pods stay; a partition that heals before the tolerations expire
 * loses no pod; a zone outage in a three-zone cluster is tainted at the zone's rate limit; a
 * StatefulSet pod on a partitioned node is not replaced until its object is gone, while a
 * ReplicaSet replaces an evicted pod at once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

interface Line {
  readonly t: number;
  readonly type: string;
  readonly name: string;
  readonly node?: string;
  readonly owner?: string;
  readonly [field: string]: unknown;
}

function run(text: string): Line[] {
  return runScenario(loadText(text)).eventLines.map((l) => JSON.parse(l) as Line);
}

const HEADER = (name: string, duration: string, pools: string, events: string) => `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: ${name}}
spec:
  duration: ${duration}
  cluster:
    nodePools:
${pools}
  images:
    web:v1: {pull: 2s, start: 1s, ready: 2s}
    agent:v1: {pull: 1s, start: 1s}
    db:v1: {pull: 1s, start: 1s, ready: 3s, stop: 5s}
  events:
${events}`;

const WEB = (replicas: number) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:v1, resources: {requests: {cpu: 100m}}}]
`;

const AGENT = `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: agent:v1}]
`;

const of = (lines: Line[], type: string, filter: (l: Line) => boolean = () => true) => lines.filter((l) => l.type === type && filter(l));

describe('a node that stops', () => {
  const lines = run(HEADER('stop', '15m', '      - {name: a, count: 3, zone: zone-a}', '    - at: 2m\n      failNode: {node: a-0}\n') + WEB(6) + AGENT);
  const onA0 = (l: Line) => l.node === 'a-0';

  it('is NotReady after the grace period plus at most one monitor period', () => {
    const notReady = of(lines, 'NodeNotReady');
    assert.deepEqual(notReady.map((l) => [l.name, l.reason]), [['a-0', 'NodeStatusUnknown']]);
    const detection = notReady[0].t - 120;
    assert.ok(detection > 50 && detection <= 60, `detected after ${detection} s`);
  });

  it('marks its pods not ready at once, and taints it NoSchedule then NoExecute', () => {
    const notReadyAt = of(lines, 'NodeNotReady')[0].t;
    const podsNotReady = of(lines, 'PodNotReady', onA0);
    assert.ok(podsNotReady.length >= 2 && podsNotReady.every((l) => l.t === notReadyAt));
    const taints = of(lines, 'NodeTainted', (l) => l.name === 'a-0');
    assert.deepEqual(taints.map((l) => [l.key, l.effect]), [['node.kubernetes.io/unreachable', 'NoSchedule'], ['node.kubernetes.io/unreachable', 'NoExecute']]);
    assert.ok(taints[1].t - notReadyAt <= 5.1, 'the NoExecute taint at the next pass');
  });

  it('evicts its Deployment pods 300 s after the NoExecute taint, and they are replaced on the other nodes', () => {
    const taintedAt = of(lines, 'NodeTainted', (l) => l.name === 'a-0' && l.effect === 'NoExecute')[0].t;
    const evicted = of(lines, 'PodEvicted');
    assert.ok(evicted.length >= 1);
    for (const e of evicted) {
      assert.equal(e.node, 'a-0');
      assert.equal(e.reason, 'TaintManagerEviction');
      assert.ok(e.t - taintedAt >= 300 && e.t - taintedAt < 300.1, `evicted ${e.t - taintedAt} s after the taint`);
    }
    const replacements = of(lines, 'PodScheduled', (l) => l.t > taintedAt + 300 && String(l.owner).startsWith('ReplicaSet/'));
    assert.equal(replacements.length, evicted.length);
    assert.ok(replacements.every((l) => l.node !== 'a-0'));
    assert.equal(of(lines, 'PodReady', (l) => l.t > taintedAt + 300).length, evicted.length);
  });

  it('never evicts the DaemonSet pod, and the evicted pods stay Terminating on the dead node', () => {
    assert.deepEqual(of(lines, 'PodEvicted', (l) => l.owner === 'DaemonSet/agent'), []);
    assert.deepEqual(of(lines, 'PodDeleted', onA0), [], 'nothing confirms a deletion on a stopped node');
  });
});

describe('a partition that heals before the tolerations expire', () => {
  const lines = run(HEADER('heal', '15m', '      - {name: a, count: 3}', '    - at: 2m\n      failNode: {node: a-0, mode: partitioned}\n    - at: 6m\n      recoverNode: {node: a-0}\n') + WEB(6) + AGENT);

  it('loses no pod: evictions are cancelled and the pods are Ready again', () => {
    assert.equal(of(lines, 'NodeNotReady').length, 1);
    assert.deepEqual(of(lines, 'PodEvicted'), []);
    assert.deepEqual(of(lines, 'PodTerminating'), []);
    const cancelled = of(lines, 'PodEvictionCancelled');
    assert.ok(cancelled.length >= 2 && cancelled.every((l) => l.node === 'a-0'));
    const notReady = of(lines, 'PodNotReady').map((l) => l.name).sort();
    const readyAgain = of(lines, 'PodReady', (l) => l.t >= 360).map((l) => l.name).sort();
    assert.deepEqual(readyAgain, notReady);
    assert.deepEqual(of(lines, 'NodeUntainted', (l) => l.t >= 360).map((l) => l.effect).sort(), ['NoExecute', 'NoSchedule']);
    assert.deepEqual(of(lines, 'PodRestarted'), [], 'the containers kept running');
  });
});

describe('a zone outage in a three-zone cluster', () => {
  const pools = ['a', 'b', 'c'].map((z) => `      - {name: ${z}, count: 4, zone: zone-${z}}`).join('\n');
  const lines = run(HEADER('zone', '15m', pools, '    - at: 2m\n      failNode: {zone: zone-a}\n') + WEB(12));

  it('taints the zone\'s nodes one every 10 s (the eviction rate), and evicts at that pace', () => {
    const tainted = of(lines, 'NodeTainted', (l) => l.effect === 'NoExecute');
    assert.deepEqual(tainted.map((l) => l.name), ['a-0', 'a-1', 'a-2', 'a-3']);
    const gaps = tainted.slice(1).map((l, i) => Math.round((l.t - tainted[i].t) * 1000));
    assert.deepEqual(gaps, [10_000, 10_000, 10_000]);
    const firstEviction = (node: string) => of(lines, 'PodEvicted', (l) => l.node === node)[0]?.t;
    for (const l of tainted) {
      const at = firstEviction(l.name);
      if (at !== undefined) assert.ok(at - l.t >= 300 && at - l.t < 300.1);
    }
  });
});

describe('a StatefulSet pod on a partitioned node', () => {
  const sts = `---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - {labelSelector: {matchLabels: {app: db}}, topologyKey: kubernetes.io/hostname}
      containers: [{name: db, image: db:v1}]
`;
  const lines = run(HEADER('sts', '20m', '      - {name: a, count: 4}', '    - at: 1m\n      failNode: {node: a-0, mode: partitioned}\n    - at: 15m\n      recoverNode: {node: a-0}\n') + sts + WEB(8));
  const dbOnA0 = of(lines, 'PodScheduled', (l) => l.node === 'a-0' && l.owner === 'StatefulSet/db')[0];

  it('is evicted but stays Terminating, and is not replaced while its object exists', () => {
    assert.ok(dbOnA0 !== undefined, 'one db pod runs on a-0');
    const evicted = of(lines, 'PodEvicted', (l) => l.name === dbOnA0.name)[0];
    assert.ok(evicted !== undefined && evicted.t < 900);
    const createdAgain = of(lines, 'PodCreated', (l) => l.name === dbOnA0.name && l.t > evicted.t);
    const deleted = of(lines, 'PodDeleted', (l) => l.name === dbOnA0.name)[0];
    assert.ok(deleted !== undefined && deleted.t >= 900, 'gone only once the partition healed and the kubelet confirmed');
    assert.ok(createdAgain.length === 1 && createdAgain[0].t >= deleted.t, 'at most one pod per identity: recreated after the old one is gone');
  });

  it('while an evicted ReplicaSet pod is replaced at once', () => {
    const webEvicted = of(lines, 'PodEvicted', (l) => String(l.owner).startsWith('ReplicaSet/'));
    assert.ok(webEvicted.length >= 1);
    for (const e of webEvicted) {
      const replacement = of(lines, 'PodCreated', (l) => l.owner === e.owner && l.t >= e.t && l.t < e.t + 1);
      assert.ok(replacement.length >= 1, `replacement for ${e.name}`);
    }
  });
});
