/**
 * `cluster.settings.hpa`: kube-controller-manager's HPA flags, each defaulting to upstream's value,
 * each checked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HPA_SETTINGS } from '../../src/controllers/hpa/settings.js';
import { assertScenarioError } from './assert-scenario-error.js';
import { load, loading, scenario } from './scenario-files.js';

const withSettings = (hpa: string) => scenario(`  duration: 1m\n  cluster:\n    settings:\n      hpa: ${hpa}\n`);

describe('cluster.settings.hpa', () => {
  it('defaults to upstream’s flags: 15 s, 0.1, 5 m, 5 m, 30 s', () => {
    assert.deepEqual(load(scenario('  duration: 1m\n')).settings.hpa, DEFAULT_HPA_SETTINGS);
    assert.deepEqual(DEFAULT_HPA_SETTINGS, { syncPeriodMs: 15_000, tolerance: 0.1, downscaleStabilizationWindowMs: 300_000, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 });
  });

  it('reads each knob', () => {
    const s = load(withSettings('{syncPeriod: 30s, tolerance: 0.05, downscaleStabilizationWindow: 1m, cpuInitializationPeriod: 2m, initialReadinessDelay: 10s}'));
    assert.deepEqual(s.settings.hpa, { syncPeriodMs: 30_000, tolerance: 0.05, downscaleStabilizationWindowMs: 60_000, cpuInitializationPeriodMs: 120_000, initialReadinessDelayMs: 10_000 });
  });

  it('refuses a zero sync period, a negative tolerance and a misspelled knob', () => {
    assertScenarioError(loading(withSettings('{syncPeriod: 0s}')), { line: 8, message: /syncPeriod must be longer than 0/ });
    assertScenarioError(loading(withSettings('{tolerance: -0.1}')), { line: 8, message: /expected a number >= 0/ });
    assertScenarioError(loading(withSettings('{downscaleStabilisationWindow: 1m}')), { line: 8, message: /unknown key "downscaleStabilisationWindow"/, hint: /downscaleStabilizationWindow/ });
  });
});
