/**
 * Rollout metrics of whole runs: bounds that follow from the strategy by hand, and minAvailable,
 * maxPods and availability recomputed independently by replaying the run's events.jsonl.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RolloutRecord } from '../../src/metrics/rollouts.js';
import { type RunResult, runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

interface Params {
  readonly replicas: number;
  readonly strategy: string;
  readonly v2?: string;
  readonly extraSpec?: string;
  readonly events?: string;
}

function run(p: Params): RunResult {
  return runScenario(loadText(`apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: rollout-metrics}
spec:
  seed: 5
  duration: 3m
  cluster:
    nodePools:
      - {name: pool, count: 3, capacity: {cpu: "16", memory: 64Gi, pods: 110}}
  images:
    app:v1: {pull: 2s, start: 1s}
    app:v2: ${p.v2 ?? '{pull: {uniform: {min: 1s, max: 6s}}, start: 1s}'}
  events:
${p.events ?? '    - {at: 30s, setImage: {target: deployment/web, image: "app:v2"}}'}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${p.replicas}
  strategy: ${p.strategy}
${p.extraSpec ?? ''}  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "app:v1"}]
`));
}

interface Ev { t: number; type: string; name: string; owner?: string; revision?: number; seconds?: number }
const events = (r: RunResult): Ev[] => r.eventLines.map((l) => JSON.parse(l) as Ev);

/**
 * Replays the pod events of Deployment web over [start, end]: available pods are those ready
 * (minReadySeconds 0) and not yet terminating; existing pods those created and not yet
 * terminating, failed or deleted.
 */
function replay(r: RunResult, rollout: RolloutRecord, desired: number) {
  const startMs = rollout.start * 1000;
  const endMs = (rollout.end as number) * 1000;
  const available = new Set<string>();
  const existing = new Set<string>();
  let minAvailable = 0;
  let maxPods = 0;
  let integral = 0;
  let lastMs = startMs;
  let started = false;
  const ratio = () => Math.min(1, available.size / desired);
  const begin = () => {
    started = true;
    minAvailable = available.size;
    maxPods = existing.size;
  };
  for (const e of events(r)) {
    const ms = Math.round(e.t * 1000);
    if (ms > endMs) break;
    if (!e.owner?.startsWith('ReplicaSet/web-')) continue;
    if (!started && ms >= startMs) begin();
    if (started) integral += (ms - lastMs) * ratio();
    if (e.type === 'PodCreated') existing.add(e.name);
    if (e.type === 'PodReady') available.add(e.name);
    if (['PodNotReady', 'PodTerminating', 'PodDeleted', 'PodFailed', 'PodSucceeded'].includes(e.type)) available.delete(e.name);
    if (['PodTerminating', 'PodDeleted', 'PodFailed', 'PodSucceeded'].includes(e.type)) existing.delete(e.name);
    if (started) {
      lastMs = ms;
      minAvailable = Math.min(minAvailable, available.size);
      maxPods = Math.max(maxPods, existing.size);
    }
  }
  if (!started) begin();
  integral += (endMs - lastMs) * ratio();
  return { minAvailable, maxPods, availability: Math.round((integral / (endMs - startMs)) * 1e6) / 1e6 };
}

function onlyRollout(r: RunResult): RolloutRecord {
  assert.equal(r.rollouts.length, 1, JSON.stringify(r.rollouts));
  return r.rollouts[0];
}

