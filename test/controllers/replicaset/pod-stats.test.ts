/**
 * ReplicaSetPodStats: through seeded random sequences of pod adds, updates, status writes,
 * scheduling, deletes, owner changes and template-label changes, the incremental counts (active
 * pods per node included) equal a recount from scratch (countPods).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileLabelSelector } from '../../../src/api/label-selector.js';
import { getControllerOf, isPodActive, isPodAvailable, isPodTerminating } from '../../../src/api/pod-util.js';
import type { DeepReadonly, OwnerReference } from '../../../src/api/types/meta.js';
import type { Pod, PodPhase } from '../../../src/api/types/pod.js';
import type { ReplicaSet } from '../../../src/api/types/replicaset.js';
import { type PodStats, ReplicaSetPodStats } from '../../../src/controllers/replicaset/pod-stats.js';
import { countPods } from '../../../src/controllers/replicaset/status.js';
import { RandomStreams, type Rng } from '../../../src/engine/random.js';

const OWNERS = ['rs-a', 'rs-b', 'rs-c'];

function replicaSet(uid: string, tier: string): ReplicaSet {
  const app = uid;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: uid, namespace: 'default', uid },
    spec: { selector: { matchLabels: { app } }, template: { metadata: { labels: { app, tier } }, spec: { containers: [] } } },
  };
}

/** A pod named and uid'd `p`, with `labels`, controlled by `owner`, in `status`. */
function ownedPod(owner: string, labels: Record<string, string>, status: NonNullable<Pod['status']>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'p', labels, ownerReferences: [ref(owner)] }, spec: { containers: [] }, status };
}

/** The ReplicaSets the stats can see (a controller knows an owner once its informer has it). */
class Owners {
  readonly known = new Map<string, ReplicaSet>();
  readonly lookup = {
    templateLabels: (uid: string) => this.known.get(uid)?.spec.template.metadata?.labels,
    selector: (uid: string) => {
      const rs = this.known.get(uid);
      return rs === undefined ? undefined : compileLabelSelector(rs.spec.selector);
    },
  };
}

/** What a full pass over `pods` finds for `rs` (upstream's calculateStatus, plus mismatches). */
function recount(rs: ReplicaSet, pods: Iterable<DeepReadonly<Pod>>, now: number, minReadySeconds: number) {
  const matches = compileLabelSelector(rs.spec.selector);
  const owned = [...pods].filter((pod) => getControllerOf(pod.metadata)?.uid === rs.metadata.uid);
  const active = owned.filter(isPodActive);
  const counts = countPods({ ...rs, spec: { ...rs.spec, minReadySeconds } }, active, owned.filter(isPodTerminating).length, now);
  const activeOnNode: Record<string, number> = {};
  for (const pod of active) activeOnNode[pod.spec.nodeName ?? ''] = (activeOnNode[pod.spec.nodeName ?? ''] ?? 0) + 1;
  return { ...counts, mismatched: active.filter((pod) => !matches(pod.metadata.labels)).length, activeOnNode };
}

function incremental(stats: ReplicaSetPodStats, uid: string, now: number, minReadySeconds: number) {
  const s: Readonly<PodStats> = stats.get(uid) ?? { active: 0, terminating: 0, ready: 0, fullyLabeled: 0, mismatched: 0, readyTimes: [], activeOnNode: new Map() };
  const { active, fullyLabeled, ready, terminating, mismatched } = s;
  return { active, fullyLabeled, ready, available: stats.available(s, minReadySeconds, now), terminating, mismatched, activeOnNode: Object.fromEntries(s.activeOnNode) };
}

const ref = (uid: string): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller: true });

/** A random pod state: owner (or none), labels, phase, readiness, deletion. */
function randomPod(rng: Rng, uid: string, now: number): DeepReadonly<Pod> {
  const owner = rng.pick([...OWNERS, undefined]);
  const app = rng.pick([...OWNERS, 'other']) as string;
  const labels = rng.pick<Record<string, string> | undefined>([{ app }, { app, tier: 'fe' }, { app, tier: 'be' }, undefined]);
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, namespace: 'default', uid }, spec: { containers: [] }, status: {} };
  if (labels !== undefined) pod.metadata.labels = labels;
  const node = rng.pick([undefined, 'node-1', 'node-2']);
  if (node !== undefined) pod.spec.nodeName = node;
  if (owner !== undefined) pod.metadata.ownerReferences = [ref(owner)];
  if (rng.int(5) === 0) pod.metadata.deletionTimestamp = now;
  const status = pod.status as NonNullable<Pod['status']>;
  status.phase = rng.pick<PodPhase>(['Pending', 'Running', 'Running', 'Succeeded', 'Failed']);
  const ready = rng.int(3);
  if (ready > 0) {
    const since = rng.pick([undefined, now - rng.int(20_000), now]);
    status.conditions = [since === undefined ? { type: 'Ready', status: ready === 1 ? 'True' : 'False' } : { type: 'Ready', status: ready === 1 ? 'True' : 'False', lastTransitionTime: since }];
  }
  return pod;
}

