/**
 * Events derived from object transitions as the API server commits them: PodCreated, PodReady,
 * NodeTainted, ScaledReplicaSet, … (scenario-format.md §7). A pure function of (old, new) per
 * kind, so every event is explained by a write anyone could have watched.
 */
import type { WatchEvent } from '../cluster/api-server.js';
import type { EventFields, EventLog, EventSubject } from '../cluster/event-log.js';
import { getCondition } from '../api/conditions.js';
import { controllerText, getControllerOf } from '../api/pod-util.js';
import type { Deployment } from '../api/types/deployment.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { Node } from '../api/types/node.js';
import type { Pod } from '../api/types/pod.js';
import type { ReplicaSet } from '../api/types/replicaset.js';
import { cronJobEvents } from './events/cronjob-events.js';
import { daemonSetEvents } from './events/daemonset-events.js';
import { jobEvents } from './events/job-events.js';
import { endpointSliceEvents } from './events/service-events.js';
import { persistentVolumeClaimEvents, statefulSetEvents } from './events/statefulset-events.js';

export interface DerivedEvent {
  readonly type: string;
  readonly fields?: EventFields;
}

type Readonly_<T> = DeepReadonly<T> | undefined;

/**
 * The `Kind/name` texts of controllers, by name. Every event of a pod carries its owner, and the
 * pods of one ReplicaSet share it: made once, it is one flat string the event log copies, not a
 * new rope per event. Cleared when it holds OWNER_TEXTS_MAX names (one process may run many
 * scenarios).
 */
const ownerTexts = new Map<string, { readonly kind: string; readonly text: string | undefined }>();
const OWNER_TEXTS_MAX = 10_000;

function ownerText(obj: DeepReadonly<KubeObject>): string | undefined {
  const ref = getControllerOf(obj.metadata);
  if (ref === undefined) return undefined;
  const cached = ownerTexts.get(ref.name);
  if (cached !== undefined && cached.kind === ref.kind) return cached.text;
  if (ownerTexts.size >= OWNER_TEXTS_MAX) ownerTexts.clear();
  const text = controllerText(obj.metadata);
  ownerTexts.set(ref.name, { kind: ref.kind, text });
  return text;
}

function readyStatus(conditions: Parameters<typeof getCondition>[0]): boolean {
  return getCondition(conditions, 'Ready')?.status === 'True';
}

type ContainerStatuses = NonNullable<NonNullable<DeepReadonly<Pod>['status']>['containerStatuses']>;

/**
 * A container's restart count in a pod's earlier statuses (0 if absent). A plain loop, not a
 * `find` with a closure: it runs for every container of every pod write.
 */
function restartCountOf(statuses: ContainerStatuses | undefined, name: string): number {
  if (statuses === undefined) return 0;
  for (let i = 0; i < statuses.length; i++) {
    if (statuses[i].name === name) return statuses[i].restartCount ?? 0;
  }
  return 0;
}

/** Pod events without fields, one frozen object each: most events of a run are these. */
const POD_CREATED: DerivedEvent = Object.freeze({ type: 'PodCreated' });
const POD_DELETED: DerivedEvent = Object.freeze({ type: 'PodDeleted' });
const POD_SCHEDULED: DerivedEvent = Object.freeze({ type: 'PodScheduled' });
const POD_STARTED: DerivedEvent = Object.freeze({ type: 'PodStarted' });
const POD_READY: DerivedEvent = Object.freeze({ type: 'PodReady' });
const POD_NOT_READY: DerivedEvent = Object.freeze({ type: 'PodNotReady' });
const POD_SUCCEEDED: DerivedEvent = Object.freeze({ type: 'PodSucceeded' });

/**
 * What a commit that derives nothing answers, one frozen array: most commits derive nothing
 * (status writes of the workloads, most writes of a pod), and an array made for each would be
 * garbage at once.
 */
const NO_EVENTS: readonly DerivedEvent[] = Object.freeze([]);

