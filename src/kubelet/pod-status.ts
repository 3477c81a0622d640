/**
 * Pod status generated from the kubelet's view of its containers (pkg/kubelet/kubelet_pods.go:
 * generateAPIPodStatus, getPhase; pkg/kubelet/status/generate.go: the Initialized,
 * ContainersReady, Ready and PodReadyToStartContainers conditions).
 */
import { getCondition, setConditions } from '../api/conditions.js';
import type { Condition, DeepReadonly, Time } from '../api/types/meta.js';
import type { ContainerState, ContainerStatus, PodPhase, PodStatus } from '../api/types/pod.js';
import type { ContainerRuntime, Termination } from './container-runtime.js';

type Conditions = readonly DeepReadonly<Condition>[] | undefined;

export interface PodRuntimeView {
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  readonly initContainers: readonly ContainerRuntime[];
  readonly containers: readonly ContainerRuntime[];
  readonly sandboxReady: boolean;
  readonly hostIP: string;
  readonly podIP?: string;
  readonly startTime?: Time;
}

function terminationState(t: Termination): ContainerState {
  const terminated: NonNullable<ContainerState['terminated']> = { exitCode: t.exitCode, reason: t.reason, finishedAt: t.finishedAt };
  if (t.startedAt !== undefined) terminated.startedAt = t.startedAt;
  return { terminated };
}

/** Whether `reported` (built by terminationState) reports `t`. */
function reportsTermination(reported: ContainerState | undefined, t: Termination): reported is ContainerState {
  const r = reported?.terminated;
  return r !== undefined && r.exitCode === t.exitCode && r.reason === t.reason && r.finishedAt === t.finishedAt && r.startedAt === t.startedAt;
}

/** The container's state, `reported` itself (the state last reported for it) when that still holds. */
function containerState(c: ContainerRuntime, reported: ContainerState | undefined): ContainerState {
  if (c.state === 'running') {
    const running = reported?.running;
    return running !== undefined && running.startedAt === c.startedAt ? (reported as ContainerState) : { running: { startedAt: c.startedAt } };
  }
  if (c.state === 'terminated' && c.terminated !== undefined) {
    return reportsTermination(reported, c.terminated) ? reported : terminationState(c.terminated);
  }
  const waiting = reported?.waiting;
  const message = c.waitingMessage || undefined;
  if (waiting !== undefined && waiting.reason === c.waitingReason && waiting.message === message) return reported as ContainerState;
  return { waiting: message !== undefined ? { reason: c.waitingReason, message } : { reason: c.waitingReason } };
}

/**
 * The container's status. The status last reported for the container (`c.reported`), and each
 * part of it, is reused while it still holds: a pod's status is written at every step of its
 * life, and between two steps most of it is the same — a container that turns ready keeps its
 * running state. Reuse spares the allocations, and lets whoever compares the old status with the
 * new (the API server, watchers) find the unchanged parts identical at a glance. Only objects
 * built here are reused, so keys and their order are always those built here.
 */
function containerStatus(c: ContainerRuntime): ContainerStatus {
  const reported = c.reported;
  const state = containerState(c, reported?.state);
  const last = c.lastTermination;
  const lastState = last === undefined ? undefined : reportsTermination(reported?.lastState, last) ? reported?.lastState : terminationState(last);
  if (reported !== undefined && reported.state === state && reported.lastState === lastState && reported.ready === c.ready &&
    reported.started === c.started && reported.restartCount === c.restartCount && reported.name === c.name && reported.image === c.image) {
    return reported;
  }
  const status: ContainerStatus = { name: c.name, image: c.image, ready: c.ready, started: c.started, restartCount: c.restartCount, state };
  if (lastState !== undefined) status.lastState = lastState;
  c.reported = status;
  return status;
}

/**
 * The statuses of `containers`: `previous` itself when it lists exactly these status objects
 * (nothing changed since it was written), else a new array.
 */
function containerStatuses(containers: readonly ContainerRuntime[], previous: readonly DeepReadonly<ContainerStatus>[] | undefined): ContainerStatus[] {
  const statuses = new Array<ContainerStatus>(containers.length);
  let same = previous !== undefined && previous.length === containers.length;
  for (let i = 0; i < containers.length; i++) {
    const status = containerStatus(containers[i]);
    statuses[i] = status;
    if (same && previous?.[i] !== status) same = false;
  }
  return same ? (previous as ContainerStatus[]) : statuses;
}