/** Runs the model; returns the largest value each counter took (to show none was left untested). */
function runModel(seed: number, steps: number): Record<string, number> {
  const largest: Record<string, number> = {};
  const rng = new RandomStreams(seed).stream('pod-stats');
  const owners = new Owners();
  const stats = new ReplicaSetPodStats(owners.lookup);
  const pods = new Map<string, DeepReadonly<Pod>>();
  const podsOf = (uid: string) => [...pods.values()].filter((pod) => getControllerOf(pod.metadata)?.uid === uid);
  // rs-a and rs-b are known from the start; rs-c only once some pods point at it.
  for (const uid of ['rs-a', 'rs-b']) {
    owners.known.set(uid, replicaSet(uid, 'fe'));
    stats.reset(uid, podsOf(uid));
  }
  let now = 100_000;
  let nextPod = 0;
  for (let step = 0; step < steps; step++) {
    now += rng.int(3000);
    const op = rng.int(12);
    // As the informer does: the stats get the pod's previous state with each event.
    const change = (uid: string, pod: DeepReadonly<Pod> | undefined) => {
      stats.podChanged(pods.get(uid), pod);
      if (pod === undefined) pods.delete(uid);
      else pods.set(uid, pod);
    };
    if (op < 4 || pods.size === 0) {
      const uid = `pod-${nextPod++}`;
      change(uid, randomPod(rng, uid, now));
    } else if (op < 7) {
      const uid = rng.pick([...pods.keys()]) as string;
      change(uid, randomPod(rng, uid, now));
    } else if (op < 9) {
      // A status write: metadata kept as it is, the phase or the Ready condition perhaps changed.
      const uid = rng.pick([...pods.keys()]) as string;
      const old = pods.get(uid) as DeepReadonly<Pod>;
      const status = randomPod(rng, uid, now).status;
      const conditions = [...(old.status?.conditions ?? []), { type: 'ContainersReady', status: 'True' as const }];
      change(uid, { ...old, status: rng.int(2) === 0 ? { ...old.status, conditions } : status });
    } else if (op < 10) {
      change(rng.pick([...pods.keys()]) as string, undefined);
    } else if (op < 11) {
      // Scheduling: the pod gets a node.
      const uid = rng.pick([...pods.keys()]) as string;
      const old = pods.get(uid) as DeepReadonly<Pod>;
      change(uid, { ...old, spec: { ...old.spec, nodeName: rng.pick(['node-1', 'node-2', 'node-3']) } });
    } else {
      // An owner appears or its template labels change: the controller rebuilds its counts.
      const uid = rng.pick(OWNERS) as string;
      owners.known.set(uid, replicaSet(uid, rng.pick(['fe', 'be']) as string));
      stats.reset(uid, podsOf(uid));
    }
    for (const [uid, rs] of owners.known) {
      for (const minReadySeconds of [0, 5]) {
        const expected = recount(rs, pods.values(), now, minReadySeconds);
        assert.deepEqual(incremental(stats, uid, now, minReadySeconds), expected, `seed ${seed} step ${step} owner ${uid} minReadySeconds ${minReadySeconds}`);
        const { activeOnNode, ...counts } = expected;
        const seen = { ...counts, heldBack: expected.ready - expected.available, nodes: Object.keys(activeOnNode).length };
        for (const [key, value] of Object.entries(seen)) largest[`${key}/${minReadySeconds}`] = Math.max(largest[`${key}/${minReadySeconds}`] ?? 0, value);
      }
    }
  }
  return largest;
}

