/**
 * FaultInjector in runs: overlapping entries (a pool's nodes and their zone) hold a node down
 * together — it fails with the first and recovers with the last, so its NodeFailed and
 * NodeRecovered alternate — and every change reaches the fault metrics and convergence.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

const text = (faults: string) => `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: injector}
spec:
  seed: 3
  duration: 2d
  sampleInterval: 10m
  cluster:
    nodePools:
      - {name: pool-a, count: 3, zone: z1}
  images:
    "*": {pull: 1s, start: 1s}
  faults:
${faults}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web}]
`;

interface Ev { t: number; type: string; name: string; fault?: string; mode?: string }
const events = (lines: readonly string[]) => lines.map((l) => JSON.parse(l) as Ev);

describe('FaultInjector', () => {
  it('overlapping entries: each node\'s failures and recoveries alternate', () => {
    const r = runScenario(loadText(text(`    - {failNode: {pool: pool-a}, mtbf: 4h, mttr: 2h}
    - {failNode: {zone: z1, mode: partitioned}, mtbf: 6h, mttr: 1h}`)));
    const changes = events(r.eventLines).filter((e) => e.type === 'NodeFailed' || e.type === 'NodeRecovered');
    assert.ok(changes.length > 10, `${changes.length} changes`);
    for (const node of ['pool-a-0', 'pool-a-1', 'pool-a-2']) {
      const own = changes.filter((e) => e.name === node);
      own.forEach((e, i) => assert.equal(e.type, i % 2 === 0 ? 'NodeFailed' : 'NodeRecovered', `${node} change #${i} at ${e.t}`));
    }
    // Both entries took nodes down, and say so.
    assert.deepEqual([...new Set(changes.filter((e) => e.type === 'NodeFailed').map((e) => e.fault))].sort(), ['faults[0] pool/pool-a', 'faults[1] zone/z1']);
  });

  it('each failure is a faults[] record and a convergence trigger; repairs close the records', () => {
    const r = runScenario(loadText(text('    - {failNode: {node: pool-a-1}, mtbf: 6h, mttr: 20m}')));
    const failed = events(r.eventLines).filter((e) => e.type === 'NodeFailed');
    assert.equal(r.faults.length, failed.length);
    assert.ok(r.faults.length >= 2, `${r.faults.length} faults`);
    for (const [i, f] of r.faults.entries()) {
      assert.equal(f.at, failed[i].t);
      assert.deepEqual([f.fault, f.mode, f.nodes], ['faults[0] node/pool-a-1', 'stopped', ['pool-a-1']]);
    }
    const triggers = r.convergence.map((c) => c.trigger);
    assert.equal(triggers.filter((t) => t === 'fault node/pool-a-1').length, failed.length);
    assert.equal(triggers.filter((t) => t === 'repair node/pool-a-1').length, events(r.eventLines).filter((e) => e.type === 'NodeRecovered').length);
  });
});

describe('a failed node that is removed', () => {
  it('is no longer waited for: the cluster converges, and the pods pod GC deletes count as lost', () => {
    const r = runScenario(loadText(`apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: fail-remove}
spec:
  duration: 10m
  cluster:
    nodePools:
      - {name: pool-a, count: 3}
  images:
    web:v1: {pull: 1s, start: 1s, ready: 1s}
  events:
    - {at: 1m, failNode: {node: pool-a-0}}
    - {at: 70s, removeNode: {node: pool-a-0}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:v1"}]
`));
    const onNode = new Set(events(r.eventLines).filter((e) => e.type === 'PodScheduled' && (e as Ev & { node?: string }).node === 'pool-a-0' && e.t < 60).map((e) => e.name));
    assert.ok(onNode.size > 0, 'precondition: pods ran on the failed node');
    const [fault] = r.faults;
    assert.equal(fault.podsLost, onNode.size);
    assert.notEqual(fault.replacedAt, null);
    assert.ok(r.convergence.every((c) => c.convergedAt !== null), JSON.stringify(r.convergence));
  });
});
