/**
 * FaultTracker: detection, first eviction, replacement and pods lost of a node fault, from a
 * hand-driven cluster in which the test plays the node lifecycle controller (NodeNotReady) and
 * the eviction (deletionTimestamp on the node's pods).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../src/api/types/pod.js';
import { metricsHarness, type MetricsHarness } from './harness.js';

/** A graceful delete, as an eviction makes: a bound pod stays, terminating, until its kubelet confirms. */
function evict(h: MetricsHarness, name: string): void {
  h.api.delete('Pod', 'default', name);
  assert.notEqual(h.api.get<Pod>('Pod', 'default', name)?.metadata.deletionTimestamp, undefined, 'precondition: the pod is terminating');
}

/** rs of 2: p0 on n1, p1 on n2, ready at 1 s; n1 fails at 10 s. */
function setup() {
  const h = metricsHarness();
  h.at(0, () => {
    const rs = h.replicaSet('rs', 2);
    h.pod('p0', rs, 'n1');
    h.pod('p1', rs, 'n2');
  });
  h.at(1_000, () => { h.ready('p0'); h.ready('p1'); });
  h.at(10_000, () => h.faults.started('failNode node/n1', 'stopped', ['n1']));
  return h;
}

describe('FaultTracker', () => {
  it('detection, eviction, replacement and pods lost of one failed node', () => {
    const h = setup();
    h.at(60_000, () => {
      h.events.emit('NodeNotReady', { kind: 'Node', name: 'n1' });
      h.podStatus('p0', 'Running', false); // marked not ready: the workload is short
    });
    h.at(360_000, () => evict(h, 'p0'));
    h.at(361_000, () => h.pod('p2', h.api.get('ReplicaSet', 'default', 'rs') as never, 'n2'));
    h.at(370_000, () => h.ready('p2'));
    h.run(400_000);
    assert.deepEqual(h.faults.records(), [{
      fault: 'failNode node/n1', mode: 'stopped', nodes: ['n1'], at: 10, recoveredAt: null,
      detectedAt: 60, secondsToDetection: 50, evictedAt: 360, secondsToEviction: 350, replacedAt: 370, secondsToReplacement: 360, podsLost: 1,
    }]);
  });

  it('a fault healed before any eviction loses nothing; its detection still counts', () => {
    const h = setup();
    h.at(60_000, () => h.events.emit('NodeNotReady', { kind: 'Node', name: 'n1' }));
    h.at(100_000, () => h.faults.recovered(['n1']));
    h.at(200_000, () => evict(h, 'p0')); // after recovery: not the fault's doing
    h.run(300_000);
    const [r] = h.faults.records();
    assert.deepEqual([r.recoveredAt, r.secondsToDetection, r.evictedAt, r.podsLost, r.replacedAt], [100, 50, null, 0, null]);
  });

  it('other nodes\' events and pods do not count; a node failing again stays with its open fault', () => {
    const h = setup();
    h.at(20_000, () => h.faults.started('failNode zone/a', 'partitioned', ['n1', 'n3']));
    h.at(30_000, () => h.events.emit('NodeNotReady', { kind: 'Node', name: 'n2' }));
    h.at(40_000, () => evict(h, 'p1'));
    h.run(60_000);
    const records = h.faults.records();
    assert.deepEqual(records.map((r) => [r.fault, r.nodes, r.detectedAt, r.podsLost]), [['failNode node/n1', ['n1'], null, 0], ['failNode zone/a', ['n3'], null, 0]]);
  });

  it('a lost pod whose workload stays at its desired count is replaced at once', () => {
    const h = metricsHarness();
    h.at(0, () => {
      const rs = h.replicaSet('rs', 1);
      h.pod('p0', rs, 'n1');
      h.pod('p1', rs, 'n2'); // one too many
    });
    h.at(1_000, () => { h.ready('p0'); h.ready('p1'); });
    h.at(10_000, () => h.faults.started('failNode node/n1', 'stopped', ['n1']));
    h.at(20_000, () => evict(h, 'p0'));
    h.run(30_000);
    const [r] = h.faults.records();
    assert.deepEqual([r.podsLost, r.replacedAt, r.secondsToReplacement], [1, 20, 10]);
  });
});

describe('FaultTracker: which pods are lost', () => {
  it('a pod deleted outright on the failed node counts; one already terminating before the fault does not', () => {
    const h = metricsHarness();
    h.at(0, () => {
      const rs = h.replicaSet('rs', 3);
      h.pod('p0', rs, 'n1');
      h.pod('p1', rs, 'n1');
      h.pod('p2', rs, 'n1');
    });
    h.at(1_000, () => ['p0', 'p1', 'p2'].forEach((p) => h.ready(p)));
    h.at(5_000, () => h.api.delete('Pod', 'default', 'p2')); // terminating before the fault
    h.at(10_000, () => h.faults.started('failNode node/n1', 'stopped', ['n1']));
    h.at(20_000, () => h.api.delete('Pod', 'default', 'p0', { gracePeriodSeconds: 0 })); // force-deleted, as pod GC does
    h.at(30_000, () => h.api.delete('Pod', 'default', 'p2', { gracePeriodSeconds: 0 }));
    h.run(60_000);
    const [r] = h.faults.records();
    assert.deepEqual([r.podsLost, r.evictedAt], [1, 20]);
  });
});
