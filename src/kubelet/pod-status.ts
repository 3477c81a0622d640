/**
 * Pod status generated from the kubelet's view of its containers (pkg/kubelet/kubelet_pods.go:
 * generateAPIPodStatus, getPhase; pkg/kubelet/status/generate.go: the Initialized,
 * ContainersReady, Ready and PodReadyToStartContainers conditions).
 */
import { setConditions } from '../api/conditions.js';
import type { Condition, DeepReadonly, Time } from '../api/types/meta.js';
import type { ContainerState, ContainerStatus, PodPhase, PodStatus } from '../api/types/pod.js';
import type { ContainerRuntime, Termination } from './container-runtime.js';

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

function containerStatus(c: ContainerRuntime): ContainerStatus {
  let state: ContainerState;
  if (c.state === 'running') state = { running: { startedAt: c.startedAt } };
  else if (c.state === 'terminated' && c.terminated !== undefined) state = terminationState(c.terminated);
  else state = { waiting: c.waitingMessage ? { reason: c.waitingReason, message: c.waitingMessage } : { reason: c.waitingReason } };
  const status: ContainerStatus = { name: c.name, image: c.image, ready: c.ready, started: c.started, restartCount: c.restartCount, state };
  if (c.lastTermination !== undefined) status.lastState = terminationState(c.lastTermination);
  return status;
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

/**
 * The status to write, keeping conditions the kubelet does not own (PodScheduled); `terminal`
 * for the last status of a deleted pod whose containers all stopped.
 */
export function generatePodStatus(view: PodRuntimeView, previous: DeepReadonly<PodStatus> | undefined, now: Time, terminal = false): PodStatus {
  const initialized = view.initContainers.every((c) => c.completed || (c.sidecar && c.started));
  const containersReady = view.containers.length > 0 && view.containers.every((c) => c.ready) &&
    view.initContainers.every((c) => !c.sidecar || c.ready);
  const phase = podPhase(view, terminal);
  // A pod that ran to completion is not ready because it completed (status/generate.go).
  const notReadyReason = phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady';
  const conditions = setConditions(previous?.conditions, [
    view.sandboxReady ? SANDBOX_READY : SANDBOX_NOT_READY,
    initialized ? INITIALIZED : NOT_INITIALIZED,
    containersReady ? CONTAINERS_READY : CONTAINERS_NOT_READY,
    containersReady ? READY : notReadyReason === 'PodCompleted' ? NOT_READY_COMPLETED : NOT_READY,
  ], now);
  const status: PodStatus = { phase, conditions, hostIP: view.hostIP };
  if (view.podIP !== undefined) status.podIP = view.podIP;
  if (view.startTime !== undefined) status.startTime = view.startTime;
  if (view.initContainers.length > 0) status.initContainerStatuses = view.initContainers.map(containerStatus);
  status.containerStatuses = view.containers.map(containerStatus);
  return status;
}
