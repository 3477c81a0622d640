/**
 * The pod lifecycle on one node, end to end through the API server: each test builds a node, binds
 * a pod to it by spec.nodeName, runs virtual time and reads the statuses the kubelet committed.
 * Image profiles are constants, so every expected time below is exact arithmetic.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../src/api/types/pod.js';
import { KubeletCluster, S, container, containerStatus, profile, readyCondition } from './harness.js';

const probe = (fields: Record<string, number>) => ({ exec: { command: ['true'] }, ...fields });

describe('readiness', () => {
  it('turns Ready at the exact probe tick (initialDelaySeconds, periodSeconds, successThreshold)', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ pull: 2 * S, start: 1 * S, ready: 12 * S }) } });
    c.addNode();
    c.createPod('web', { containers: [container('app', 'web:1', { readinessProbe: probe({ initialDelaySeconds: 5, periodSeconds: 4, successThreshold: 2 }) })] });
    c.runTo(60 * S);
    // Pull 0–2 s, running at 3 s, app ready at 15 s; ticks at 8, 12, 16, 20: first pass 16 s, second 20 s.
    assert.deepEqual(c.eventTimes('PodStarted', 'web'), [3]);
    assert.deepEqual(c.eventTimes('PodReady', 'web'), [20]);
    assert.equal(readyCondition(c.statusAt('web', 19_999)), 'False');
    assert.equal(containerStatus(c.statusAt('web', 19_999), 'app')?.ready, false);
    const status = c.pod('web')?.status;
    assert.equal(status?.conditions?.find((x) => x.type === 'Ready')?.lastTransitionTime, 20 * S);
    assert.equal(status?.conditions?.find((x) => x.type === 'ContainersReady')?.lastTransitionTime, 20 * S);
    assert.equal(containerStatus(status, 'app')?.ready, true);
  });

  it('without a readiness probe a container is ready as soon as it runs, however long the app takes', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ pull: 2 * S, start: 1 * S, ready: 30 * S }) } });
    c.addNode();
    c.createPod('web', { containers: [container('app', 'web:1')] });
    c.runTo(10 * S);
    assert.deepEqual(c.eventTimes('PodStarted', 'web'), [3]);
    assert.deepEqual(c.eventTimes('PodReady', 'web'), [3]);
    assert.equal(c.pod('web')?.status?.phase, 'Running');
  });

  it('a pod is Ready only when all its containers are', () => {
    const c = new KubeletCluster({ images: { 'fast:1': profile({ pull: 1 * S }), 'slow:1': profile({ pull: 1 * S, ready: 25 * S }) } });
    c.addNode();
    c.createPod('web', {
      containers: [container('a', 'fast:1'), container('b', 'slow:1', { readinessProbe: probe({ periodSeconds: 10 }) })],
    });
    c.runTo(60 * S);
    // Pulls end at 1 s and 2 s; b started at 2 s, app ready at 27 s → ticks 2, 12, 22, 32.
    assert.deepEqual(c.eventTimes('PodReady', 'web'), [32]);
    assert.equal(containerStatus(c.statusAt('web', 31 * S), 'a')?.ready, true);
  });

  it('a startup probe holds started (and readiness) until it passes', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ pull: 0, start: 0, ready: 7 * S }) } });
    c.addNode();
    c.createPod('web', {
      containers: [container('app', 'web:1', { startupProbe: probe({ periodSeconds: 5 }), readinessProbe: probe({ periodSeconds: 3 }) })],
    });
    c.runTo(30 * S);
    // Startup ticks 0, 5, 10 → passes at 10 s; readiness ticks 0, 3, 6, 9, 12 → first at or after 10 s is 12 s.
    const at = (t: number) => containerStatus(c.statusAt('web', t), 'app');
    assert.equal(at(9_999)?.started, false);
    assert.equal(at(10 * S)?.started, true);
    assert.equal(at(11_999)?.ready, false);
    assert.deepEqual(c.eventTimes('PodReady', 'web'), [12]);
  });

  it('a crashing image that never becomes ready fails its readiness probe but is ready without one', () => {
    const broken = profile({ pull: 1 * S, start: 1 * S, ready: null, crashAfter: 60 * S });
    const c = new KubeletCluster({ images: { 'broken:1': broken } });
    c.addNode();
    c.createPod('probed', { containers: [container('app', 'broken:1', { readinessProbe: probe({ periodSeconds: 1 }) })] });
    c.createPod('unprobed', { containers: [container('app', 'broken:1')] });
    c.runTo(50 * S);
    assert.deepEqual(c.eventTimes('PodReady', 'probed'), []);
    assert.equal(c.pod('probed')?.status?.phase, 'Running');
    assert.deepEqual(c.eventTimes('PodReady', 'unprobed'), [2]);
  });
});

describe('crashes and restarts', () => {
  const crashing = () => {
    const c = new KubeletCluster({ images: { 'crash:1': profile({ pull: 2 * S, start: 1 * S, crashAfter: 5 * S, crashExitCode: 2 }) } });
    c.addNode();
    c.createPod('crash', { containers: [container('app', 'crash:1')] });
    return c;
  };

  it('restarts 0, 10, 20, 40, 80 s after each exit (CrashLoopBackOff)', () => {
    const c = crashing();
    c.runTo(200 * S);
    // Running at 3 s; each run lasts start 1 s + 5 s. Exits: 8, 14, 30, 56, 102, 188.
    // Restarts (new container created): exit + 0, 10, 20, 40, 80.
    assert.deepEqual(c.eventTimes('PodRestarted', 'crash'), [8, 24, 50, 96, 182]);
    const restarts = c.eventLines().filter((e) => e.type === 'PodRestarted');
    assert.deepEqual(restarts.map((e) => e.restartCount), [1, 2, 3, 4, 5]);
    assert.ok(restarts.every((e) => e.exitCode === 2 && e.reason === 'Error' && e.container === 'app'));
    assert.equal(c.pod('crash')?.status?.phase, 'Running', 'restartPolicy Always: a crash-looping pod stays Running');
  });

  it('shows CrashLoopBackOff with the back-off while waiting, and the exit as lastState', () => {
    const c = crashing();
    c.runTo(40 * S);
    const waiting = containerStatus(c.statusAt('crash', 20 * S), 'app');
    assert.deepEqual(waiting?.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=crash' } });
    assert.deepEqual(waiting?.lastState, { terminated: { exitCode: 2, reason: 'Error', startedAt: 9 * S, finishedAt: 14 * S } });
    assert.equal(waiting?.restartCount, 1);
    assert.equal(waiting?.ready, false);
    assert.equal(readyCondition(c.statusAt('crash', 20 * S)), 'False');
    assert.deepEqual(c.eventTimes('PodNotReady', 'crash'), [8, 14, 30]);
  });

  it('a container being created again after a back-off does not keep the back-off message', () => {
    const c = crashing();
    c.runTo(40 * S);
    // At 24 s the back-off is over and the container is being created: the reason says so, and
    // "back-off 10s restarting failed container" no longer describes it.
    const creating = containerStatus(c.statusAt('crash', 24 * S), 'app');
    assert.equal((creating?.state as { waiting?: { reason: string } }).waiting?.reason, 'ContainerCreating');
    assert.deepEqual(creating?.state, { waiting: { reason: 'ContainerCreating' } });
  });

  it('restarts at once again after the container ran cleanly for more than 10 minutes', () => {
    const c = new KubeletCluster({ images: { 'long:1': profile({ crashAfter: 700 * S }) } });
    c.addNode();
    c.createPod('long', { containers: [container('app', 'long:1')] });
    c.runTo(2200 * S);
    assert.deepEqual(c.eventTimes('PodRestarted', 'long'), [700, 1400, 2100]);
  });

  it('kill() ends the running process; the container restarts and reports the exit code', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ pull: 1 * S, start: 1 * S }) } });
    const kubelet = c.addNode();
    const pod = c.createPod('web', { containers: [container('app', 'web:1'), container('side', 'web:1')] });
    c.runTo(10 * S);
    const worker = kubelet.worker(pod.metadata.uid ?? '');
    assert.ok(worker);
    assert.equal(worker.kill('side', 137), 'side');
    assert.equal(worker.kill('nope', 137), undefined);
    c.runTo(20 * S);
    const side = containerStatus(c.pod('web')?.status, 'side');
    assert.equal(side?.restartCount, 1);
    assert.equal(side?.lastState?.terminated?.exitCode, 137);
    assert.equal(containerStatus(c.pod('web')?.status, 'app')?.restartCount, 0);
    assert.deepEqual(c.eventTimes('PodRestarted', 'web'), [10]);
  });
});

describe('image pulls', () => {
  const broken = () => {
    const c = new KubeletCluster({ images: { 'bad:1': profile({ pull: 3 * S, pullError: 'manifest for bad:1 not found' }) } });
    c.addNode();
    c.createPod('bad', { containers: [container('app', 'bad:1')] });
    return c;
  };
  const reason = (c: KubeletCluster, t: number) => (containerStatus(c.statusAt('bad', t), 'app')?.state as { waiting?: { reason: string } } | undefined)?.waiting?.reason;

  it('a failing pull keeps the pod Pending in ImagePullBackOff and retries with growing gaps', () => {
    const c = broken();
    c.runTo(300 * S);
    const failures = c.eventTimes('ImagePullFailed', 'bad');
    assert.ok(failures.length >= 4, `retried: ${failures}`);
    assert.equal(failures[0], 3);
    const gaps = failures.slice(1).map((t, i) => t - failures[i]);
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] > gaps[i - 1], `gaps grow: ${gaps}`);
    assert.equal(c.pod('bad')?.status?.phase, 'Pending');
    assert.deepEqual(c.eventTimes('PodStarted', 'bad'), []);
    assert.ok(c.statuses('bad').some((s) => reason(c, s.t) === 'ImagePullBackOff'));
    const failed = c.eventLines().find((e) => e.type === 'ImagePullFailed');
    assert.deepEqual([failed?.container, failed?.image, failed?.message], ['app', 'bad:1', 'manifest for bad:1 not found']);
  });

  it('shows ErrImagePull when a pull has just failed, before ImagePullBackOff', () => {
    const c = broken();
    c.runTo(60 * S);
    // kubectl users see ErrImagePull first, then ImagePullBackOff (pkg/kubelet/images: ErrImagePull
    // is returned by the failed pull, ErrImagePullBackOff by later syncs inside the back-off).
    const reasons = c.statuses('bad').map((s) => reason(c, s.t)).filter((r) => r !== undefined);
    assert.ok(reasons.includes('ErrImagePull'), `reasons written: ${reasons.join(', ')}`);
    assert.equal(reason(c, 3 * S), 'ErrImagePull', 'the first failure (3 s) is visible in the status');
    assert.equal(containerStatus(c.statusAt('bad', 3 * S), 'app')?.state?.waiting?.message, 'manifest for bad:1 not found');
  });

  it('waits the initial 10 s image back-off before the first retry', () => {
    const c = broken();
    c.runTo(120 * S);
    // Upstream image_manager.go calls backOff.Next() on every failed pull, so even the first
    // retry is in back-off (10 s, then 20, 40 …): failures at 3, 13+3, 36+3, 79+3.
    assert.deepEqual(c.eventTimes('ImagePullFailed', 'bad').slice(0, 4), [3, 16, 39, 82]);
  });

  it('serialized pulls on one node delay the second image; parallel pulls do not', () => {
    const images = { 'a:1': profile({ pull: 4 * S, start: 1 * S }), 'b:1': profile({ pull: 6 * S, start: 1 * S }) };
    const serial = new KubeletCluster({ images });
    serial.addNode();
    serial.createPod('a', { containers: [container('app', 'a:1')] });
    serial.createPod('b', { containers: [container('app', 'b:1')] });
    serial.runTo(30 * S);
    assert.deepEqual([serial.eventTimes('PodStarted', 'a'), serial.eventTimes('PodStarted', 'b')], [[5], [11]]);

    const parallel = new KubeletCluster({ images, settings: { serializeImagePulls: false } });
    parallel.addNode();
    parallel.createPod('a', { containers: [container('app', 'a:1')] });
    parallel.createPod('b', { containers: [container('app', 'b:1')] });
    parallel.runTo(30 * S);
    assert.deepEqual([parallel.eventTimes('PodStarted', 'a'), parallel.eventTimes('PodStarted', 'b')], [[5], [7]]);
  });

  it('pods needing one image share its pull; a later pod finds it cached', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ pull: 5 * S, start: 1 * S }) } });
    const kubelet = c.addNode();
    c.createPod('p1', { containers: [container('app', 'web:1')] });
    c.createPod('p2', { containers: [container('app', 'web:1')] });
    c.runTo(20 * S);
    c.createPod('p3', { containers: [container('app', 'web:1')] });
    c.runTo(40 * S);
    assert.deepEqual(['p1', 'p2', 'p3'].map((p) => c.eventTimes('PodStarted', p)), [[6], [6], [21]]);
    assert.deepEqual([...kubelet.images.images().keys()], ['web:1']);
  });

  it('imagePullPolicy Never with the image absent waits in ErrImageNeverPull', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ pull: 1 * S }) } });
    c.addNode();
    c.createPod('never', { containers: [container('app', 'web:1', { imagePullPolicy: 'Never' })] });
    c.runTo(30 * S);
    const state = containerStatus(c.pod('never')?.status, 'app')?.state;
    assert.equal(state?.waiting?.reason, 'ErrImageNeverPull');
    assert.match(state?.waiting?.message ?? '', /not present with pull policy of Never/);
    assert.equal(c.pod('never')?.status?.phase, 'Pending');
  });

  it('an image the catalogue does not describe gets the fallback profile and is reported', () => {
    const c = new KubeletCluster({ fallback: profile({ pull: 7 * S, start: 1 * S }) });
    c.addNode();
    c.createPod('x', { containers: [container('app', 'mystery:1')] });
    c.runTo(20 * S);
    assert.deepEqual(c.eventTimes('PodStarted', 'x'), [8]);
    assert.ok(c.unknownImages.includes('mystery:1'));
  });
});

describe('init containers', () => {
  const images = {
    'init:1': profile({ pull: 1 * S, start: 1 * S, run: 5 * S }),
    'initfail:1': profile({ pull: 1 * S, start: 1 * S, run: 5 * S, fail: { probability: 1, exitCode: 2 } }),
    'web:1': profile({ pull: 2 * S, start: 1 * S }),
  };

  it('run one after another to completion before the app containers start', () => {
    const c = new KubeletCluster({ images });
    c.addNode();
    c.createPod('p', { initContainers: [container('i1', 'init:1'), container('i2', 'init:1')], containers: [container('app', 'web:1')] });
    c.runTo(60 * S);
    // i1: pull 0–1, running 2–7; i2: cached, running 8–13; app: pull 13–15, running 16.
    const status = c.pod('p')?.status;
    const finished = status?.initContainerStatuses?.map((s) => [s.name, s.state?.terminated?.startedAt, s.state?.terminated?.finishedAt, s.state?.terminated?.exitCode]);
    assert.deepEqual(finished, [['i1', 2 * S, 7 * S, 0], ['i2', 8 * S, 13 * S, 0]]);
    assert.deepEqual(c.eventTimes('PodStarted', 'p'), [16]);
    const during = c.statusAt('p', 10 * S);
    assert.equal(during?.phase, 'Pending');
    assert.equal(during?.conditions?.find((x) => x.type === 'Initialized')?.status, 'False');
    assert.equal(containerStatus(during, 'app')?.state?.waiting?.reason, 'PodInitializing');
    assert.equal(c.pod('p')?.status?.conditions?.find((x) => x.type === 'Initialized')?.lastTransitionTime, 13 * S);
  });

  it('a failed init container is restarted with back-off under restartPolicy Always', () => {
    const c = new KubeletCluster({ images });
    c.addNode();
    c.createPod('p', { initContainers: [container('i1', 'initfail:1')], containers: [container('app', 'web:1')] });
    c.runTo(60 * S);
    // Runs 2–7 (exit 2, restart at once), 8–13 (restart at 23 after 10 s), 24–29 (restart at 49 after 20 s).
    const init = c.pod('p')?.status?.initContainerStatuses?.[0];
    assert.deepEqual(c.statuses('p').map((x) => x.status?.initContainerStatuses?.[0]?.restartCount ?? 0).filter((n, i, all) => n !== all[i - 1]), [0, 1, 2, 3]);
    assert.equal(c.firstTime('p', (x) => x.initContainerStatuses?.[0]?.restartCount === 3), 49 * S);
    assert.equal(init?.restartCount, 3);
    assert.equal(c.pod('p')?.status?.phase, 'Pending');
    assert.deepEqual(c.eventTimes('PodStarted', 'p'), []);
  });

  it('a failed init container fails the pod under restartPolicy Never', () => {
    const c = new KubeletCluster({ images });
    c.addNode();
    c.createPod('p', { restartPolicy: 'Never', initContainers: [container('i1', 'initfail:1')], containers: [container('app', 'web:1')] });
    c.runTo(60 * S);
    // Upstream getPhase: failedInitialization > 0 with RestartPolicy Never → Failed (at 7 s, when it exits).
    assert.equal(c.pod('p')?.status?.phase, 'Failed');
    assert.deepEqual(c.eventTimes('PodFailed', 'p'), [7]);
  });
});

describe('run to completion', () => {
  const images = {
    'ok:1': profile({ pull: 1 * S, start: 1 * S, run: 20 * S }),
    'bad:1': profile({ pull: 1 * S, start: 1 * S, run: 20 * S, fail: { probability: 1, exitCode: 3 } }),
  };
  const runOne = (image: string, restartPolicy: Pod['spec']['restartPolicy'], until = 60 * S) => {
    const c = new KubeletCluster({ images });
    c.addNode();
    c.createPod('job', { restartPolicy, containers: [container('app', image)] });
    c.runTo(until);
    return c;
  };

  it('restartPolicy Never: Succeeded when the process exits 0, at its exit time', () => {
    const c = runOne('ok:1', 'Never');
    assert.equal(c.pod('job')?.status?.phase, 'Succeeded');
    assert.deepEqual(c.eventTimes('PodSucceeded', 'job'), [22]);
    assert.deepEqual(containerStatus(c.pod('job')?.status, 'app')?.state?.terminated, { exitCode: 0, reason: 'Completed', startedAt: 2 * S, finishedAt: 22 * S });
    assert.equal(readyCondition(c.pod('job')?.status), 'False');
  });

  it('restartPolicy Never: Failed with the exit code when the run fails', () => {
    const c = runOne('bad:1', 'Never');
    assert.equal(c.pod('job')?.status?.phase, 'Failed');
    assert.deepEqual(c.eventTimes('PodFailed', 'job'), [22]);
    assert.equal(containerStatus(c.pod('job')?.status, 'app')?.state?.terminated?.exitCode, 3);
    assert.deepEqual(c.eventTimes('PodRestarted', 'job'), []);
  });

  it('restartPolicy OnFailure: a failed run restarts with back-off, a successful one ends Succeeded', () => {
    const failing = runOne('bad:1', 'OnFailure', 100 * S);
    // Exits at 22 (restart at once), 43 (back-off 10 s → 53), 74 (→ 94).
    assert.deepEqual(failing.eventTimes('PodRestarted', 'job'), [22, 53, 94]);
    assert.equal(failing.pod('job')?.status?.phase, 'Running');
    const succeeding = runOne('ok:1', 'OnFailure');
    assert.equal(succeeding.pod('job')?.status?.phase, 'Succeeded');
  });

  it('restartPolicy Always: a completed process is restarted and the pod stays Running', () => {
    const c = runOne('ok:1', 'Always');
    assert.deepEqual(c.eventTimes('PodRestarted', 'job'), [22, 53]);
    assert.equal(c.pod('job')?.status?.phase, 'Running');
    assert.deepEqual(c.eventTimes('PodSucceeded', 'job'), []);
  });

  it('the fail probability is drawn from the seed: about that share of runs fail', () => {
    const c = new KubeletCluster({ images: { 'flaky:1': profile({ run: 10 * S, fail: { probability: 0.3, exitCode: 1 } }) } });
    c.addNode();
    for (let i = 0; i < 200; i++) c.createPod(`p${i}`, { restartPolicy: 'Never', containers: [container('app', 'flaky:1')] });
    c.runTo(30 * S);
    const failed = [...c.api.list<Pod>('Pod')].filter((p) => p.status?.phase === 'Failed').length;
    const succeeded = [...c.api.list<Pod>('Pod')].filter((p) => p.status?.phase === 'Succeeded').length;
    assert.equal(failed + succeeded, 200);
    assert.ok(failed > 35 && failed < 85, `failed ${failed} of 200`);
  });
});

describe('graceful termination', () => {
  const images = {
    'web:1': profile({ pull: 2 * S, start: 1 * S, stop: 3 * S }),
    'stubborn:1': profile({ pull: 2 * S, start: 1 * S, stop: 20 * S }),
    'slow:1': profile({ pull: 30 * S, start: 1 * S }),
  };
  const preStop = (seconds: number) => ({ lifecycle: { preStop: { sleep: { seconds } } } });

  it('takes the preStop sleep plus the stop time, then the pod object is removed', () => {
    const c = new KubeletCluster({ images });
    c.addNode();
    c.createPod('web', { containers: [container('app', 'web:1', preStop(4))] });
    c.runTo(60 * S);
    c.api.delete('Pod', 'default', 'web');
    assert.equal(c.pod('web')?.metadata.deletionTimestamp, 90 * S, 'deletionTimestamp = now + 30 s default grace');
    c.runTo(120 * S);
    assert.deepEqual(c.eventTimes('PodTerminating', 'web'), [60]);
    assert.deepEqual(c.eventTimes('PodDeleted', 'web'), [67]);
    assert.equal(c.removedAt.get('web'), 67 * S);
    assert.equal(c.pod('web'), undefined);
  });

  it('is cut at the grace period when preStop + stop take longer', () => {
    const c = new KubeletCluster({ images });
    c.addNode();
    c.createPod('web', { terminationGracePeriodSeconds: 15, containers: [container('app', 'stubborn:1', preStop(5))] });
    c.runTo(10 * S);
    c.api.delete('Pod', 'default', 'web');
    c.runTo(60 * S);
    assert.equal(c.removedAt.get('web'), 25 * S);
  });

  it('waits for the slowest container, and a second delete with a shorter grace period cuts it', () => {
    const c = new KubeletCluster({ images });
    c.addNode();
    c.createPod('two', { containers: [container('a', 'web:1'), container('b', 'stubborn:1', preStop(2))] });
    c.createPod('cut', { containers: [container('a', 'web:1'), container('b', 'stubborn:1', preStop(2))] });
    c.runTo(10 * S);
    c.api.delete('Pod', 'default', 'two');
    c.api.delete('Pod', 'default', 'cut');
    c.runTo(12 * S);
    c.api.delete('Pod', 'default', 'cut', { gracePeriodSeconds: 5 });
    c.runTo(60 * S);
    assert.equal(c.removedAt.get('two'), 32 * S, 'b: 2 s preStop + 20 s stop');
    assert.equal(c.removedAt.get('cut'), 17 * S);
  });

  it('a pod deleted while its image is pulling is removed at once, and the pull does not revive it', () => {
    const c = new KubeletCluster({ images });
    const kubelet = c.addNode();
    c.createPod('slow', { containers: [container('app', 'slow:1')] });
    c.runTo(10 * S);
    c.api.delete('Pod', 'default', 'slow');
    const writes = c.statuses('slow').length;
    c.runTo(60 * S);
    assert.equal(c.removedAt.get('slow'), 10 * S);
    assert.equal(c.statuses('slow').length, writes, 'no status written after the delete');
    assert.deepEqual(c.eventTimes('PodStarted', 'slow'), []);
    assert.equal(kubelet.podCount, 0);
  });

  it('a crash-looping pod (nothing running) is removed at once', () => {
    const c = new KubeletCluster({ images: { 'crash:1': profile({ crashAfter: 1 * S }) } });
    c.addNode();
    c.createPod('crash', { containers: [container('app', 'crash:1')] });
    c.runTo(5 * S); // exits at 1, 2 (back-off 10 s until 12)
    c.api.delete('Pod', 'default', 'crash');
    c.runTo(60 * S);
    assert.equal(c.removedAt.get('crash'), 5 * S);
    assert.deepEqual(c.eventTimes('PodRestarted', 'crash'), [1]);
  });

  it('stops restarting a container during termination', () => {
    const c = new KubeletCluster({ images: { 'crash:1': profile({ crashAfter: 10 * S, stop: 30 * S }) } });
    c.addNode();
    c.createPod('crash', { containers: [container('app', 'crash:1')] });
    c.runTo(5 * S);
    c.api.delete('Pod', 'default', 'crash');
    c.runTo(60 * S);
    assert.equal(c.removedAt.get('crash'), 35 * S);
    assert.deepEqual(c.eventTimes('PodRestarted', 'crash'), [], 'the crash due at 10 s never happens');
  });
});

describe('pod addresses', () => {
  it('gives each pod an IP from its node, and the node IP as hostIP', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile() } });
    c.addNode('node-a');
    c.addNode('node-b');
    c.createPod('a1', { containers: [container('app', 'web:1')] }, 'node-a');
    c.createPod('a2', { containers: [container('app', 'web:1')] }, 'node-a');
    c.createPod('b1', { containers: [container('app', 'web:1')] }, 'node-b');
    c.runTo(5 * S);
    const ip = (name: string) => [c.pod(name)?.status?.hostIP, c.pod(name)?.status?.podIP];
    const [a1, a2, b1] = [ip('a1'), ip('a2'), ip('b1')];
    assert.equal(a1[0], a2[0]);
    assert.notEqual(a1[0], b1[0]);
    assert.equal(new Set([a1[1], a2[1], b1[1]]).size, 3);
    assert.equal(c.pod('a1')?.status?.startTime, 0);
  });
});
