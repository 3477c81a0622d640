/**
 * Convergence records of whole runs: one for the start and one per action occurrence, labelled
 * as the action; timed against the run's own events; null with a reason when capacity runs out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RunResult, runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

/** Two nodes of 2 CPUs; web asks 1 CPU per pod, so at most 4 pods fit. */
function run(replicas: number, events: string): RunResult {
  return runScenario(loadText(`apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: convergence}
spec:
  duration: 2m
  cluster:
    nodePools:
      - {name: pool, count: 2, capacity: {cpu: "2", memory: 8Gi, pods: 110}}
  images:
    app:v1: {pull: 2s, start: 1s}
    app:v2: {pull: 3s, start: 1s}
  events:
${events}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "app:v1", resources: {requests: {cpu: "1"}}}]
`));
}

const times = (r: RunResult, type: string): number[] => r.eventLines.map((l) => JSON.parse(l)).filter((e) => e.type === type).map((e) => e.t);

describe('convergence of a run', () => {
  it('one record for the start and one per action occurrence (repeats included), labelled as the action', () => {
    const r = run(2, '    - {at: 20s, every: 30s, scale: {target: deployment/web, replicas: 3}}\n    - {at: 40s, setImage: {target: deployment/web, image: "app:v2"}}');
    assert.deepEqual(r.convergence.map((c) => [c.trigger, c.at]), [
      ['initial', 0],
      ['scale deployment/web', 20],
      ['setImage deployment/web', 40],
      ['scale deployment/web', 50],
      ['scale deployment/web', 80],
      ['scale deployment/web', 110],
    ]);
    for (const c of r.convergence) assert.equal(c.seconds, Math.round(((c.convergedAt as number) - c.at) * 1000) / 1000);
  });

  it('the start converges after the last initial pod is ready, within pull + start and a few controller hops', () => {
    const r = run(3, '    []');
    const [initial] = r.convergence;
    const lastReady = Math.max(...times(r, 'PodReady'));
    assert.equal(times(r, 'PodReady').length, 3);
    assert.ok(initial.convergedAt !== null && initial.convergedAt >= lastReady && initial.convergedAt < lastReady + 0.1, JSON.stringify(initial));
    assert.ok(lastReady >= 3, 'pull 2 s + start 1 s');
  });

  it('a rollout converges no earlier than it completes', () => {
    const r = run(2, '    - {at: 30s, setImage: {target: deployment/web, image: "app:v2"}}');
    const setImage = r.convergence[1];
    const [complete] = times(r, 'RolloutComplete');
    assert.equal(r.rollouts[0].end, complete);
    assert.ok(setImage.convergedAt !== null && setImage.convergedAt >= complete, `${setImage.convergedAt} vs ${complete}`);
    assert.ok(setImage.convergedAt < complete + 0.1);
  });

  it('never converges when the pods do not fit: null, with what was still off', () => {
    const r = run(3, '    - {at: 30s, scale: {target: deployment/web, replicas: 6}}');
    const scale = r.convergence[1];
    assert.deepEqual([scale.trigger, scale.at, scale.convergedAt, scale.seconds], ['scale deployment/web', 30, null, null]);
    assert.match(scale.reason ?? '', /^not converged by the end of the run: /);
    assert.match(scale.reason ?? '', /deployment\/web: 4 of 6 pods available/);
    assert.match(scale.reason ?? '', /2 pod\(s\) unschedulable/);
    assert.ok(times(r, 'PodUnschedulable').length >= 2);
  });

  it('scaling back down to what fits converges again', () => {
    const r = run(3, '    - {at: 30s, scale: {target: deployment/web, replicas: 6}}\n    - {at: 60s, scale: {target: deployment/web, replicas: 4}}');
    const [, up, down] = r.convergence;
    assert.equal(up.convergedAt, down.convergedAt, 'the earlier trigger closes when the cluster next converges');
    assert.ok(down.convergedAt !== null && down.convergedAt >= 60);
  });

  // Bug (reported): see workload-pods.test.ts — the orphaned ReplicaSet's pods still count for
  // the deleted Deployment, so the ReplicaSet reads "0 of 2 pods available, 0 exist" forever.
  it('delete --cascade=orphan leaves a ReplicaSet that has converged', () => {
    const r = run(2, '    - {at: 30s, delete: {target: deployment/web, cascade: orphan}}');
    const last = r.timeline.filter((row) => row[0] === 120 && row[1] === 'ReplicaSet' && row[4] === 'availableReplicas');
    assert.deepEqual(last.map((row) => row[5]), [2], 'the orphan keeps its 2 available pods');
    const del = r.convergence[1];
    assert.equal(del.trigger, 'delete deployment/web');
    assert.notEqual(del.convergedAt, null, del.reason);
  });
});