/**
 * `events` with `event` added: an array made for the first event (most pod writes derive one
 * or none, and an array made empty grows to room for 16 at its first push).
 */
function withEvent(events: DerivedEvent[] | undefined, event: DerivedEvent): DerivedEvent[] {
  if (events === undefined) return [event];
  events.push(event);
  return events;
}

export function podEvents(old: Readonly_<Pod>, pod: Readonly_<Pod>): readonly DerivedEvent[] {
  if (pod === undefined) return [POD_DELETED];
  if (old === undefined) return [POD_CREATED];
  let events: DerivedEvent[] | undefined;
  if (!old.spec.nodeName && pod.spec.nodeName) events = withEvent(events, POD_SCHEDULED);
  const oldPhase = old.status?.phase;
  const phase = pod.status?.phase;
  if (phase === 'Running' && oldPhase !== 'Running') events = withEvent(events, POD_STARTED);
  const oldStatuses = old.status?.containerStatuses;
  const statuses = pod.status?.containerStatuses;
  for (let i = 0; statuses !== undefined && i < statuses.length; i++) {
    const status = statuses[i];
    if (status.restartCount > restartCountOf(oldStatuses, status.name)) {
      const last = status.lastState?.terminated;
      events = withEvent(events, { type: 'PodRestarted', fields: { container: status.name, restartCount: status.restartCount, exitCode: last?.exitCode, reason: last?.reason } });
    }
  }
  const wasReady = readyStatus(old.status?.conditions);
  const isReady = readyStatus(pod.status?.conditions);
  if (!wasReady && isReady) events = withEvent(events, POD_READY);
  if (wasReady && !isReady) events = withEvent(events, POD_NOT_READY);
  if (phase !== oldPhase && phase === 'Succeeded') events = withEvent(events, POD_SUCCEEDED);
  if (phase !== oldPhase && phase === 'Failed') events = withEvent(events, { type: 'PodFailed', fields: { reason: pod.status?.reason } });
  if (old.metadata.deletionTimestamp === undefined && pod.metadata.deletionTimestamp !== undefined) {
    events = withEvent(events, { type: 'PodTerminating', fields: { gracePeriodSeconds: pod.metadata.deletionGracePeriodSeconds } });
  }
  return events ?? NO_EVENTS;
}

function taintKeys(node: Readonly_<Node>): Map<string, { key: string; effect: string; value?: string }> {
  const map = new Map<string, { key: string; effect: string; value?: string }>();
  for (const t of node?.spec.taints ?? []) map.set(`${t.key}:${t.effect}`, { key: t.key, effect: t.effect, value: t.value });
  return map;
}

export function nodeEvents(old: Readonly_<Node>, node: Readonly_<Node>): readonly DerivedEvent[] {
  if (node === undefined) return [{ type: 'NodeRemoved' }];
  const wasReady = readyStatus(old?.status?.conditions);
  const isReady = readyStatus(node.status?.conditions);
  // A status report that leaves readiness as it was (the kubelet's heartbeat, every node every 5
  // minutes) and the same spec object (taints, unschedulable) derives nothing: checked before the
  // taint maps below are built.
  if (old !== undefined && old.spec === node.spec && wasReady === isReady) return NO_EVENTS;
  const events: DerivedEvent[] = old === undefined ? [{ type: 'NodeAdded' }] : [];
  if (!wasReady && isReady) events.push({ type: 'NodeReady' });
  if (wasReady && !isReady) events.push({ type: 'NodeNotReady', fields: { reason: getCondition(node.status?.conditions, 'Ready')?.reason } });
  const before = taintKeys(old);
  const after = taintKeys(node);
  for (const [k, t] of after) if (!before.has(k)) events.push({ type: 'NodeTainted', fields: { key: t.key, effect: t.effect, value: t.value } });
  for (const [k, t] of before) if (!after.has(k)) events.push({ type: 'NodeUntainted', fields: { key: t.key, effect: t.effect } });
  if (old !== undefined && !old.spec.unschedulable && node.spec.unschedulable) events.push({ type: 'NodeCordoned' });
  if (old?.spec.unschedulable && !node.spec.unschedulable) events.push({ type: 'NodeUncordoned' });
  return events;
}

