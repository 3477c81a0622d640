/**
 * Every upstream vector of the `hpa-normalization`, `hpa-behavior-rate-limit` and
 * `hpa-behavior-stabilization` areas (horizontal_test.go: TestConvertDesiredReplicasWithRules,
 * TestCalculateScaleUpLimitWithScalingRules, TestCalculateScaleDownLimitWithBehaviors,
 * TestNormalizeDesiredReplicas, TestScalingWithRules, TestNormalizeDesiredReplicasWithBehavior),
 * table-driven through the pure normalization functions.
 *
 * The scale-up limit without `behavior` is max(2 × current, 4) in production; upstream's test
 * binary raises the factor to 8 (horizontal_test.go init()). The vector that depends on it is
 * checked both ways.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HPAScalingRules } from '../../../src/api/types/horizontal-pod-autoscaler.js';
import { generateHPAScaleDownRules, generateHPAScaleUpRules } from '../../../src/api/defaults/horizontal-pod-autoscaler.js';
import {
  type NormalizationArg,
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithBehaviorRate,
  stabilizeRecommendationWithBehaviors,
} from '../../../src/controllers/hpa/behavior.js';
import { convertDesiredReplicasWithRules, stabilizeRecommendation } from '../../../src/controllers/hpa/normalize.js';
import type { TimestampedRecommendation, TimestampedScaleEvent } from '../../../src/controllers/hpa/recommendations.js';
import { NOW, loadVectors } from './fixtures.js';

/** The factor horizontal_test.go sets for all of its tests. */
const UPSTREAM_TEST_SCALE_UP_FACTOR = 8;

const events = (list: readonly { change: number; ageSeconds: number }[]): TimestampedScaleEvent[] =>
  list.map((e) => ({ replicaChange: e.change, timestamp: NOW - e.ageSeconds * 1000, outdated: false }));

const recommendations = (list: readonly { replicas: number; ageSeconds: number }[]): TimestampedRecommendation[] =>
  list.map((r) => ({ recommendation: r.replicas, timestamp: NOW - r.ageSeconds * 1000 }));

function rules(value: 'default' | HPAScalingRules, up: boolean): HPAScalingRules {
  if (value === 'default') return up ? generateHPAScaleUpRules(undefined) : generateHPAScaleDownRules(undefined);
  return value;
}

describe('hpa-normalization vectors (horizontal_test.go)', () => {
  const vectors = loadVectors('hpa-normalization');
  it('has the 12 upstream vectors', () => assert.equal(vectors.length, 12));
  for (const v of vectors) {
    const i = v.inputs;
    it(v.test_name, () => {
      if (v.test_name.startsWith('TestConvertDesiredReplicasWithRules')) {
        const got = convertDesiredReplicasWithRules(i.currentReplicas, i.desiredReplicas, i.minReplicas, i.maxReplicas);
        if (typeof v.expected.replicas === 'string') {
          // The test-only factor: production caps 3 replicas at 6, upstream's test binary at 24.
          assert.deepEqual([got.replicas, got.reason], [6, v.expected.reason]);
          const upstreamTest = convertDesiredReplicasWithRules(i.currentReplicas, i.desiredReplicas, i.minReplicas, i.maxReplicas, UPSTREAM_TEST_SCALE_UP_FACTOR);
          assert.deepEqual([upstreamTest.replicas, upstreamTest.reason], [24, v.expected.reason]);
        } else {
          assert.deepEqual([got.replicas, got.reason], [v.expected.replicas, v.expected.reason]);
        }
      } else if (v.test_name === 'TestCalculateScaleUpLimitWithScalingRules') {
        assert.equal(calculateScaleUpLimitWithScalingRules(i.currentReplicas, events(i.scaleUpEvents), events(i.scaleDownEvents), i.rules, NOW), v.expected.scaleUpLimit);
      } else if (v.test_name === 'TestCalculateScaleDownLimitWithBehaviors') {
        assert.equal(calculateScaleDownLimitWithBehaviors(i.currentReplicas, events(i.scaleUpEvents), events(i.scaleDownEvents), i.rules, NOW), v.expected.scaleDownLimit);
      } else {
        const recs = recommendations(i.recommendations);
        const stabilized = stabilizeRecommendation(recs, i.prenormalizedDesired, NOW, i.downscaleStabilizationWindowSeconds * 1000);
        assert.equal(stabilized, v.expected.stabilized, 'stabilized');
        assert.equal(recs.length, v.expected.recommendationLogLength, 'recommendations kept');
        assert.ok(recs.some((r) => r.recommendation === i.prenormalizedDesired && r.timestamp === NOW), 'the new recommendation is recorded');
      }
    });
  }
});

describe('hpa-behavior-rate-limit vectors (horizontal_test.go: TestScalingWithRules)', () => {
  const vectors = loadVectors('hpa-behavior-rate-limit');
  it('has the 42 upstream vectors', () => assert.equal(vectors.length, 42));
  for (const v of vectors) {
    const i = v.inputs;
    it(v.test_name, () => {
      const scaleUp = rules(i.scaleUpRules, true);
      const scaleDown = rules(i.scaleDownRules, false);
      const arg: NormalizationArg = {
        scaleUp,
        scaleDown,
        scaleUpWindowSeconds: scaleUp.stabilizationWindowSeconds ?? 0,
        scaleDownWindowSeconds: scaleDown.stabilizationWindowSeconds ?? 300,
        minReplicas: i.minReplicas,
        maxReplicas: i.maxReplicas,
        currentReplicas: i.currentReplicas,
        desiredReplicas: i.desired,
      };
      const got = convertDesiredReplicasWithBehaviorRate(arg, events(i.scaleUpEvents), events(i.scaleDownEvents), NOW);
      assert.deepEqual([got.replicas, got.reason], [v.expected.replicas, v.expected.reason]);
    });
  }
});

describe('hpa-behavior-stabilization vectors (horizontal_test.go: TestNormalizeDesiredReplicasWithBehavior)', () => {
  const vectors = loadVectors('hpa-behavior-stabilization');
  it('has the 11 upstream vectors', () => assert.equal(vectors.length, 11));
  for (const v of vectors) {
    const i = v.inputs;
    it(v.test_name, () => {
      const recs = recommendations(i.recommendations);
      const arg: NormalizationArg = {
        scaleUp: generateHPAScaleUpRules(undefined),
        scaleDown: generateHPAScaleDownRules(undefined),
        scaleUpWindowSeconds: i.scaleUpWindowSeconds,
        scaleDownWindowSeconds: i.scaleDownWindowSeconds,
        minReplicas: 1,
        maxReplicas: 1000,
        currentReplicas: i.currentReplicas,
        desiredReplicas: i.desired,
      };
      const got = stabilizeRecommendationWithBehaviors(recs, arg, NOW);
      assert.equal(got.replicas, v.expected.stabilized, 'stabilized');
      if (v.expected.storedRecommendations !== undefined) assert.deepEqual(recs.map((r) => r.recommendation), v.expected.storedRecommendations, 'stored recommendations');
    });
  }
});
