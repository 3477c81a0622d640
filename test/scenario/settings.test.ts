/**
 * cluster.settings and cluster.latencies beyond load.test.ts's defaults: every knob in its unit,
 * out-of-range values located, and the values upstream components refuse.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constant } from '../../src/engine/distribution.js';
import { ScenarioError } from '../../src/errors.js';
import { resolveSettings } from '../../src/scenario/settings.js';
import { assertScenarioError } from './assert-scenario-error.js';
import { load, loading, scenario } from './scenario-files.js';

/** `cluster:` (line 6) with `lines` under it, from line 7. */
const withCluster = (lines: string) => scenario(`  duration: 1m\n  cluster:\n${lines}`);

describe('settings', () => {
  it('reads every scheduler and kubelet knob in milliseconds', () => {
    const s = load(withCluster(`    settings:
      scheduler: {percentageOfNodesToScore: 50, podInitialBackoff: 2s, podMaxBackoff: 1m, podMaxInUnschedulablePodsDuration: 90s}
      kubelet: {nodeStatusReportFrequency: 1m, leaseRenewInterval: 20s, nodeReadyDelay: {exponential: {mean: 3s}}}
`)).settings;
    assert.deepEqual(s.scheduler, { percentageOfNodesToScore: 50, podInitialBackoffMs: 2000, podMaxBackoffMs: 60_000, podMaxInUnschedulablePodsDurationMs: 90_000 });
    assert.deepEqual(s.kubelet, { serializeImagePulls: true, nodeStatusReportFrequencyMs: 60_000, leaseRenewIntervalMs: 20_000, nodeReadyDelay: { kind: 'exponential', meanMs: 3000 } });
  });

  it('reads latencies as distributions', () => {
    const s = load(withCluster('    latencies: {watch: 20ms, schedulerPerPod: {uniform: {min: 1ms, max: 4ms}}}\n')).settings;
    assert.deepEqual(s.latencies, { watch: constant(20), schedulerPerPod: { kind: 'uniform', minMs: 1, maxMs: 4 } });
  });

  it('resolveSettings fills each group independently', () => {
    const s = resolveSettings({ scheduler: { podMaxBackoff: 30_000 } }, { schedulerPerPod: constant(7) });
    assert.equal(s.scheduler.podMaxBackoffMs, 30_000);
    assert.equal(s.scheduler.podInitialBackoffMs, 1000);
    assert.deepEqual(s.latencies, { watch: constant(5), schedulerPerPod: constant(7) });
    assert.equal(s.kubelet.leaseRenewIntervalMs, 10_000);
  });
});

describe('settings: mistakes', () => {
  it('percentageOfNodesToScore is 0–100, located at the value', () => {
    const error = assertScenarioError(loading(withCluster('    settings:\n      scheduler: {percentageOfNodesToScore: 101}\n')), {
      line: 8, column: 45, message: /expected an integer from 0 to 100, got 101/, path: 'spec.cluster.settings.scheduler.percentageOfNodesToScore',
    });
    assert.match(error.format(), /^test\.yaml:8:45: error: expected an integer from 0 to 100, got 101 \(at spec\.cluster\.settings\.scheduler\.percentageOfNodesToScore\)/);
  });

  it('a misspelled latency or settings group names the nearest', () => {
    assertScenarioError(loading(withCluster('    latencies: {wach: 5ms}\n')), { line: 7, column: 17, message: /unknown key "wach"/, hint: /did you mean "watch"\?/ });
    assertScenarioError(loading(withCluster('    settings:\n      schedular: {}\n')), { line: 8, column: 7, message: /unknown key "schedular"/, hint: /did you mean "scheduler"\?/ });
  });

  it('a negative duration is refused', () => {
    assertScenarioError(loading(withCluster('    settings:\n      kubelet: {leaseRenewInterval: -1s}\n')), { line: 8, column: 37, message: /a duration cannot be negative, got "-1s"/ });
  });

  it('podInitialBackoff must be greater than 0, as kube-scheduler validates it', () => {
    assertScenarioError(loading(withCluster('    settings:\n      scheduler: {podInitialBackoff: 0s}\n')), { line: 8, message: /podInitialBackoff/ });
  });

  it('podMaxBackoff may not be below podInitialBackoff, as kube-scheduler validates it', () => {
    assertScenarioError(loading(withCluster('    settings:\n      scheduler: {podInitialBackoff: 20s, podMaxBackoff: 5s}\n')), { line: 8, message: /podMaxBackoff/ });
  });

  it('nodeStatusReportFrequency: 0s never gives a zero report period', () => {
    let ms: number;
    try {
      ms = load(withCluster('    settings:\n      kubelet: {nodeStatusReportFrequency: 0s}\n')).settings.kubelet.nodeStatusReportFrequencyMs;
    } catch (error) {
      assert.ok(error instanceof ScenarioError, String(error));
      return;
    }
    assert.ok(ms > 0, `report period ${ms} ms`);
  });
});
