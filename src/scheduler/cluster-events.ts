/**
 * Cluster events that may make an unschedulable pod schedulable, and how a plugin says which
 * ones matter to it (pkg/scheduler/framework/types.go: ClusterEvent, ActionType;
 * pkg/scheduler/internal/queue/events.go; pkg/scheduler/eventhandlers.go:
 * nodeSchedulingPropertiesChange).
 *
 * A pod rejected by NodeAffinity waits for node changes, not for pod deletions; a pod rejected
 * for lack of CPU also wakes up when an assigned pod goes away. The queue moves a pod only when
 * an event matches a plugin that rejected it.
 *
 * Deliberate gap: only the events the modelled plugins register exist (no PV/PVC/Service/
 * assigned-pod add or update events, which serve volume and inter-pod plugins).
 */
import { deepEqual } from '../util/objects.js';
import type { Condition, DeepReadonly } from '../api/types/meta.js';
import type { Node } from '../api/types/node.js';

/** Bit flags for what happened to an object. */
export const ActionType = {
  Add: 1,
  Delete: 2,
  UpdateNodeAllocatable: 4,
  UpdateNodeLabel: 8,
  UpdateNodeTaint: 16,
  UpdateNodeCondition: 32,
  /** Any kind of update. */
  Update: 4 | 8 | 16 | 32,
  All: 63,
} as const;

/** `*` is the wildcard: the event concerns everything (e.g. the unschedulable-pods timeout). */
export type EventResource = 'Node' | 'Pod' | '*';

/** Something that happened in the cluster, as the queue matches it against registrations. */
export interface ClusterEvent {
  readonly resource: EventResource;
  /** A combination of {@link ActionType} flags. */
  readonly actionType: number;
  /** For logs and tests. */
  readonly label: string;
}

/** What a plugin registers: changes of `resource` with any of the `actionType` flags. */
export interface ClusterEventRegistration {
  readonly resource: EventResource;
  readonly actionType: number;
}

/** The events the scheduler raises (queue/events.go). */
export const NodeAdd: ClusterEvent = { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' };
export const AssignedPodDelete: ClusterEvent = { resource: 'Pod', actionType: ActionType.Delete, label: 'AssignedPodDelete' };
export const NodeSpecUnschedulableChange: ClusterEvent = { resource: 'Node', actionType: ActionType.UpdateNodeTaint, label: 'NodeSpecUnschedulableChange' };
export const NodeAllocatableChange: ClusterEvent = { resource: 'Node', actionType: ActionType.UpdateNodeAllocatable, label: 'NodeAllocatableChange' };
export const NodeLabelChange: ClusterEvent = { resource: 'Node', actionType: ActionType.UpdateNodeLabel, label: 'NodeLabelChange' };
export const NodeTaintChange: ClusterEvent = { resource: 'Node', actionType: ActionType.UpdateNodeTaint, label: 'NodeTaintChange' };
export const NodeConditionChange: ClusterEvent = { resource: 'Node', actionType: ActionType.UpdateNodeCondition, label: 'NodeConditionChange' };
/** A pod left in the unschedulable set for podMaxInUnschedulablePodsDuration. */
export const UnschedulableTimeout: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'UnschedulableTimeout' };

/** True when a registration covers the event (podMatchesEvent). */
export function eventMatches(registration: ClusterEventRegistration, event: ClusterEvent): boolean {
  if (registration.resource === '*' || event.resource === '*') return true;
  return registration.resource === event.resource && (registration.actionType & event.actionType) !== 0;
}

function conditionStatuses(conditions: readonly DeepReadonly<Condition>[] | undefined): Record<string, string> {
  const statuses: Record<string, string> = {};
  for (const condition of conditions ?? []) statuses[condition.type] = condition.status;
  return statuses;
}

/**
 * The event a node update amounts to, or undefined when nothing the scheduler filters on
 * changed (heartbeats, addresses, images). Checked in upstream's order; only the first match
 * is reported. A node becoming unschedulable cannot help a pending pod, so only the change to
 * schedulable counts.
 */
export function nodeSchedulingPropertiesChange(newNode: DeepReadonly<Node>, oldNode: DeepReadonly<Node>): ClusterEvent | undefined {
  const wasUnschedulable = oldNode.spec.unschedulable === true;
  const isUnschedulable = newNode.spec.unschedulable === true;
  if (wasUnschedulable && !isUnschedulable) return NodeSpecUnschedulableChange;
  if (!deepEqual(newNode.status?.allocatable, oldNode.status?.allocatable)) return NodeAllocatableChange;
  if (!deepEqual(newNode.metadata.labels, oldNode.metadata.labels)) return NodeLabelChange;
  if (!deepEqual(newNode.spec.taints, oldNode.spec.taints)) return NodeTaintChange;
  // Only type → status counts: heartbeat times and messages change all the time.
  if (!sameConditionStatuses(newNode.status?.conditions, oldNode.status?.conditions)) return NodeConditionChange;
  return undefined;
}

/**
 * Whether two condition lists give each type the same status. A kubelet's status report (every
 * node every 5 minutes) keeps the types in their order with their statuses, which settles it
 * without building the two maps; any other pair is compared as maps.
 */
function sameConditionStatuses(a: readonly DeepReadonly<Condition>[] | undefined, b: readonly DeepReadonly<Condition>[] | undefined): boolean {
  if (a !== undefined && b !== undefined && a.length === b.length) {
    let i = 0;
    while (i < a.length && a[i].type === b[i].type && a[i].status === b[i].status) i++;
    if (i === a.length) return true;
  }
  return deepEqual(conditionStatuses(a), conditionStatuses(b));
}
