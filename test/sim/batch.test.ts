/**
 * runBatch and validateBatch: each file ends passed, failed or invalid without stopping the
 * others; names must be unique; wall time comes from the injected clock; outputs only with outDir.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type BatchItem, runBatch, validateBatch } from '../../src/sim/batch.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` into a fresh temporary folder; returns the folder. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8sim-batch-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function scenario(name: string, expect = '    - converged: {within: 1m}\n', extra = ''): string {
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: ${name}}
spec:
  duration: 2m
  cluster: {nodePools: [{name: p, count: 1}]}
  images: {app:v1: {pull: 1s, start: 1s}}
${extra}  expect:
${expect}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 2
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers: [{name: app, image: app:v1}]
`;
}

const PASSING = scenario('good');
const FAILING = scenario('strict', '    - replicas: {target: deployment/app, at: 1m, equals: 5}\n');
/** `duration: 2 minutes` is on line 5, its value at column 13. */
const INVALID = scenario('bad').replace('duration: 2m', 'duration: 2 minutes');

const summary = (items: readonly BatchItem[]) => items.map((i) => [i.status, i.name]);

describe('runBatch', () => {
  it('runs every file: an invalid one in the middle stops nothing', () => {
    const dir = folder({ 'a.yaml': PASSING, 'b.yaml': INVALID, 'c.yaml': FAILING });
    const items = runBatch(['a.yaml', 'b.yaml', 'c.yaml'].map((f) => join(dir, f)));
    assert.deepEqual(summary(items), [['passed', 'good'], ['invalid', undefined], ['failed', 'strict']]);
    assert.equal(items[0].result?.passed, true);
    assert.deepEqual(items[2].result?.expectations.map((e) => e.passed), [false]);
  });

  it('an invalid file carries one located line: file:line:col: error: message (at path); hint', () => {
    const dir = folder({ 'b.yaml': INVALID });
    const [item] = runBatch([join(dir, 'b.yaml')]);
    assert.equal(item.result, undefined);
    assert.match(item.error ?? '', /^\S+b\.yaml:5:13: error: expected a duration, got "2 minutes" \(at spec\.duration\); did you mean "2m"\?$/);
  });

  it('a missing file is invalid, not a crash', () => {
    const [item] = runBatch([join(tmpdir(), 'k8sim-does-not-exist.yaml')]);
    assert.equal(item.status, 'invalid');
    assert.match(item.error ?? '', /k8sim-does-not-exist\.yaml: error: no such file; check the path$/);
  });

  it('refuses a second scenario with the same metadata.name; the first still runs', () => {
    const dir = folder({ 'a.yaml': PASSING, 'b.yaml': PASSING });
    const items = runBatch([join(dir, 'a.yaml'), join(dir, 'b.yaml')]);
    assert.deepEqual(items.map((i) => i.status), ['passed', 'invalid']);
    assert.match(items[1].error ?? '', /b\.yaml.*: error: scenario name "good" is also used by \S+a\.yaml; their outputs would overwrite each other \(at metadata\.name\); give each scenario its own metadata\.name$/);
  });

  it('the duplicate-name error points at the line and column of metadata.name', () => {
    const dir = folder({ 'a.yaml': PASSING, 'b.yaml': PASSING });
    const items = runBatch([join(dir, 'a.yaml'), join(dir, 'b.yaml')]);
    assert.match(items[1].error ?? '', /b\.yaml:3:18: error: scenario name "good"/);
  });

  it('measures wall time with the injected clock and memory with the injected probe', () => {
    const dir = folder({ 'a.yaml': PASSING });
    const ticks = [1_000, 3_500];
    const [item] = runBatch([join(dir, 'a.yaml')], { clock: () => ticks.shift() ?? Number.NaN, peakMemory: () => 64 * 1024 * 1024 });
    assert.deepEqual(ticks, [], 'read once before and once after the run');
    assert.equal(item.runInfo?.wallSeconds, 2.5);
    assert.equal(item.runInfo?.peakMemoryMiB, 64);
    assert.equal(item.runInfo?.virtualSeconds, 120);
    assert.equal(item.runInfo?.eventsPerSecond, Math.round((item.runInfo?.eventsProcessed ?? 0) / 2.5));
  });

  it('without a clock reports no wall time (never reads the real one)', () => {
    const dir = folder({ 'a.yaml': PASSING });
    const [item] = runBatch([join(dir, 'a.yaml')]);
    assert.deepEqual([item.runInfo?.wallSeconds, item.runInfo?.eventsPerSecond, item.runInfo?.virtualSecondsPerWallSecond], [0, 0, 0]);
  });

  it('writes the four outputs under outDir/<name>/ only when outDir is given', () => {
    const dir = folder({ 'a.yaml': PASSING });
    const out = join(dir, 'out');
    const previous = process.cwd();
    process.chdir(dir);
    let without: BatchItem;
    try {
      [without] = runBatch([join(dir, 'a.yaml')]);
    } finally {
      process.chdir(previous);
    }
    assert.equal(without.outputDir, undefined);
    assert.deepEqual(readdirSync(dir), ['a.yaml'], 'nothing written, not even a default reports/ folder');

    const [item] = runBatch([join(dir, 'a.yaml')], { outDir: out, clock: () => 0 });
    assert.equal(item.outputDir, join(out, 'good'));
    assert.deepEqual(readdirSync(join(out, 'good')).sort(), ['events.jsonl', 'metrics.json', 'run.json', 'timeline.csv']);
    const metrics = JSON.parse(readFileSync(join(out, 'good', 'metrics.json'), 'utf8')) as { scenario: string; passed: boolean };
    assert.deepEqual([metrics.scenario, metrics.passed], ['good', true]);
    assert.equal(readFileSync(join(out, 'good', 'events.jsonl'), 'utf8').split('\n').length - 1, item.result?.eventLines.length);
  });

  it('writes nothing for an invalid file', () => {
    const dir = folder({ 'b.yaml': INVALID });
    runBatch([join(dir, 'b.yaml')], { outDir: join(dir, 'out') });
    assert.equal(existsSync(join(dir, 'out')), false);
  });

  it('--seed overrides the scenario seed; onItem streams each item as it finishes', () => {
    const dir = folder({ 'a.yaml': PASSING, 'b.yaml': INVALID });
    const streamed: string[] = [];
    const items = runBatch([join(dir, 'a.yaml'), join(dir, 'b.yaml')], { seed: 42, onItem: (i) => streamed.push(i.status) });
    assert.deepEqual(streamed, ['passed', 'invalid']);
    assert.deepEqual([items[0].result?.seed, items[0].runInfo?.seed], [42, 42]);
  });

  it('formats scenario and run warnings as file:line:col: warning: …, run ones with their time', () => {
    const extra = '  events:\n    - at: 1m\n      killPod: {selector: "app=none"}\n';
    const dir = folder({ 'w.yaml': scenario('warned', '    - converged: {}\n', extra).replace('image: app:v1}', 'image: app:v1, env: [{name: A, value: b}]}') });
    const [item] = runBatch([join(dir, 'w.yaml')]);
    assert.equal(item.status, 'passed');
    assert.equal(item.warnings.length, 2, item.warnings.join('\n'));
    assert.match(item.warnings[0], /w\.yaml:\d+:\d+: warning: Deployment field spec\.template\.spec\.containers\[\]\.env is kept but not simulated$/);
    assert.match(item.warnings[1], /w\.yaml:10:7: warning: t=60s: killPod -l app=none failed: no running pod matches$/);
  });
});

describe('validateBatch', () => {
  it('loads without running: passed or invalid per file, each with its own message', () => {
    const dir = folder({ 'a.yaml': PASSING, 'b.yaml': INVALID, 'c.yaml': FAILING });
    const items = validateBatch(['a.yaml', 'b.yaml', 'c.yaml'].map((f) => join(dir, f)));
    // An expectation that would fail is not judged: validation does not run the scenario.
    assert.deepEqual(summary(items), [['passed', 'good'], ['invalid', undefined], ['passed', 'strict']]);
    assert.ok(items.every((i) => i.result === undefined && i.runInfo === undefined));
    assert.match(items[1].error ?? '', /b\.yaml:5:13: error: /);
  });

  it('also refuses duplicate names', () => {
    const dir = folder({ 'a.yaml': PASSING, 'b.yaml': PASSING });
    assert.deepEqual(validateBatch([join(dir, 'a.yaml'), join(dir, 'b.yaml')]).map((i) => i.status), ['passed', 'invalid']);
  });
});