describe('ReplicaSetPodStats', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`equals a recount after every event (seed ${seed}, 400 events)`, () => {
      const largest = runModel(seed, 400);
      // Every counter was non-zero at some point, and minReadySeconds 5 held some ready pods back.
      const untested = Object.keys(largest).filter((key) => largest[key] === 0);
      assert.deepEqual(untested, ['heldBack/0']);
    });
  }

  it('moves a pod\'s contribution when its controller changes (release, then adoption)', () => {
    const owners = new Owners();
    const stats = new ReplicaSetPodStats(owners.lookup);
    for (const uid of ['rs-a', 'rs-b']) owners.known.set(uid, replicaSet(uid, 'fe'));
    const pod = ownedPod('rs-a', { app: 'rs-b', tier: 'fe' }, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] });
    stats.podChanged(undefined, pod);
    assert.deepEqual({ ...stats.get('rs-a'), readyTimes: undefined }, { active: 1, terminating: 0, ready: 1, fullyLabeled: 0, mismatched: 1, readyTimes: undefined, activeOnNode: new Map([['', 1]]) });
    const released = { ...pod, metadata: { ...pod.metadata, ownerReferences: undefined } };
    stats.podChanged(pod, released);
    assert.equal(stats.get('rs-a')?.active, 0);
    stats.podChanged(released, { ...pod, metadata: { ...pod.metadata, ownerReferences: [ref('rs-b')] } });
    assert.deepEqual(stats.get('rs-b'), { active: 1, terminating: 0, ready: 1, fullyLabeled: 1, mismatched: 0, readyTimes: [0], activeOnNode: new Map([['', 1]]) });
    assert.deepEqual(stats.get('rs-a'), { active: 0, terminating: 0, ready: 0, fullyLabeled: 0, mismatched: 0, readyTimes: [], activeOnNode: new Map() });
  });

  it('keeps the counts through events that change nothing they read, and follows a pod to its node', () => {
    const owners = new Owners();
    owners.known.set('rs-a', replicaSet('rs-a', 'fe'));
    const stats = new ReplicaSetPodStats(owners.lookup);
    const pod = ownedPod('rs-a', { app: 'rs-a', tier: 'fe' }, { phase: 'Pending' });
    stats.podChanged(undefined, pod);
    const bound = { ...pod, spec: { ...pod.spec, nodeName: 'node-1' } };
    stats.podChanged(pod, bound);
    const running = { ...bound, status: { phase: 'Running' as const, conditions: [{ type: 'Ready', status: 'True' as const, lastTransitionTime: 7 }] } };
    stats.podChanged(bound, running);
    // A status write that changes nothing counted (another condition).
    const written = { ...running, status: { ...running.status, conditions: [...running.status.conditions, { type: 'ContainersReady', status: 'True' as const }] } };
    stats.podChanged(running, written);
    assert.deepEqual(stats.get('rs-a'), { active: 1, terminating: 0, ready: 1, fullyLabeled: 1, mismatched: 0, readyTimes: [7], activeOnNode: new Map([['node-1', 1]]) });
    // Forgotten counts (a deleted owner) start again from the pod's next event, even an unchanged one.
    stats.reset('rs-a');
    stats.podChanged(written, running);
    assert.equal(stats.get('rs-a')?.active, 1);
  });

  it('keeps no counts for owners it does not know (another kind, or a ReplicaSet deleted or not yet seen)', () => {
    const owners = new Owners();
    const stats = new ReplicaSetPodStats(owners.lookup);
    const pod = ownedPod('job-1', { app: 'job' }, { phase: 'Running' });
    stats.podChanged(undefined, pod);
    stats.podChanged(pod, { ...pod, status: { phase: 'Succeeded' } });
    assert.equal(stats.get('job-1'), undefined);
    // A ReplicaSet forgotten on deletion is not brought back by its orphaned pods' later events.
    owners.known.set('rs-a', replicaSet('rs-a', 'fe'));
    const owned: Pod = { ...pod, metadata: { ...pod.metadata, uid: 'q', labels: { app: 'rs-a', tier: 'fe' }, ownerReferences: [ref('rs-a')] } };
    stats.podChanged(undefined, owned);
    assert.equal(stats.get('rs-a')?.active, 1);
    owners.known.delete('rs-a');
    stats.reset('rs-a');
    stats.podChanged(owned, { ...owned, metadata: { ...owned.metadata, deletionTimestamp: 5 } });
    assert.equal(stats.get('rs-a'), undefined);
  });

  it('counts a ready pod without a transition time as never available when minReadySeconds > 0', () => {
    const owners = new Owners();
    owners.known.set('rs-a', replicaSet('rs-a', 'fe'));
    const stats = new ReplicaSetPodStats(owners.lookup);
    const pod = ownedPod('rs-a', { app: 'rs-a' }, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] });
    stats.podChanged(undefined, pod);
    const s = stats.get('rs-a') as PodStats;
    assert.equal(stats.available(s, 0, 1e9), 1);
    assert.equal(stats.available(s, 5, 1e9), 0);
    assert.equal(isPodAvailable(pod, 5, 1e9), false, 'as IsPodAvailable');
  });

  it(
    'counts every active pod as fully labeled when the template has no labels, as countPods does',
    () => {
      const rs = replicaSet('rs-a', 'fe');
      rs.spec.selector = { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] };
      rs.spec.template.metadata = {};
      const owners = new Owners();
      owners.known.set('rs-a', rs);
      const stats = new ReplicaSetPodStats(owners.lookup);
      const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'p', ownerReferences: [ref('rs-a')] }, spec: { containers: [] }, status: { phase: 'Pending' } };
      stats.podChanged(undefined, pod);
      assert.equal(recount(rs, [pod], 0, 0).fullyLabeled, 1);
      assert.equal(stats.get('rs-a')?.fullyLabeled, 1);
    },
  );
});
