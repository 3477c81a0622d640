/**
 * Zones and their health: GetZoneKey, ComputeZoneState (the counts and the threshold, including
 * the "more than two" floor that keeps a small zone Normal) and the tainting rate per state
 * (HealthyQPSFunc, ReducedQPSFunc with the large-cluster threshold).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../../src/api/types/node.js';
import { DEFAULT_NODE_LIFECYCLE_SETTINGS } from '../../../src/controllers/node-lifecycle/settings.js';
import {
  type ZoneState,
  computeZoneState,
  getZoneKey,
  isNodeExcludedFromDisruptionChecks,
  zoneEvictionRate,
} from '../../../src/controllers/node-lifecycle/zone-state.js';

const node = (labels?: Record<string, string>): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: labels ? { name: 'n', labels } : { name: 'n' }, spec: {} });

describe('getZoneKey', () => {
  const cases: { name: string; labels?: Record<string, string>; key: string }[] = [
    { name: 'no labels: the one unnamed zone', key: '' },
    { name: 'neither label', labels: { app: 'x' }, key: '' },
    { name: 'zone only', labels: { 'topology.kubernetes.io/zone': 'zone-a' }, key: ':\0:zone-a' },
    { name: 'region and zone', labels: { 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': 'eu-1a' }, key: 'eu:\0:eu-1a' },
    { name: 'region only', labels: { 'topology.kubernetes.io/region': 'eu' }, key: 'eu:\0:' },
    { name: 'the beta labels when the stable ones are absent', labels: { 'failure-domain.beta.kubernetes.io/region': 'us', 'failure-domain.beta.kubernetes.io/zone': 'us-1b' }, key: 'us:\0:us-1b' },
    { name: 'the stable label wins over the beta one', labels: { 'topology.kubernetes.io/zone': 'new', 'failure-domain.beta.kubernetes.io/zone': 'old' }, key: ':\0:new' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(getZoneKey(node(c.labels)), c.key));

  it('nodes labelled node.kubernetes.io/exclude-disruption (any value) are left out of zone health', () => {
    assert.equal(isNodeExcludedFromDisruptionChecks(node({ 'node.kubernetes.io/exclude-disruption': '' })), true);
    assert.equal(isNodeExcludedFromDisruptionChecks(node({ app: 'x' })), false);
    assert.equal(isNodeExcludedFromDisruptionChecks(node()), false);
  });
});

describe('computeZoneState', () => {
  const cases: { ready: number; notReady: number; state: ZoneState }[] = [
    { ready: 3, notReady: 0, state: 'Normal' },
    { ready: 0, notReady: 1, state: 'FullDisruption' },
    { ready: 0, notReady: 10, state: 'FullDisruption' },
    { ready: 0, notReady: 0, state: 'Normal' },
    // Two not-ready nodes never make a partial disruption, whatever the share.
    { ready: 1, notReady: 2, state: 'Normal' },
    { ready: 2, notReady: 3, state: 'PartialDisruption' },
    // 3 of 6 is 50 %, under 55 %; 4 of 7 is 57 %.
    { ready: 3, notReady: 3, state: 'Normal' },
    { ready: 3, notReady: 4, state: 'PartialDisruption' },
    // Exactly at the threshold counts: 11 of 20 is 55 %.
    { ready: 9, notReady: 11, state: 'PartialDisruption' },
    { ready: 10, notReady: 10, state: 'Normal' },
  ];
  for (const c of cases) {
    it(`${c.ready} ready, ${c.notReady} not ready → ${c.state}`, () => assert.equal(computeZoneState(c.ready, c.notReady, 0.55), c.state));
  }

  it('takes the threshold from the settings', () => {
    assert.equal(computeZoneState(7, 3, 0.3), 'PartialDisruption');
    assert.equal(computeZoneState(7, 3, 0.31), 'Normal');
  });
});

describe('zoneEvictionRate', () => {
  const settings = DEFAULT_NODE_LIFECYCLE_SETTINGS;
  const cases: { state: ZoneState; size: number; rate: number | undefined }[] = [
    { state: 'Normal', size: 3, rate: 0.1 },
    { state: 'FullDisruption', size: 3, rate: 0.1 },
    { state: 'PartialDisruption', size: 50, rate: 0 },
    { state: 'PartialDisruption', size: 51, rate: 0.01 },
    { state: 'Initial', size: 3, rate: undefined },
  ];
  for (const c of cases) it(`${c.state} in a zone of ${c.size}: ${c.rate}`, () => assert.equal(zoneEvictionRate(c.state, c.size, settings), c.rate));

  it('uses the configured rates and threshold', () => {
    const custom = { ...settings, evictionRate: 1, secondaryEvictionRate: 0.5, largeClusterSizeThreshold: 2 };
    assert.equal(zoneEvictionRate('Normal', 1, custom), 1);
    assert.equal(zoneEvictionRate('PartialDisruption', 3, custom), 0.5);
    assert.equal(zoneEvictionRate('PartialDisruption', 2, custom), 0);
  });
});