describe('rollout metrics of a run', () => {
  it('maxSurge 1, maxUnavailable 0: never below replicas available, at most replicas + 1 pods', () => {
    const r = run({ replicas: 4, strategy: '{rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}' });
    const rollout = onlyRollout(r);
    const complete = events(r).find((e) => e.type === 'RolloutComplete');
    assert.ok(complete);
    assert.deepEqual(
      { ...rollout },
      {
        target: 'Deployment/web', namespace: 'default', revision: 2, start: 30, end: complete.t, seconds: complete.seconds,
        minAvailable: 4, maxPods: 5, availability: 1, outcome: 'complete', progressDeadlineExceeded: false,
      },
    );
    assert.equal(rollout.seconds, Math.round((complete.t - 30) * 1000) / 1000);
    assert.ok((rollout.seconds as number) >= 2, 'at least one v2 pull (1 s+) and start (1 s) per surge step');
  });

  it('maxSurge 0, maxUnavailable 1: one pod down at a time, never more than replicas pods', () => {
    const r = run({ replicas: 3, strategy: '{rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}' });
    const rollout = onlyRollout(r);
    assert.deepEqual([rollout.minAvailable, rollout.maxPods, rollout.outcome], [2, 3, 'complete']);
    assert.ok(rollout.availability < 1 && rollout.availability >= 2 / 3, String(rollout.availability));
    assert.deepEqual(replay(r, rollout, 3), { minAvailable: rollout.minAvailable, maxPods: rollout.maxPods, availability: rollout.availability });
  });

  it('Recreate: no pod available at some point, never more than replicas pods; availability matches a replay of the events', () => {
    const r = run({ replicas: 3, strategy: '{type: Recreate}' });
    const rollout = onlyRollout(r);
    assert.deepEqual([rollout.minAvailable, rollout.maxPods, rollout.outcome], [0, 3, 'complete']);
    assert.deepEqual(replay(r, rollout, 3), { minAvailable: 0, maxPods: 3, availability: rollout.availability });
    assert.ok(rollout.availability > 0 && rollout.availability < 1);
  });

  it('default 25%/25% with 8 replicas: bounds 6 and 10, and the replay agrees', () => {
    const r = run({ replicas: 8, strategy: '{rollingUpdate: {maxSurge: "25%", maxUnavailable: "25%"}}' });
    const rollout = onlyRollout(r);
    assert.ok(rollout.minAvailable >= 6 && rollout.maxPods <= 10, JSON.stringify(rollout));
    assert.deepEqual(replay(r, rollout, 8), { minAvailable: rollout.minAvailable, maxPods: rollout.maxPods, availability: rollout.availability });
  });

  it('a stalled rollout: ProgressDeadlineExceeded flagged, incomplete at the horizon, end and seconds null', () => {
    const r = run({
      replicas: 4,
      strategy: '{rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}',
      v2: '{pull: 1s, pullError: "not found"}',
      extraSpec: '  progressDeadlineSeconds: 20\n',
    });
    const rollout = onlyRollout(r);
    assert.deepEqual(
      [rollout.outcome, rollout.end, rollout.seconds, rollout.progressDeadlineExceeded, rollout.start, rollout.revision],
      ['incomplete', null, null, true, 30, 2],
    );
    // Surge 1 and unavailable 1: two new pods that never start, three old ones serving.
    assert.deepEqual([rollout.minAvailable, rollout.maxPods], [3, 5]);
    const deadline = events(r).find((e) => e.type === 'ProgressDeadlineExceeded');
    assert.ok(deadline !== undefined && deadline.t >= 50, 'not before start + progressDeadlineSeconds');
  });

  it('setImage then rolloutUndo: two rollouts, revisions 2 and 3, in start order', () => {
    const r = run({
      replicas: 2,
      strategy: '{rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}',
      events: '    - {at: 30s, setImage: {target: deployment/web, image: "app:v2"}}\n    - {at: 90s, rolloutUndo: {target: deployment/web}}',
    });
    assert.deepEqual(r.rollouts.map((x) => [x.revision, x.start, x.outcome]), [[2, 30, 'complete'], [3, 90, 'complete']]);
  });

  it('a scale during the run is not a rollout', () => {
    const r = run({ replicas: 2, strategy: '{rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}', events: '    - {at: 30s, scale: {target: deployment/web, replicas: 5}}' });
    assert.deepEqual(r.rollouts, []);
  });
});
