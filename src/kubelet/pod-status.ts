/**
 * Pod status generated from the kubelet's view of its containers (pkg/kubelet/kubelet_pods.go:
 * generateAPIPodStatus, getPhase; pkg/kubelet/status/generate.go: the Initialized,
 * ContainersReady, Ready and PodReadyToStartContainers conditions).
 */
import { getCondition } from '../api/conditions.js';
import type { Condition, DeepReadonly, Time } from '../api/types/meta.js';
import type { ContainerState, ContainerStatus, PodPhase, PodStatus } from '../api/types/pod.js';
import type { ContainerRuntime, Termination, WaitingReason } from './container-runtime.js';

type Conditions = readonly DeepReadonly<Condition>[] | undefined;

export interface PodRuntimeView {
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  readonly initContainers: readonly ContainerRuntime[];
  readonly containers: readonly ContainerRuntime[];
  readonly sandboxReady: boolean;
  readonly hostIP: string;
  readonly podIP?: string;
  readonly startTime?: Time;
  /**
   * Kept by generatePodStatus: the status it last generated for the pod, and which of the
   * kubelet's conditions that status reports (a key into CONDITION_SETS). While the stored
   * status is that very object, the next one is worked out from the view (see generatePodStatus).
   */
  generated?: PodStatus;
  generatedConditions?: number;
  /** Where those conditions are in its list (see conditionSlots). */
  generatedSlots?: number;
}

/**
 * A terminated state reporting `t`. Every field written here must also be compared by
 * reportsTermination: syncStatus tells the API server a rebuilt status differs without letting it
 * compare, so a state rebuilt equal to the one reported would be a write that changes nothing.
 */
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
  if (message === undefined) return waitingState(c.waitingReason);
  return { waiting: { reason: c.waitingReason, message } };
}

/**
 * The waiting state of `reason` without a message, one per reason shared by every container
 * (frozen, as every stored object is read-only): every pod's first status reports its container
 * ContainerCreating, and the API server keeps that status for its readers.
 */
const WAITING_STATES = new Map<WaitingReason, ContainerState>();

