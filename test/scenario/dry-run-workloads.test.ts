/**
 * The dry run's pod budget (the `pods` limit) for StatefulSets, DaemonSets, Jobs and CronJobs:
 * what each asks for at once, as manifests and as events change it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertScenarioError } from './assert-scenario-error.js';
import { deployment, load, loading, scenario } from './scenario-files.js';
import { cronJobYaml, daemonSetYaml, jobYaml, statefulSetYaml } from '../helpers/workload-manifests.js';

/** A pool of `nodes` nodes (spec lines 5–8), then `events` from line 9. */
const spec = (nodes: number, events = '') => `  duration: 10m\n  cluster:\n    nodePools:\n      - {name: pool-a, count: ${nodes}}\n${events}`;

/** Lines of spec text ('  completions: 3\n…') as the builders take them. */
const specOf = (text: string) => text.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim());

const statefulSet = (replicas?: number) => statefulSetYaml('db', 'db:1', replicas);
const daemonSet = (strategy = '') => daemonSetYaml('agent', 'agent:1', specOf(strategy));
const job = (lines = '') => jobYaml('batch', 'work:1', { spec: specOf(lines) });
const cronJob = (lines = '') => cronJobYaml('nightly', 'work:1', '@daily', { spec: specOf(lines) });

/** Asserts the scenario asks for exactly `pods` pods at once: refused at pods−1, accepted at pods. */
function assertDemand(text: string, pods: number): void {
  if (pods > 1) {
    assertScenarioError(loading(text, { limits: { pods: pods - 1 } }), { message: new RegExp(`asks for up to ${pods} pods at once, over the limit of ${pods - 1} \\(pods=${pods - 1}\\)$`) });
  }
  assert.doesNotThrow(() => load(text, { limits: { pods } }));
}

describe('pod demand of StatefulSets', () => {
  it('spec.replicas, 1 when unset; no surge', () => {
    assertDemand(scenario(spec(1), [statefulSet(7)]), 7);
    assertDemand(scenario(spec(1), [statefulSet()]), 1);
  });

  it('a scale event raises it, and the refusal points at the event', () => {
    const text = scenario(spec(1, '  events:\n    - {at: 1m, scale: {target: statefulset/db, replicas: 40}}\n'), [statefulSet(7)]);
    assertScenarioError(loading(text, { limits: { pods: 39 } }), { line: 10, column: 7, message: /asks for up to 40 pods at once, over the limit of 39/ });
    assert.doesNotThrow(() => load(text, { limits: { pods: 40 } }));
  });
});

describe('pod demand of DaemonSets', () => {
  it('one pod per node', () => {
    assertDemand(scenario(spec(5), [daemonSet()]), 5);
  });

  it('plus the surge of a rolling update (maxSurge, a percentage of the nodes rounded up)', () => {
    assertDemand(scenario(spec(5), [daemonSet('  updateStrategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n')]), 6);
    assertDemand(scenario(spec(5), [daemonSet('  updateStrategy: {rollingUpdate: {maxSurge: "20%", maxUnavailable: 0}}\n')]), 6);
    assertDemand(scenario(spec(5), [daemonSet('  updateStrategy: {rollingUpdate: {maxSurge: "30%", maxUnavailable: 0}}\n')]), 7);
  });

  it('maxSurge 0 (the default) surges nothing', () => {
    assertDemand(scenario(spec(5), [daemonSet('  updateStrategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 2}}\n')]), 5);
  });

  it('maxSurge "0%" surges nothing either', () => {
    assertDemand(scenario(spec(5), [daemonSet('  updateStrategy: {rollingUpdate: {maxSurge: "0%", maxUnavailable: 1}}\n')]), 5);
  });

  it('follows the nodes: addNodes raises it (refused at the event), removeNode lowers it', () => {
    const grow = scenario(spec(5, '  events:\n    - {at: 1m, addNodes: {pool: pool-a, count: 3}}\n'), [daemonSet()]);
    assertScenarioError(loading(grow, { limits: { pods: 7 } }), { line: 10, column: 7, message: /asks for up to 8 pods at once/ });
    assert.doesNotThrow(() => load(grow, { limits: { pods: 8 } }));
    const shrink = scenario(spec(5, '  events:\n    - {at: 1m, removeNode: {node: pool-a-4}}\n    - {at: 2m, apply: {apiVersion: v1, kind: Pod, metadata: {name: solo}, spec: {containers: [{name: a, image: "a:1"}]}}}\n'), [daemonSet()]);
    assert.doesNotThrow(() => load(shrink, { limits: { pods: 5 } }), 'the bare pod fits in the removed node\'s place');
  });
});

describe('pod demand of Jobs and CronJobs', () => {
  const cases: [string, string, number][] = [
    ['defaults (1 of 1)', '', 1],
    ['parallelism 4, completions unset (a work queue)', '  parallelism: 4\n', 4],
    ['completions 10, parallelism defaulted to 1', '  completions: 10\n', 1],
    ['parallelism 5, completions 3: never more than 3', '  parallelism: 5\n  completions: 3\n', 3],
    ['parallelism 3, completions 8', '  parallelism: 3\n  completions: 8\n', 3],
  ];
  for (const [name, lines, pods] of cases) {
    it(`Job: ${name} → ${pods}`, () => assertDemand(scenario(spec(1), [job(lines)]), pods));
    it(`CronJob: ${name} → ${pods}`, () => assertDemand(scenario(spec(1), [cronJob(lines.replace(/^ {2}/gm, '      '))]), pods));
  }

  it('parallelism 0 (a Job created paused that way) asks for none', () => {
    assertDemand(scenario(spec(1), [job('  parallelism: 0\n'), statefulSet(2)]), 2);
  });
});

describe('the budget adds up every kind', () => {
  it('Deployment (replicas + surge) + StatefulSet + DaemonSet per node + Job + CronJob', () => {
    // web: 4 + 25% of 4 = 5; db: 3; agent: 2 nodes; batch: 2; nightly: 1.
    assertDemand(scenario(spec(2), [deployment('web', 4), statefulSet(3), daemonSet(), job('  parallelism: 2\n'), cronJob()]), 13);
  });

  it('deleting a workload gives its pods back', () => {
    const text = scenario(spec(2, '  events:\n    - {at: 1m, delete: {target: statefulset/db}}\n    - {at: 2m, scale: {target: deployment/web, replicas: 8}}\n'), [deployment('web', 4), statefulSet(5)]);
    // Before: 5 + 5 = 10; after the delete and the scale: 8 + 2 = 10.
    assertDemand(text, 10);
  });
});

describe('set image checks reach a CronJob\'s Job template', () => {
  const twoContainers = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: work, image: "work:1"}, {name: side, image: "side:1"}]
`;
  const withEvent = (line: string) => scenario(spec(1, `  events:\n    - at: 1m\n      ${line}\n`), [twoContainers]);

  it('a container it does not have is refused with the nearest name; several containers need one named', () => {
    assertScenarioError(loading(withEvent('setImage: {target: cronjob/nightly, image: "work:2", container: wrk}')), { line: 11, message: /^cronjob\/nightly has no container "wrk"$/, hint: /^did you mean "work"\?$/ });
    assertScenarioError(loading(withEvent('setImage: {target: cronjob/nightly, image: "work:2"}')), { line: 11, message: /^cronjob\/nightly has 2 containers \(work, side\)$/ });
    assert.doesNotThrow(() => load(withEvent('setImage: {target: cronjob/nightly, image: "side:2", container: side}')));
  });
});
