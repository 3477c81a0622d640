/**
 * The scale-event history behind `behavior` rate limits (horizontal.go: storeScaleEvent,
 * markScaleEventsOutdated, getReplicasChangePerPeriod) and the scale-up limit with Disabled; the
 * arithmetic itself is covered by the upstream vectors (normalization-vectors.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calculateScaleDownLimitWithBehaviors, calculateScaleUpLimitWithScalingRules, getReplicasChangePerPeriod, storeScaleEvent } from '../../../src/controllers/hpa/behavior.js';
import type { TimestampedScaleEvent } from '../../../src/controllers/hpa/recommendations.js';

const rules = { selectPolicy: 'Max' as const, policies: [{ type: 'Pods' as const, value: 4, periodSeconds: 60 }, { type: 'Percent' as const, value: 100, periodSeconds: 15 }] };

describe('scale events', () => {
  it('counts only changes strictly newer than now − period', () => {
    const events: TimestampedScaleEvent[] = [
      { replicaChange: 2, timestamp: 40_000, outdated: false },
      { replicaChange: 3, timestamp: 45_000, outdated: false },
    ];
    assert.equal(getReplicasChangePerPeriod(15, events, 60_000), 0, 'the event exactly 15 s old is out');
    assert.equal(getReplicasChangePerPeriod(15, events, 59_999), 3);
    assert.equal(getReplicasChangePerPeriod(60, events, 60_000), 5);
  });

  it('reuses an event older than the longest policy period instead of growing the list', () => {
    const events: TimestampedScaleEvent[] = [];
    storeScaleEvent(events, rules, 2, 0);
    storeScaleEvent(events, rules, 3, 30_000);
    assert.equal(events.length, 2);
    storeScaleEvent(events, rules, 4, 61_000);
    assert.deepEqual(events.map((e) => [e.replicaChange, e.timestamp]), [[4, 61_000], [3, 30_000]], 'the 0 s event (over 60 s old) was overwritten');
    storeScaleEvent(events, rules, 1, 95_000);
    assert.deepEqual(events.map((e) => [e.replicaChange, e.timestamp]), [[4, 61_000], [1, 95_000]], 'the last outdated entry is the one reused');
  });

  it('Disabled allows no change in either direction', () => {
    const disabled = { ...rules, selectPolicy: 'Disabled' as const };
    assert.equal(calculateScaleUpLimitWithScalingRules(7, [], [], disabled, 0), 7);
    assert.equal(calculateScaleDownLimitWithBehaviors(7, [], [], disabled, 0), 7);
  });
});
