/**
 * tryUpdateNodeHealth: when the probe timestamp moves (a new heartbeat, a renewed lease, a first
 * sighting), when a node turns Unknown (strictly after probe + grace), the startup grace for a
 * node that never posted a Ready condition, and that an Unknown node is not written again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition, ConditionStatus } from '../../../src/api/types/meta.js';
import { type HealthInput, type NodeHealth, tryUpdateNodeHealth } from '../../../src/controllers/node-lifecycle/node-health.js';

const S = 1000;
const ready = (status: ConditionStatus, heartbeat: number, transition = 0): Condition => ({ type: 'Ready', status, reason: 'KubeletReady', lastHeartbeatTime: heartbeat, lastTransitionTime: transition });
const input = (over: Partial<HealthInput>): HealthInput => ({
  creationTimestamp: 0,
  ready: ready('True', 0),
  leaseRenew: undefined,
  now: 5 * S,
  monitorGracePeriodMs: 50 * S,
  startupGracePeriodMs: 60 * S,
  ...over,
});
const seen = (probe: number, heartbeat = 0, lease?: number): NodeHealth => ({
  probeTimestamp: probe,
  readyTransitionTimestamp: 0,
  savedReady: { status: 'True', lastHeartbeatTime: heartbeat, lastTransitionTime: 0 },
  savedLeaseRenew: lease,
});

describe('tryUpdateNodeHealth', () => {
  it('a node seen for the first time is probed now', () => {
    const u = tryUpdateNodeHealth(undefined, input({ now: 5 * S }));
    assert.equal(u.health.probeTimestamp, 5 * S);
    assert.equal(u.write, false);
    assert.equal(u.observed.status, 'True');
  });

  const cases: { name: string; previous: NodeHealth; over: Partial<HealthInput>; probe: number; write: boolean }[] = [
    { name: 'nothing new within the grace period', previous: seen(5 * S), over: { now: 30 * S }, probe: 5 * S, write: false },
    { name: 'nothing new, exactly at probe + grace: not yet (strictly after)', previous: seen(5 * S), over: { now: 55 * S }, probe: 5 * S, write: false },
    { name: 'nothing new past probe + grace: Unknown', previous: seen(5 * S), over: { now: 60 * S }, probe: 5 * S, write: true },
    { name: 'a new heartbeat moves the probe', previous: seen(5 * S), over: { now: 60 * S, ready: ready('True', 58 * S) }, probe: 60 * S, write: false },
    { name: 'a renewed lease moves the probe', previous: seen(5 * S, 0, 0), over: { now: 60 * S, leaseRenew: 50 * S }, probe: 60 * S, write: false },
    { name: 'the same lease does not', previous: seen(5 * S, 0, 0), over: { now: 60 * S, leaseRenew: 0 }, probe: 5 * S, write: true },
    { name: 'a lease seen late counts from when a full pass would have seen it', previous: seen(5 * S, 0, 0), over: { now: 90 * S, leaseRenew: 38 * S, leaseSeenAt: 40 * S }, probe: 40 * S, write: false },
    { name: 'which can still be too old', previous: seen(5 * S, 0, 0), over: { now: 95 * S, leaseRenew: 38 * S, leaseSeenAt: 40 * S }, probe: 40 * S, write: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const u = tryUpdateNodeHealth(c.previous, input(c.over));
      assert.equal(u.health.probeTimestamp, c.probe);
      assert.equal(u.write, c.write);
    });
  }

  it('turning Unknown keeps the heartbeat, says why, and records the transition', () => {
    const u = tryUpdateNodeHealth(seen(5 * S, 4 * S), input({ now: 60 * S, ready: ready('True', 4 * S) }));
    assert.equal(u.write, true);
    assert.deepEqual(u.current, { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: 4 * S, lastTransitionTime: 60 * S });
    assert.equal(u.observed.status, 'True', 'the pass acts on what it observed before the update');
    assert.equal(u.health.savedReady?.status, 'Unknown');
    assert.equal(u.health.probeTimestamp, 5 * S);
  });

  it('an Unknown node is not written again', () => {
    const unknown = { ...ready('Unknown', 4 * S), reason: 'NodeStatusUnknown' };
    const previous: NodeHealth = { probeTimestamp: 5 * S, readyTransitionTimestamp: 60 * S, savedReady: { status: 'Unknown', lastHeartbeatTime: 4 * S, lastTransitionTime: 60 * S }, savedLeaseRenew: undefined };
    const u = tryUpdateNodeHealth(previous, input({ now: 120 * S, ready: unknown }));
    assert.equal(u.write, false);
    assert.equal(u.observed.status, 'Unknown');
  });

  it('a False node also turns Unknown when it stops posting', () => {
    const u = tryUpdateNodeHealth(seen(5 * S), input({ now: 60 * S, ready: ready('False', 0) }));
    assert.equal(u.write, true);
    assert.equal(u.observed.status, 'False');
    assert.equal(u.current?.status, 'Unknown');
  });

  it('a node that never posted a Ready condition gets the startup grace, counted from its creation', () => {
    const fresh = input({ ready: undefined, creationTimestamp: 2 * S, now: 5 * S });
    const first = tryUpdateNodeHealth(undefined, fresh);
    assert.equal(first.gracePeriodMs, 60 * S);
    assert.equal(first.health.probeTimestamp, 2 * S);
    assert.equal(first.observed.status, 'Unknown');
    assert.equal(first.current, undefined);
    assert.equal(tryUpdateNodeHealth(first.health, { ...fresh, now: 62 * S }).write, false);
    const late = tryUpdateNodeHealth(first.health, { ...fresh, now: 63 * S });
    assert.equal(late.write, true);
    assert.deepEqual(late.current, { type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: 2 * S, lastTransitionTime: 63 * S });
  });

  it('a lease renewed by a kubelet that never posted status keeps the node healthy', () => {
    const first = tryUpdateNodeHealth(undefined, input({ ready: undefined, now: 5 * S, leaseRenew: 5 * S }));
    const later = tryUpdateNodeHealth(first.health, input({ ready: undefined, now: 100 * S, leaseRenew: 95 * S }));
    assert.equal(later.write, false);
    assert.equal(later.health.probeTimestamp, 100 * S);
  });

  it('a Ready condition seen after none resets the probe and the saved lease', () => {
    const first = tryUpdateNodeHealth(undefined, input({ ready: undefined, now: 5 * S, leaseRenew: 5 * S }));
    const u = tryUpdateNodeHealth(first.health, input({ now: 10 * S, ready: ready('True', 9 * S), leaseRenew: 5 * S }));
    assert.equal(u.health.probeTimestamp, 10 * S);
    assert.equal(u.health.savedLeaseRenew, 5 * S, 'the same lease, seen again');
  });
});
