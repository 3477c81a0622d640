/**
 * Node health as the node lifecycle controller tracks it (node_lifecycle_controller.go:
 * nodeHealthData, tryUpdateNodeHealth).
 *
 * The controller keeps, per node, the last Ready condition it saw and the last lease renewal it
 * saw, and the time of its own clock at which either last moved (probeTimestamp): the kubelet's
 * timestamps are never compared with the controller's clock, so clock skew between machines
 * cannot make a node look dead. A node whose probeTimestamp is older than the grace period —
 * node-monitor-grace-period, or node-startup-grace-period for a node that never posted a Ready
 * condition — gets its Ready condition set to Unknown ("Kubelet stopped posting node status.").
 *
 * Deliberate gap: the kubelet model posts only the Ready condition, so the MemoryPressure,
 * DiskPressure and PIDPressure conditions upstream also turns Unknown are neither there nor added.
 */
import type { Condition, DeepReadonly, Time } from '../../api/types/meta.js';

/** The Ready condition as the controller saw it. */
export interface ReadySnapshot {
  readonly status: string;
  readonly lastHeartbeatTime?: Time;
  readonly lastTransitionTime?: Time;
}

export interface NodeHealth {
  /** The controller's time when it last saw a new heartbeat or lease renewal. */
  readonly probeTimestamp: Time;
  /** The controller's time when it last saw the Ready condition change. */
  readonly readyTransitionTimestamp: Time;
  /** The Ready condition last saved (undefined: the node had none). */
  readonly savedReady: ReadySnapshot | undefined;
  /** The lease renewTime last saved (undefined: none seen since the record was made). */
  readonly savedLeaseRenew: Time | undefined;
}

export const NODE_STATUS_UNKNOWN_REASON = 'NodeStatusUnknown';
export const NODE_STATUS_UNKNOWN_MESSAGE = 'Kubelet stopped posting node status.';
export const NODE_STATUS_NEVER_UPDATED_REASON = 'NodeStatusNeverUpdated';
export const NODE_STATUS_NEVER_UPDATED_MESSAGE = 'Kubelet never posted node status.';

export interface HealthInput {
  readonly creationTimestamp: Time;
  readonly ready: DeepReadonly<Condition> | undefined;
  /** The node's Lease renewTime, when it has a lease. */
  readonly leaseRenew: Time | undefined;
  /**
   * When the controller saw that renewal: upstream sets probeTimestamp to the pass that first
   * reads it. Default `now`; a caller that does not look at every node on every pass gives the
   * first pass at or after the renewal.
   */
  readonly leaseSeenAt?: Time;
  /** When the controller saw the Ready condition's current heartbeat (default `now`), likewise. */
  readonly readySeenAt?: Time;
  readonly now: Time;
  readonly monitorGracePeriodMs: number;
  readonly startupGracePeriodMs: number;
}

export interface HealthUpdate {
  readonly health: NodeHealth;
  readonly gracePeriodMs: number;
  /** The Ready condition as observed before this update (Unknown at creation time when absent). */
  readonly observed: ReadySnapshot;
  /** The Ready condition after it (what to write when `write` is set); undefined while the node has none. */
  readonly current: DeepReadonly<Condition> | undefined;
  /** The Ready condition must be written as `current` (it turned Unknown). */
  readonly write: boolean;
}

function snapshot(c: DeepReadonly<Condition>): ReadySnapshot {
  return { status: c.status, lastHeartbeatTime: c.lastHeartbeatTime, lastTransitionTime: c.lastTransitionTime };
}

/** The grace period a node is entitled to: the startup one until it posts a Ready condition. */
export function gracePeriodOf(ready: unknown, monitorGracePeriodMs: number, startupGracePeriodMs: number): number {
  return ready === undefined ? startupGracePeriodMs : monitorGracePeriodMs;
}

/**
 * tryUpdateNodeHealth for one node at one monitor pass: the new health record, and whether the
 * Ready condition must turn Unknown. Pure: the caller writes the status.
 */
export function tryUpdateNodeHealth(previous: NodeHealth | undefined, input: HealthInput): HealthUpdate {
  const { ready, now, creationTimestamp } = input;
  const gracePeriodMs = gracePeriodOf(ready, input.monitorGracePeriodMs, input.startupGracePeriodMs);
  let health = previous;
  let observed: ReadySnapshot;
  if (ready === undefined) {
    // Never posted: as if an Unknown condition had been posted when the node was created.
    observed = { status: 'Unknown', lastHeartbeatTime: creationTimestamp, lastTransitionTime: creationTimestamp };
    health = health !== undefined
      ? { ...health, savedReady: undefined }
      : { probeTimestamp: creationTimestamp, readyTransitionTimestamp: creationTimestamp, savedReady: undefined, savedLeaseRenew: undefined };
  } else {
    observed = snapshot(ready);
  }
  // Read after the record took the node's status: a node that lost its Ready condition has none saved.
  const saved = health?.savedReady;
  if (health === undefined) {
    health = { probeTimestamp: now, readyTransitionTimestamp: now, savedReady: ready && snapshot(ready), savedLeaseRenew: undefined };
  } else if (saved === undefined && ready !== undefined) {
    health = { probeTimestamp: now, readyTransitionTimestamp: now, savedReady: snapshot(ready), savedLeaseRenew: undefined };
  } else if (saved !== undefined && ready !== undefined && saved.lastHeartbeatTime !== ready.lastHeartbeatTime) {
    const seenAt = input.readySeenAt ?? now;
    const transition = saved.lastTransitionTime !== ready.lastTransitionTime ? seenAt : health.readyTransitionTimestamp;
    health = { probeTimestamp: seenAt, readyTransitionTimestamp: transition, savedReady: snapshot(ready), savedLeaseRenew: undefined };
  }
  // A renewed lease always counts as a heartbeat (even from a kubelet that never posted status).
  if (input.leaseRenew !== undefined && (health.savedLeaseRenew === undefined || health.savedLeaseRenew < input.leaseRenew)) {
    health = { ...health, savedLeaseRenew: input.leaseRenew, probeTimestamp: Math.max(health.probeTimestamp, input.leaseSeenAt ?? now) };
  }
  if (now > health.probeTimestamp + gracePeriodMs) {
    let current: Condition;
    if (ready === undefined) {
      current = { type: 'Ready', status: 'Unknown', reason: NODE_STATUS_NEVER_UPDATED_REASON, message: NODE_STATUS_NEVER_UPDATED_MESSAGE, lastHeartbeatTime: creationTimestamp, lastTransitionTime: now };
    } else if (ready.status !== 'Unknown') {
      current = { ...(ready as Condition), status: 'Unknown', reason: NODE_STATUS_UNKNOWN_REASON, message: NODE_STATUS_UNKNOWN_MESSAGE, lastTransitionTime: now };
    } else {
      return { health, gracePeriodMs, observed, current: ready, write: false };
    }
    health = { probeTimestamp: health.probeTimestamp, readyTransitionTimestamp: now, savedReady: snapshot(current), savedLeaseRenew: input.leaseRenew };
    return { health, gracePeriodMs, observed, current, write: true };
  }
  return { health, gracePeriodMs, observed, current: ready, write: false };
}