function waitingState(reason: WaitingReason): ContainerState {
  let state = WAITING_STATES.get(reason);
  if (state === undefined) {
    state = Object.freeze({ waiting: Object.freeze({ reason }) });
    WAITING_STATES.set(reason, state);
  }
  return state;
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
 * (nothing changed since it was written), else a new array. `previousIsReported`: `previous` is
 * known to list the containers' last reported statuses (c.reported), so that whether they are
 * unchanged is told without reading it.
 */
function containerStatuses(containers: readonly ContainerRuntime[], previous: readonly DeepReadonly<ContainerStatus>[] | undefined, previousIsReported: boolean): ContainerStatus[] {
  const n = containers.length;
  if (n === 1) return singleContainerStatus(containers[0], previous, previousIsReported);
  // Sized at once, not grown by push: the array is kept in the stored status, and push gives an
  // array room for 17 at its first element (V8's growth step), memory the young-generation
  // collector would copy and promote with it.
  const statuses = new Array<ContainerStatus>(n);
  let same = previousIsReported || (previous !== undefined && previous.length === n);
  for (let i = 0; i < n; i++) {
    const c = containers[i];
    const reported = c.reported;
    const status = containerStatus(c);
    statuses[i] = status;
    if (same && (previousIsReported ? status !== reported : previous?.[i] !== status)) same = false;
  }
  return same ? (previous as ContainerStatus[]) : statuses;
}

/** containerStatuses of a pod's only container (nearly every pod): no array unless it changed. */
function singleContainerStatus(c: ContainerRuntime, previous: readonly DeepReadonly<ContainerStatus>[] | undefined, previousIsReported: boolean): ContainerStatus[] {
  const reported = c.reported;
  const status = containerStatus(c);
  const same = previousIsReported ? status === reported : previous !== undefined && previous.length === 1 && previous[0] === status;
  return same ? (previous as ContainerStatus[]) : [status];
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

// The kubelet's four conditions, by key: bits for the sandbox ready, initialised, containers
// ready and, for a pod not ready, completed. A key names the conditions a status reports in one
// small integer, which the pod worker keeps (generatedConditions).
const SANDBOX_BIT = 1;
const INITIALIZED_BIT = 2;
const CONTAINERS_READY_BIT = 4;
const COMPLETED_BIT = 8;
const CONDITION_SETS: readonly (readonly Condition[])[] = Array.from({ length: 16 }, (_, key) => [
  key & SANDBOX_BIT ? SANDBOX_READY : SANDBOX_NOT_READY,
  key & INITIALIZED_BIT ? INITIALIZED : NOT_INITIALIZED,
  key & CONTAINERS_READY_BIT ? CONTAINERS_READY : CONTAINERS_NOT_READY,
  key & CONTAINERS_READY_BIT ? READY : key & COMPLETED_BIT ? NOT_READY_COMPLETED : NOT_READY,
]);

/**
 * `wanted` with its lastTransitionTime `time`, as setConditions makes it: keys in the order
 * setConditions would give them (lastTransitionTime last). The conditions above carry no message.
 */
function stamped(wanted: Condition, time: Time): Condition {
  return wanted.reason === undefined
    ? { type: wanted.type, status: wanted.status, lastTransitionTime: time }
    : { type: wanted.type, status: wanted.status, reason: wanted.reason, lastTransitionTime: time };
}

/** Whether `conditions` hold `wanted` (its status, reason and message). */
function holds(conditions: Conditions, wanted: Condition): boolean {
  const current = getCondition(conditions, wanted.type);
  return current !== undefined && current.status === wanted.status && current.reason === wanted.reason && current.message === wanted.message;
}

/**
 * setConditions(previous, wanted, now), with the conditions that hold left out first: most
 * status writes change one or two conditions, or none (a container starting), and then the
 * previous list is kept. `reported`: the conditions `previous` is known to hold (the set it was
 * generated with), so that which ones changed is told without reading it.
 */
function podConditions(previous: Conditions, wanted: readonly Condition[], reported: readonly Condition[] | undefined, now: Time): Condition[] {
  let changed = 0;
  for (let i = 0; i < wanted.length; i++) {
    const held = reported !== undefined ? reported[i] === wanted[i] : holds(previous, wanted[i]);
    if (!held) changed |= 1 << i;
  }
  return changed === 0 ? ((previous ?? []) as Condition[]) : withConditions(previous ?? [], wanted, changed, now);
}

/**
 * setConditions(previous, the `changed` ones of `wanted` (a bit each), now), written here so
 * that the list is made at its final size and each condition once: setConditions grows a copy
 * by push, which gives it room for 17 conditions when the kubelet adds its own to a new pod's
 * PodScheduled (V8's growth step), and copies every condition it is given. The list is kept in
 * the stored status, and all of it copied and promoted by the young-generation collector.
 */
function withConditions(previous: readonly DeepReadonly<Condition>[], wanted: readonly Condition[], changed: number, now: Time): Condition[] {
  let added = 0;
  for (let k = 0; k < wanted.length; k++) if ((changed & (1 << k)) !== 0 && getCondition(previous, wanted[k].type) === undefined) added++;
  // Made at its size and filled by index: concat, which would size it too, is several times
  // slower for a short list. (V8 counts such an array holey though it has no holes; readers pay a
  // hole check per element, nothing more.)
  const list = new Array<Condition>(previous.length + added);
  for (let i = 0; i < previous.length; i++) list[i] = previous[i] as Condition;
  let end = previous.length;
  for (let k = 0; k < wanted.length; k++) {
    if ((changed & (1 << k)) === 0) continue;
    const current = getCondition(previous, wanted[k].type);
    if (current === undefined) {
      list[end++] = stamped(wanted[k], now);
      continue;
    }
    // Its lastTransitionTime is kept when only its reason changed.
    const time = current.status === wanted[k].status && current.lastTransitionTime !== undefined ? current.lastTransitionTime : now;
    const next = stamped(wanted[k], time);
    for (let i = 0; i < previous.length; i++) if (list[i].type === next.type) list[i] = next;
  }
  return list;
}

/** Bits per condition in a slots number (see conditionSlots). */
const SLOT_BITS = 4;
const SLOT_MASK = (1 << SLOT_BITS) - 1;

/**
 * Where each of the `wanted` conditions' types is in `conditions`, packed SLOT_BITS bits a
 * condition; -1 when one is missing, listed twice, or too far down the list to pack.
 */
function conditionSlots(conditions: readonly DeepReadonly<Condition>[], wanted: readonly Condition[]): number {
  let slots = 0;
  for (let k = 0; k < wanted.length; k++) {
    let at = -1;
    for (let i = 0; i < conditions.length; i++) {
      if (conditions[i].type !== wanted[k].type) continue;
      if (at !== -1 || i > SLOT_MASK) return -1;
      at = i;
    }
    if (at === -1) return -1;
    slots |= at << (SLOT_BITS * k);
  }
  return slots;
}

/**
 * setConditions(previous, wanted, now) for a list known to hold the `reported` conditions at
 * `slots` (it was generated with them): the list copied, and each condition that changed
 * stamped in its place — its lastTransitionTime kept when only its reason changed. Which ones
 * changed, and where they are, is known without reading the conditions, whose objects have gone
 * cold since they were written.
 */
function replaceConditions(previous: readonly DeepReadonly<Condition>[], slots: number, reported: readonly Condition[], wanted: readonly Condition[], now: Time): Condition[] {
  let list: Condition[] | undefined;
  for (let k = 0; k < wanted.length; k++) {
    if (wanted[k] === reported[k]) continue;
    list ??= previous.slice() as Condition[];
    const at = (slots >> (SLOT_BITS * k)) & SLOT_MASK;
    const time = wanted[k].status === reported[k].status ? (list[at].lastTransitionTime ?? now) : now;
    list[at] = stamped(wanted[k], time);
  }
  return list ?? (previous as Condition[]);
}

/**
 * The status to write, keeping conditions the kubelet does not own (PodScheduled); `terminal`
 * for the last status of a deleted pod whose containers all stopped.
 *
 * When `previous` is the status last generated for the view (the pod worker's own last write,
 * as it usually is), the view knows what it reports: which conditions changed, and whether each
 * container's status did, are told without reading it, and `previous` itself comes back when
 * nothing changed — otherwise the result is certain to differ from it. The stored status is read
 * back only when someone else wrote it; reading it is most of a status write's cost at scale,
 * every object in it having gone cold since it was written.
 */
export function generatePodStatus(view: PodRuntimeView, previous: DeepReadonly<PodStatus> | undefined, now: Time, terminal = false): PodStatus {
  const ready = containersReady(view);
  const phase = podPhase(view, terminal);
  // A pod that ran to completion is not ready because it completed (status/generate.go).
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const key = (view.sandboxReady ? SANDBOX_BIT : 0) | (initialized(view) ? INITIALIZED_BIT : 0) |
    (ready ? CONTAINERS_READY_BIT : 0) | (completed ? COMPLETED_BIT : 0);
  const own = previous !== undefined && previous === view.generated;
  const wanted = CONDITION_SETS[key];
  const reported = own && view.generatedConditions !== undefined ? CONDITION_SETS[view.generatedConditions] : undefined;
  let conditions: Condition[];
  let slots = view.generatedSlots ?? -1;
  if (reported !== undefined && slots >= 0) {
    conditions = replaceConditions(previous?.conditions ?? [], slots, reported, wanted, now);
  } else {
    conditions = podConditions(previous?.conditions, wanted, reported, now);
    slots = conditionSlots(conditions, wanted);
  }
  const inits = view.initContainers.length > 0 ? containerStatuses(view.initContainers, previous?.initContainerStatuses, own) : undefined;
  const status = podStatus(view, phase, conditions, inits, containerStatuses(view.containers, previous?.containerStatuses, own));
  if (own && sameStatus(status, previous)) return previous as PodStatus;
  view.generated = status;
  view.generatedConditions = key;
  view.generatedSlots = slots;
  return status;
}

/**
 * The status object, its keys in this order: phase, conditions, hostIP, podIP, startTime,
 * initContainerStatuses, containerStatuses, each present when set. A started pod's status (every
 * one a pod worker writes) is one literal: an object given keys after it was made keeps them out
 * of line, in a separate array, and every status is kept by the API server for its readers — the
 * young-generation collector copies and promotes both parts.
 */
function podStatus(view: PodRuntimeView, phase: PodPhase, conditions: Condition[], inits: ContainerStatus[] | undefined, containers: ContainerStatus[]): PodStatus {
  const { hostIP, podIP, startTime } = view;
  if (podIP !== undefined && startTime !== undefined) {
    return inits === undefined
      ? { phase, conditions, hostIP, podIP, startTime, containerStatuses: containers }
      : { phase, conditions, hostIP, podIP, startTime, initContainerStatuses: inits, containerStatuses: containers };
  }
  const status: PodStatus = { phase, conditions, hostIP };
  if (podIP !== undefined) status.podIP = podIP;
  if (startTime !== undefined) status.startTime = startTime;
  if (inits !== undefined) status.initContainerStatuses = inits;
  status.containerStatuses = containers;
  return status;
}

/** Whether `next`, generated from `previous`'s parts where they still hold, is `previous` again. */
function sameStatus(next: PodStatus, previous: DeepReadonly<PodStatus>): boolean {
  return next.phase === previous.phase && next.conditions === previous.conditions && next.hostIP === previous.hostIP &&
    next.podIP === previous.podIP && next.startTime === previous.startTime &&
    next.initContainerStatuses === previous.initContainerStatuses && next.containerStatuses === previous.containerStatuses;
}
