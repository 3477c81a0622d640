import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition } from '../../src/api/types/meta.js';
import type { PodStatus } from '../../src/api/types/pod.js';
import { ContainerRuntime } from '../../src/kubelet/container-runtime.js';
import { type PodRuntimeView, generatePodStatus, podPhase } from '../../src/kubelet/pod-status.js';
import { profile } from './harness.js';

type Policy = PodRuntimeView['restartPolicy'];

function runtime(name: string, init = false, restartPolicy?: string): ContainerRuntime {
  return new ContainerRuntime({ name, image: `${name}:1`, ...(restartPolicy ? { restartPolicy } : {}) }, profile(), init);
}

function running(c: ContainerRuntime, at = 1000, ready = false): ContainerRuntime {
  c.state = 'running';
  c.startedAt = at;
  c.started = true;
  c.ready = ready;
  return c;
}

function terminated(c: ContainerRuntime, exitCode: number, at = 5000): ContainerRuntime {
  c.state = 'terminated';
  c.terminated = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: 1000, finishedAt: at };
  if (c.init && exitCode === 0) c.completed = true;
  return c;
}

/** Waiting to restart after an exit (CrashLoopBackOff): the exit is the last termination. */
function backingOff(c: ContainerRuntime, exitCode = 1): ContainerRuntime {
  c.state = 'waiting';
  c.waitingReason = 'CrashLoopBackOff';
  c.lastTermination = { exitCode, reason: 'Error', startedAt: 1000, finishedAt: 5000 };
  c.restartCount = 1;
  return c;
}

function view(containers: ContainerRuntime[], restartPolicy: Policy = 'Always', initContainers: ContainerRuntime[] = []): PodRuntimeView {
  return { restartPolicy, containers, initContainers, sandboxReady: true, hostIP: '192.168.0.1', podIP: '10.0.1.2', startTime: 0 };
}

const condition = (status: PodStatus, type: string): Condition | undefined => status.conditions?.find((c) => c.type === type);

describe('podPhase (getPhase)', () => {
  it('is Pending while any container has never run', () => {
    assert.equal(podPhase(view([runtime('a')])), 'Pending');
    assert.equal(podPhase(view([running(runtime('a')), runtime('b')])), 'Pending');
  });

  it('is Pending while an init container has not completed, whatever the app containers do', () => {
    assert.equal(podPhase(view([runtime('app')], 'Always', [terminated(runtime('i1', true), 0), running(runtime('i2', true))])), 'Pending');
  });

  it('a started sidecar (init container with restartPolicy Always) does not hold the pod in Pending', () => {
    const sidecar = running(runtime('proxy', true, 'Always'));
    assert.equal(podPhase(view([running(runtime('app'))], 'Always', [sidecar])), 'Running');
  });

  it('is Running while a container runs, or restarts under restartPolicy Always', () => {
    assert.equal(podPhase(view([running(runtime('a')), terminated(runtime('b'), 0)], 'Never')), 'Running');
    assert.equal(podPhase(view([backingOff(runtime('a'))], 'Always')), 'Running');
    assert.equal(podPhase(view([terminated(runtime('a'), 0)], 'Always')), 'Running');
  });

  it('is Succeeded when every container exited 0 and the policy is not Always', () => {
    assert.equal(podPhase(view([terminated(runtime('a'), 0), terminated(runtime('b'), 0)], 'Never')), 'Succeeded');
    assert.equal(podPhase(view([terminated(runtime('a'), 0)], 'OnFailure')), 'Succeeded');
  });

  it('is Failed when a container failed under Never, Running (restarting) under OnFailure', () => {
    assert.equal(podPhase(view([terminated(runtime('a'), 0), terminated(runtime('b'), 2)], 'Never')), 'Failed');
    assert.equal(podPhase(view([terminated(runtime('a'), 2)], 'OnFailure')), 'Running');
    assert.equal(podPhase(view([backingOff(runtime('a'))], 'OnFailure')), 'Running');
  });

  it('is Failed when an init container failed under restartPolicy Never (getPhase: failedInitialization)', () => {
    // Upstream (pkg/kubelet/kubelet_pods.go getPhase): failedInitialization > 0 && RestartPolicy Never → PodFailed.
    // The pod can never start: staying Pending forever would keep a Job's pod "active".
    assert.equal(podPhase(view([runtime('app')], 'Never', [terminated(runtime('init', true), 1)])), 'Failed');
  });
});