const SANDBOX_READY: Condition = { type: 'PodReadyToStartContainers', status: 'True' };
const SANDBOX_NOT_READY: Condition = { type: 'PodReadyToStartContainers', status: 'False' };
const INITIALIZED: Condition = { type: 'Initialized', status: 'True' };
const NOT_INITIALIZED: Condition = { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized' };
const CONTAINERS_READY: Condition = { type: 'ContainersReady', status: 'True' };
const CONTAINERS_NOT_READY: Condition = { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady' };
const READY: Condition = { type: 'Ready', status: 'True' };
const NOT_READY: Condition = { type: 'Ready', status: 'False', reason: 'ContainersNotReady' };
const NOT_READY_COMPLETED: Condition = { type: 'Ready', status: 'False', reason: 'PodCompleted' };

/** An init container that exited non-zero (now, or in its last run while it waits to restart). */
function initFailed(c: ContainerRuntime): boolean {
  if (c.sidecar) return false;
  if (c.state === 'terminated') return (c.terminated?.exitCode ?? 0) !== 0;
  return c.state === 'waiting' && (c.lastTermination?.exitCode ?? 0) !== 0;
}

/**
 * getPhase: Failed when an init container failed under restartPolicy Never; Pending while
 * initialising or any container has never run; then Running or terminal. A terminal pod (its
 * containers stopped for good: deleted) is Succeeded when every container exited 0, else Failed,
 * whatever its restartPolicy (podIsTerminal).
 */
export function podPhase(view: PodRuntimeView, terminal = false): PodPhase {
  if (terminal) return view.containers.every((c) => c.state === 'terminated' && c.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
  if (view.restartPolicy === 'Never' && view.initContainers.some(initFailed)) return 'Failed';
  if (view.initContainers.some((c) => !c.completed && !(c.sidecar && c.started))) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of view.containers) {
    if (c.state === 'running') running++;
    else if (c.state === 'terminated') {
      stopped++;
      if (c.terminated?.exitCode === 0) succeeded++;
    } else if (c.lastTermination !== undefined) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (view.restartPolicy === 'Always') return 'Running';
  if (succeeded === stopped) return 'Succeeded';
  return view.restartPolicy === 'Never' ? 'Failed' : 'Running';
}

/** Every init container completed, or (a sidecar) started. */
function initialized(view: PodRuntimeView): boolean {
  for (const c of view.initContainers) if (!c.completed && !(c.sidecar && c.started)) return false;
  return true;
}

/** Every app container ready, and every sidecar. */
function containersReady(view: PodRuntimeView): boolean {
  if (view.containers.length === 0) return false;
  for (const c of view.containers) if (!c.ready) return false;
  for (const c of view.initContainers) if (c.sidecar && !c.ready) return false;
  return true;
}

/**
 * `wanted` with its lastTransitionTime `now`: what setConditions makes of it when its status
 * changes, and keeps the current condition's time when only its reason does. Stamped here as a
 * literal because setConditions then copies it with a spread of existing keys (V8's cheapest
 * copy), where a condition without the key is copied to gain it (copyToExtend, several times
 * slower); keys keep the order setConditions would give them (lastTransitionTime last). The
 * conditions above carry no message.
 */
function stamped(wanted: Condition, now: Time): Condition {
  return wanted.reason === undefined
    ? { type: wanted.type, status: wanted.status, lastTransitionTime: now }
    : { type: wanted.type, status: wanted.status, reason: wanted.reason, lastTransitionTime: now };
}

/** `changed` with `wanted` stamped and added, unless `conditions` hold it already. */
function addIfChanged(changed: Condition[] | undefined, conditions: Conditions, wanted: Condition, now: Time): Condition[] | undefined {
  const current = getCondition(conditions, wanted.type);
  if (current !== undefined && current.status === wanted.status && current.reason === wanted.reason && current.message === wanted.message) return changed;
  const update = stamped(wanted, now);
  if (changed === undefined) return [update];
  changed.push(update);
  return changed;
}

/**
 * setConditions(previous, [sandbox, initialized, containersReady, ready], now), with the
 * unchanged ones left out first: most status writes change one or two conditions, or none (a
 * container starting), and then the previous list is kept without a call.
 */
function podConditions(previous: Conditions, now: Time, sandbox: Condition, init: Condition, containers: Condition, ready: Condition): Condition[] {
  let changed = addIfChanged(undefined, previous, sandbox, now);
  changed = addIfChanged(changed, previous, init, now);
  changed = addIfChanged(changed, previous, containers, now);
  changed = addIfChanged(changed, previous, ready, now);
  return changed === undefined ? ((previous ?? []) as Condition[]) : setConditions(previous, changed, now);
}

/**
 * The status to write, keeping conditions the kubelet does not own (PodScheduled); `terminal`
 * for the last status of a deleted pod whose containers all stopped.
 */
export function generatePodStatus(view: PodRuntimeView, previous: DeepReadonly<PodStatus> | undefined, now: Time, terminal = false): PodStatus {
  const ready = containersReady(view);
  const phase = podPhase(view, terminal);
  // A pod that ran to completion is not ready because it completed (status/generate.go).
  const notReady = phase === 'Succeeded' || phase === 'Failed' ? NOT_READY_COMPLETED : NOT_READY;
  const conditions = podConditions(previous?.conditions, now,
    view.sandboxReady ? SANDBOX_READY : SANDBOX_NOT_READY,
    initialized(view) ? INITIALIZED : NOT_INITIALIZED,
    ready ? CONTAINERS_READY : CONTAINERS_NOT_READY,
    ready ? READY : notReady);
  const status: PodStatus = { phase, conditions, hostIP: view.hostIP };
  if (view.podIP !== undefined) status.podIP = view.podIP;
  if (view.startTime !== undefined) status.startTime = view.startTime;
  if (view.initContainers.length > 0) status.initContainerStatuses = containerStatuses(view.initContainers, previous?.initContainerStatuses);
  status.containerStatuses = containerStatuses(view.containers, previous?.containerStatuses);
  return status;
}
