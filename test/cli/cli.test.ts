/**
 * The command line as users meet it: real processes, real files. Exit codes 0 / 1 / 2, the
 * summary table and --json, the four outputs, one located message (never a stack trace) for bad
 * input, and a batch that goes on past a failing scenario.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;
const main = join(root, 'src/cli/main.ts');
/** tsx resolved from here, since the CLI runs in a temporary folder. */
const tsx = import.meta.resolve('tsx');

function k8sim(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', tsx, main, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const passing = `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: small}
spec:
  duration: 2m
  cluster: {nodePools: [{name: p, count: 2}]}
  images: {app:v1: {pull: 1s, start: 1s}}
  expect:
    - converged: {within: 1m}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 3
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers: [{name: app, image: app:v1}]
`;

const failing = passing.replace('name: small', 'name: too-strict').replace('converged: {within: 1m}', 'replicas: {target: deployment/app, at: 1m, equals: 4}');

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8sim-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('k8sim run', () => {
  it('runs a folder, prints the summary, writes the four outputs, exits 0', () => {
    const dir = folder({ 'a.yaml': passing });
    const { status, stdout, stderr } = k8sim(['run', '.', '--out', 'out'], dir);
    assert.equal(status, 0, stderr);
    assert.match(stdout, /scenario\s+result\s+virtual\s+key metrics\s+wall/);
    assert.match(stdout, /small\s+passed\s+2m\s+converged/);
    for (const file of ['events.jsonl', 'timeline.csv', 'metrics.json', 'run.json']) assert.ok(existsSync(join(dir, 'out/small', file)), file);
    const metrics = JSON.parse(readFileSync(join(dir, 'out/small/metrics.json'), 'utf8'));
    assert.equal(metrics.passed, true);
  });

  it('exits 1 when an expectation fails, says which, and still runs the other scenarios', () => {
    const dir = folder({ 'a.yaml': failing, 'b.yaml': passing });
    const { status, stdout, stderr } = k8sim(['run', 'a.yaml', 'b.yaml', '--out', 'out'], dir);
    assert.equal(status, 1);
    assert.match(stderr, /a\.yaml: expectation failed: replicas deployment\/app: spec\.replicas of deployment\/app at t=60s was 3 \(expected = 4\)/);
    assert.match(stdout, /too-strict\s+FAILED/);
    assert.match(stdout, /small\s+passed/);
  });

  it('exits 2 with one located message and no stack trace for bad input, running the rest', () => {
    const dir = folder({ 'bad.yaml': passing.replace('duration: 2m', 'duration: 2 minutes'), 'good.yaml': passing });
    const { status, stdout, stderr } = k8sim(['run', '.', '--out', 'out', '--json'], dir);
    assert.equal(status, 2);
    assert.match(stderr, /bad\.yaml:5:13: error: .*"2 minutes"/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    const summary = JSON.parse(stdout) as { file: string; result: string }[];
    assert.deepEqual(summary.map((s) => s.result), ['invalid', 'passed']);
  });

  it('exits 2 for a missing file and for a bad --limit, naming the problem', () => {
    const dir = folder({ 'a.yaml': passing });
    const missing = k8sim(['run', 'nope.yaml'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.yaml: error: no such file or folder/);
    const limit = k8sim(['run', 'a.yaml', '--limit', 'podz=5'], dir);
    assert.equal(limit.status, 2);
    assert.match(limit.stderr, /unknown limit "podz"; did you mean "pods"\?/);
  });

  it('refuses two scenarios with the same name in one run (their outputs would collide)', () => {
    const dir = folder({ 'a.yaml': passing, 'b.yaml': passing });
    const { status, stderr } = k8sim(['run', '.', '--out', 'out', '--quiet'], dir);
    assert.equal(status, 2);
    assert.match(stderr, /scenario name "small" is also used by/);
  });

  it('--seed overrides the scenario seed, recorded in the outputs', () => {
    const dir = folder({ 'a.yaml': passing });
    assert.equal(k8sim(['run', 'a.yaml', '--out', 'out', '--seed', '42', '--quiet'], dir).status, 0);
    assert.equal(JSON.parse(readFileSync(join(dir, 'out/small/metrics.json'), 'utf8')).seed, 42);
  });
});

describe('k8sim validate', () => {
  it('says ok for a valid file and locates a misspelled key with a suggestion', () => {
    const dir = folder({ 'a.yaml': passing, 'b.yaml': passing.replace('name: small', 'name: other').replace('replicas: 3', 'replcas: 3') });
    const { status, stdout, stderr } = k8sim(['validate', 'a.yaml', 'b.yaml'], dir);
    assert.equal(status, 2);
    assert.match(stdout, /ok {2}a\.yaml \(small\)/);
    assert.match(stderr, /b\.yaml:15:3: error: unknown field "spec\.replcas" in Deployment "app".*did you mean "replicas"\?/);
  });

  it('an unknown command is an error with a suggestion', () => {
    const { status, stderr } = k8sim(['rn', 'x.yaml'], tmpdir());
    assert.equal(status, 2);
    assert.match(stderr, /Did you mean run\?/);
  });
});