describe('generatePodStatus', () => {
  it('reports Initialized/ContainersReady/Ready False with upstream reasons until every container is ready', () => {
    const app = running(runtime('app'), 1000, true);
    const side = running(runtime('side'), 1000, false);
    const status = generatePodStatus(view([app, side]), undefined, 2000);
    assert.equal(status.phase, 'Running');
    assert.deepEqual(condition(status, 'ContainersReady'), { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: 2000 });
    assert.deepEqual(condition(status, 'Ready'), { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: 2000 });
    assert.deepEqual(condition(status, 'Initialized'), { type: 'Initialized', status: 'True', lastTransitionTime: 2000 });
    assert.deepEqual(condition(status, 'PodReadyToStartContainers'), { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: 2000 });
  });

  it('turns Ready once all containers are ready, keeping lastTransitionTime of unchanged conditions and foreign ones', () => {
    const app = running(runtime('app'), 1000, false);
    const scheduled: Condition = { type: 'PodScheduled', status: 'True', lastTransitionTime: 0 };
    const first = generatePodStatus(view([app]), { phase: 'Pending', conditions: [scheduled] }, 2000);
    app.ready = true;
    const second = generatePodStatus(view([app]), first, 9000);
    assert.deepEqual(condition(second, 'PodScheduled'), scheduled, 'the scheduler owns PodScheduled');
    assert.equal(condition(second, 'Ready')?.status, 'True');
    assert.equal(condition(second, 'Ready')?.lastTransitionTime, 9000);
    assert.equal(condition(second, 'ContainersReady')?.lastTransitionTime, 9000);
    assert.equal(condition(second, 'Initialized')?.lastTransitionTime, 2000, 'unchanged condition keeps its transition time');
  });

  it('reports Initialized False (ContainersNotInitialized) while init containers run, and their statuses', () => {
    const status = generatePodStatus(view([runtime('app')], 'Always', [running(runtime('init', true))]), undefined, 0);
    assert.deepEqual(condition(status, 'Initialized'), { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', lastTransitionTime: 0 });
    assert.deepEqual(status.initContainerStatuses?.map((s) => [s.name, Object.keys(s.state ?? {})[0]]), [['init', 'running']]);
  });

  it('a sidecar that is not ready keeps ContainersReady False', () => {
    const sidecar = running(runtime('proxy', true, 'Always'), 1000, false);
    const status = generatePodStatus(view([running(runtime('app'), 1000, true)], 'Always', [sidecar]), undefined, 0);
    assert.equal(condition(status, 'ContainersReady')?.status, 'False');
  });

  it('omits initContainerStatuses without init containers, and carries IPs and startTime', () => {
    const status = generatePodStatus(view([runtime('app')]), undefined, 0);
    assert.equal(status.initContainerStatuses, undefined);
    assert.equal(status.hostIP, '192.168.0.1');
    assert.equal(status.podIP, '10.0.1.2');
    assert.equal(status.startTime, 0);
  });

  it('container statuses show waiting reason and message, restarts and the last termination', () => {
    const c = backingOff(runtime('app'));
    c.waitingMessage = 'back-off 10s restarting failed container=app pod=p';
    const [status] = generatePodStatus(view([c]), undefined, 0).containerStatuses ?? [];
    assert.deepEqual(status, {
      name: 'app',
      image: 'app:1',
      ready: false,
      started: false,
      restartCount: 1,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: 1000, finishedAt: 5000 } },
    });
  });

  it('reuses what still holds of the previous status: conditions, container statuses and their states', () => {
    const app = running(runtime('app'), 1000, false);
    const first = generatePodStatus(view([app]), { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] }, 2000);
    const again = generatePodStatus(view([app]), first, 3000);
    assert.equal(again.conditions, first.conditions, 'no condition changed: the same list');
    assert.equal(again.containerStatuses, first.containerStatuses, 'no container changed: the same list');
    app.ready = true;
    const ready = generatePodStatus(view([app]), again, 4000);
    const [before] = first.containerStatuses ?? [];
    const [after] = ready.containerStatuses ?? [];
    assert.notEqual(after, before);
    assert.equal(after.ready, true);
    assert.equal(after.state, before.state, 'the running state is unchanged: the same object');
    assert.deepEqual(Object.keys(condition(ready, 'Ready') ?? {}), ['type', 'status', 'lastTransitionTime']);
    assert.deepEqual(Object.keys(condition(first, 'Ready') ?? {}), ['type', 'status', 'reason', 'lastTransitionTime']);
  });

  it('from its own last status: that status again when nothing changed, else the same as from a copy of it', () => {
    const app = running(runtime('app'), 1000, false);
    const v = view([app]);
    const first = generatePodStatus(v, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: 0 }] }, 2000);
    assert.equal(v.generated, first);
    assert.equal(generatePodStatus(v, first, 3000), first, 'nothing changed: the previous status itself');
    app.ready = true;
    const copy = structuredClone(first);
    const fromOwn = generatePodStatus(v, first, 4000);
    assert.notEqual(fromOwn, first);
    assert.equal(v.generated, fromOwn);
    // Someone else's copy of the same status: read back, with the same result.
    const other = view([running(runtime('app'), 1000, true)]);
    assert.deepEqual(generatePodStatus(other, copy, 4000), fromOwn);
    assert.equal(condition(fromOwn, 'Ready')?.lastTransitionTime, 4000);
    assert.equal(condition(fromOwn, 'Initialized')?.lastTransitionTime, 2000);
    assert.equal(fromOwn.conditions?.[0], first.conditions?.[0], 'conditions that held are kept');
  });

  it('from its own last status, a condition whose reason alone changes keeps its transition time', () => {
    const job = running(runtime('job'), 1000, false);
    const v = view([job], 'Never');
    const first = generatePodStatus(v, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: 0 }] }, 2000);
    assert.deepEqual(condition(first, 'Ready'), { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: 2000 });
    terminated(job, 0, 7000);
    const copy = structuredClone(first);
    const done = generatePodStatus(v, first, 7000);
    assert.equal(done.phase, 'Succeeded');
    assert.deepEqual(condition(done, 'Ready'), { type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: 2000 });
    assert.deepEqual(done.conditions?.map((c) => Object.keys(c)), copy.conditions?.map((c) => Object.keys(c)), 'keys in the same order');
    const other = view([terminated(running(runtime('job'), 1000, false), 0, 7000)], 'Never');
    assert.deepEqual(generatePodStatus(other, copy, 7000), done, 'the same as from a copy of it');
  });

  it('reads the previous status back when it is not its own last one', () => {
    const app = running(runtime('app'), 1000, true);
    const v = view([app]);
    const mine = generatePodStatus(v, undefined, 1000);
    // The node lifecycle controller marked the pod not ready meanwhile.
    const foreign: PodStatus = { ...mine, conditions: mine.conditions?.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', reason: 'NodeNotReady' } : c)) };
    const next = generatePodStatus(v, foreign, 5000);
    assert.deepEqual(condition(next, 'Ready'), { type: 'Ready', status: 'True', lastTransitionTime: 5000 });
    assert.equal(next.containerStatuses, foreign.containerStatuses, 'the container statuses it lists are still ours');
  });

  it('does not reuse a state that no longer holds', () => {
    const c = backingOff(runtime('app'));
    const first = generatePodStatus(view([c]), undefined, 0).containerStatuses?.[0];
    c.waitingMessage = 'back-off 20s';
    c.lastTermination = { exitCode: 2, reason: 'Error', startedAt: 6000, finishedAt: 7000 };
    const second = generatePodStatus(view([c]), undefined, 0).containerStatuses?.[0];
    assert.deepEqual(second?.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } });
    assert.deepEqual(second?.lastState, { terminated: { exitCode: 2, reason: 'Error', startedAt: 6000, finishedAt: 7000 } });
    running(c, 8000);
    const third = generatePodStatus(view([c]), undefined, 0).containerStatuses?.[0];
    assert.equal(third?.lastState, second?.lastState, 'the same last termination: the same object');
    assert.deepEqual(third?.state, { running: { startedAt: 8000 } });
    assert.notEqual(first, second);
  });

  it('a terminated container reports its exit code, reason and times', () => {
    const [status] = generatePodStatus(view([terminated(runtime('app'), 3, 8000)], 'Never'), undefined, 0).containerStatuses ?? [];
    assert.deepEqual(status.state, { terminated: { exitCode: 3, reason: 'Error', startedAt: 1000, finishedAt: 8000 } });
  });
});
