/**
 * Size limits: a scenario asking for more than a limit allows is refused before it runs, and the
 * message names the limit and how to raise it (`--limit name=N`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScenarioError } from '../../src/errors.js';
import { DEFAULT_LIMITS, LIMIT_NAMES, raiseHint } from '../../src/scenario/limits.js';
import { assertScenarioError } from './assert-scenario-error.js';
import { deployment, inDir, load, loading, scenario, writeFiles } from './scenario-files.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('limits', () => {
  it('every limit has a name the CLI accepts and a positive default', () => {
    assert.deepEqual(LIMIT_NAMES, ['fileBytes', 'yamlAliases', 'nodes', 'pods', 'samples', 'timelineRows', 'actions', 'steps', 'days']);
    for (const name of LIMIT_NAMES) assert.ok(DEFAULT_LIMITS[name] > 0, name);
    assert.equal(raiseHint('pods', 13, 12), 'raise the limit with --limit pods=24 if you mean it');
    assert.equal(raiseHint('pods', 125.5, 50), 'raise the limit with --limit pods=126 if you mean it');
  });

  it('pods: replicas plus maxSurge of the manifests over --limit pods', () => {
    // 10 replicas + ceil(25%) = 13, plus 1 + 1 = 2 → 15.
    assertScenarioError(loading(scenario('  duration: 10m\n', [deployment('web', 10), deployment('api', 1)]), { limits: { pods: 14 } }), {
      message: /the scenario asks for up to 15 pods at once, over the limit of 14 \(pods=14\)/, hint: /--limit pods=28/,
    });
    assert.doesNotThrow(() => load(scenario('  duration: 10m\n', [deployment('web', 10), deployment('api', 1)]), { limits: { pods: 15 } }));
  });

  it('pods: a scale event over the limit is located at the event', () => {
    const text = scenario('  duration: 10m\n  events:\n    - at: 1m\n      scale: {target: deployment/web, replicas: 100}\n', [deployment('web', 10)]);
    assertScenarioError(loading(text, { limits: { pods: 50 } }), { line: 7, column: 7, message: /asks for up to 125 pods at once, over the limit of 50 \(pods=50\)/, hint: /--limit pods=125/ });
  });

  it('pods: a manifest over the limit is the one pointed at', () => {
    // The big Deployment comes first; the error should not blame the small one after it.
    assertScenarioError(loading(scenario('  duration: 10m\n', [deployment('big', 100), deployment('small', 1)]), { limits: { pods: 50 } }), {
      line: 11, message: /asks for up to \d+ pods/,
    });
  });

  it('samples: duration ÷ sampleInterval over the limit suggests a coarser interval', () => {
    assertScenarioError(loading(scenario('  duration: 3d\n  sampleInterval: 1s\n')), {
      line: 6, column: 19, message: /takes 259201 samples, over the limit of 200000 \(samples=200000\)/, hint: /sampleInterval: 2s.*--limit samples=400000/,
    });
    assert.equal(load(scenario('  duration: 3d\n'), { limits: { samples: 259_201 } }).durationMs, 3 * 86_400_000);
  });

  it('actions: repetitions of every over the limit', () => {
    const text = scenario('  duration: 1h\n  cluster: {nodePools: [{name: a, count: 1}]}\n  events:\n    - at: 0s\n      every: 1s\n      cordon: {node: a-0}\n');
    assertScenarioError(loading(text, { limits: { actions: 1000 } }), { line: 9, column: 7, message: /run 3601 times by this one, over the limit of 1000 \(actions=1000\)/, hint: /--limit actions=3601/ });
    assert.doesNotThrow(() => load(text, { limits: { actions: 3601 } }));
  });

  it('nodes: pools plus nodes added by events, repetitions counted', () => {
    const text = scenario('  duration: 1h\n  cluster:\n    nodePools:\n      - {name: a, count: 1}\n  events:\n    - at: 0s\n      every: 10m\n      addNodes: {pool: a, count: 2}\n');
    // 1 + 2 × 7 occurrences (0, 10, …, 60 min) = 15.
    assertScenarioError(loading(text, { limits: { nodes: 10 } }), { line: 12, column: 7, message: /adding these nodes makes 15, over the limit of 10 \(nodes=10\)/, hint: /--limit nodes=20/ });
    assert.doesNotThrow(() => load(text, { limits: { nodes: 15 } }));
  });

  it('days: a duration over the horizon limit', () => {
    assertScenarioError(loading(scenario('  duration: 401d\n  sampleInterval: 1h\n')), { line: 5, column: 13, message: /duration is over 400 days \(days=400\)/, hint: /--limit days=800/ });
    assertScenarioError(loading(scenario('  duration: 3d\n  sampleInterval: 1h\n'), { limits: { days: 2 } }), { line: 5, column: 13, message: /over 2 days \(days=2\)/, hint: /--limit days=4/ });
  });

  it('fileBytes: the scenario file, and every included file', () => {
    const padding = `  # ${'x'.repeat(2000)}\n`;
    assertScenarioError(loading(scenario(`  duration: 10m\n${padding}`), { limits: { fileBytes: 1000 } }), { message: /file is \d+ bytes, over the limit of 1000 \(fileBytes=1000\)/, hint: /--limit fileBytes=\d+/ });
    const dir = writeFiles({ 'test.yaml': scenario('  duration: 10m\n  include: [big.yaml]\n'), 'big.yaml': `${deployment('a')}# ${'x'.repeat(2000)}\n` });
    assert.throws(() => inDir(dir, () => loadScenario('test.yaml', { limits: { fileBytes: 1000 } })), (error: unknown) => {
      assert.ok(error instanceof ScenarioError);
      assert.match(error.location.file, /big\.yaml$/);
      assert.match(error.hint ?? '', /--limit fileBytes=/);
      return true;
    });
  });

  it('a missing scenario file and a folder are clear errors', () => {
    const dir = writeFiles({ 'sub/x.yaml': 'a: 1\n' });
    assert.throws(() => inDir(dir, () => loadScenario('nope.yaml')), /no such file/);
    assert.throws(() => inDir(dir, () => loadScenario('sub')), /is a directory, not a scenario file/);
  });
});