export function replicaSetEvents(old: Readonly_<ReplicaSet>, rs: Readonly_<ReplicaSet>): readonly DerivedEvent[] {
  if (rs === undefined) return [{ type: 'ReplicaSetDeleted' }];
  const replicas = rs.spec.replicas ?? 1;
  if (old === undefined) return [{ type: 'ReplicaSetCreated', fields: { replicas } }];
  const before = old.spec.replicas ?? 1;
  return before !== replicas ? [{ type: 'ScaledReplicaSet', fields: { replicas, from: before } }] : NO_EVENTS;
}

/** The reason of a Deployment's Progressing condition (a plain loop: every status write asks). */
function progressingReason(d: DeepReadonly<Deployment>): string | undefined {
  for (const condition of d.status?.conditions ?? []) if (condition.type === 'Progressing') return condition.reason;
  return undefined;
}

export function deploymentEvents(old: Readonly_<Deployment>, d: Readonly_<Deployment>): readonly DerivedEvent[] {
  if (d === undefined) return [{ type: 'DeploymentDeleted' }];
  const replicas = d.spec.replicas ?? 1;
  if (old === undefined) return [{ type: 'DeploymentCreated', fields: { replicas } }];
  let events: DerivedEvent[] | undefined;
  const before = old.spec.replicas ?? 1;
  if (before !== replicas) events = withEvent(events, { type: 'DeploymentScaled', fields: { replicas, from: before } });
  if (!old.spec.paused && d.spec.paused) events = withEvent(events, { type: 'DeploymentPaused' });
  if (old.spec.paused && !d.spec.paused) events = withEvent(events, { type: 'DeploymentResumed' });
  if (progressingReason(d) === 'ProgressDeadlineExceeded' && progressingReason(old) !== 'ProgressDeadlineExceeded') {
    events = withEvent(events, { type: 'ProgressDeadlineExceeded', fields: { progressDeadlineSeconds: d.spec.progressDeadlineSeconds } });
  }
  return events ?? NO_EVENTS;
}

function serviceEvents(old: Readonly_<KubeObject>, obj: Readonly_<KubeObject>): readonly DerivedEvent[] {
  if (obj === undefined) return [{ type: 'ServiceDeleted' }];
  return old === undefined ? [{ type: 'ServiceCreated' }] : NO_EVENTS;
}

const DERIVERS: Record<string, (old: any, obj: any) => readonly DerivedEvent[]> = {
  Pod: podEvents,
  Node: nodeEvents,
  ReplicaSet: replicaSetEvents,
  Deployment: deploymentEvents,
  Service: serviceEvents,
  StatefulSet: statefulSetEvents,
  PersistentVolumeClaim: persistentVolumeClaimEvents,
  DaemonSet: daemonSetEvents,
  Job: jobEvents,
  CronJob: cronJobEvents,
  EndpointSlice: endpointSliceEvents,
};

/** Subscribes to every commit and records the derived events in the log. */
export function recordObjectEvents(commit: WatchEvent, log: EventLog): void {
  const derive = DERIVERS[commit.object.kind];
  if (derive === undefined) return;
  const deleted = commit.type === 'DELETED';
  const old = commit.type === 'ADDED' ? undefined : commit.oldObject;
  const events = derive(old, deleted ? undefined : commit.object);
  if (events.length === 0) return;
  const obj = commit.object;
  const node = obj.kind === 'Pod' ? (obj as DeepReadonly<Pod>).spec.nodeName : undefined;
  const subject: EventSubject = { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, node: node || undefined, owner: ownerText(obj) };
  for (const event of events) log.emit(event.type, subject, event.fields);
}
