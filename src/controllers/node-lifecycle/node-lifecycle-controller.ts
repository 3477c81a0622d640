/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go), in
 * taint-based eviction mode, the only one left upstream:
 *
 * - monitorNodeHealth, every node-monitor-period (5 s): a node whose heartbeat (Ready condition
 *   or Lease renewal) is older than the grace period (50 s) gets Ready=Unknown, its pods get
 *   Ready=False (MarkPodsNotReady); a node seen not Ready is queued for its NoExecute taint
 *   (`node.kubernetes.io/unreachable` or `not-ready`) in its zone's rate-limited queue, a Ready
 *   one loses both; then zone states and rates are recomputed (zones.ts).
 * - doNoExecuteTaintingPass, every 100 ms: each zone's queue taints as many nodes as its token
 *   bucket allows (0.1/s: one node every 10 s).
 * - doNoScheduleTaintingPass, on every node change: the NoSchedule taints follow the Ready
 *   condition at once (controller-taints.ts).
 * - processPod: a pod bound to a node that is not Ready is marked not ready.
 * The NoExecute taints themselves evict nothing: the taint eviction controller does
 * (controllers/taint-eviction).
 *
 * Cost follows change. Upstream looks at every node on every pass; here a pass runs only when a
 * node changed (its Ready status, taints or labels) or may have gone stale, and looks only at
 * those nodes; a new heartbeat alone (the kubelet's status report) is only noted. A node
 * whose kubelet renews its lease more often than the grace period can never go stale, so it is
 * not looked at; when a kubelet stops or resumes renewing (NodeLeases.onLeaseChange), the time at
 * which its lease would go stale is computed and a pass is scheduled then. Passes keep upstream's
 * grid (multiples of the period from t = 0), and a lease renewal counts as seen at the first pass
 * at or after it — what a pass over every node would have seen — so the decisions and their times
 * are upstream's; a heartbeat likewise counts from the first pass after the informer saw it.
 * Likewise the tainting pass runs only when a queue holds a node and its zone
 * has a token, on the 100 ms grid.
 *
 * Deliberate gaps: the Lease is read straight from the kubelet, without an informer's watch
 * delay; no Kubernetes Events are recorded (RegisteredNode, NodeNotReady as an Event): the
 * events.jsonl lines come from the objects' changes (NodeNotReady, NodeTainted, PodNotReady, …);
 * node label reconciliation (beta OS/arch labels) is not modelled; MarkPodsNotReady never fails,
 * so nodes are never queued for a retry.
 */
import { getCondition } from '../../api/conditions.js';
import { metaKey } from '../../api/object-key.js';
import type { Condition, DeepReadonly, Time } from '../../api/types/meta.js';
import type { Node } from '../../api/types/node.js';
import type { Pod } from '../../api/types/pod.js';
import { INDEX_NODE_NAME, type Informer, podNodeName, podSpecOf } from '../../cluster/informer.js';
import type { Timer } from '../../engine/simulation.js';
import { isApiError } from '../../errors.js';
import { deepEqual } from '../../util/objects.js';
import type { Controller, ControllerContext, ControllerFactory, Enqueue, ReconcileResult } from '../controller.js';
import {
  NOT_READY_NO_EXECUTE,
  UNREACHABLE_NO_EXECUTE,
  noScheduleTaintDiff,
  swapNodeControllerTaint,
  taintExists,
} from './controller-taints.js';
import { markPodsNotReady } from './mark-pods-not-ready.js';
import { type NodeHealth, type ReadySnapshot, gracePeriodOf, tryUpdateNodeHealth } from './node-health.js';
import type { TimedValue, TryResult } from './rate-limited-queue.js';
import type { NodeLifecycleSettings } from './settings.js';
import { getZoneKey, isNodeExcludedFromDisruptionChecks } from './zone-state.js';
import { ZoneBook } from './zones.js';

/** What the controller reads of each node's Lease (kube-node-lease); the kubelets provide it. */
export interface NodeLeases {
  /** The Lease's renewTime at `now`; undefined when the node has no lease. */
  leaseRenewTime(nodeName: string, now: Time): Time | undefined;
  /** The renewal interval while the lease is being renewed; undefined while it is not. */
  leaseRenewInterval(nodeName: string): number | undefined;
  /** Calls `listener` when a node's lease starts or stops being renewed. */
  onLeaseChange(listener: (nodeName: string) => void): void;
}

/** NodeEvictionPeriod: how often the zone tainting queues are tried. */
export const NODE_EVICTION_PERIOD_MS = 100;
/** A queued node without a Ready condition is retried this much later. */
const RETRY_WITHOUT_CONDITION_MS = 50;
// Work-queue keys besides node names and pod keys: no node name or pod key starts with ':'.
const MONITOR_KEY = ':monitor';
const TAINTING_KEY = ':noexecute-tainting';

/** What the controller knows of one node. */
interface NodeRecord {
  /** The order nodes were first seen in: passes look at nodes in this order. */
  readonly index: number;
  /** Its nodeHealthData; undefined until a monitor pass has seen the node. */
  health: NodeHealth | undefined;
  /** The zone it counts in, and whether it counts (not excluded) and as Ready. */
  zone: string;
  counted: boolean;
  ready: boolean;
  /** The pass at which its heartbeat would be too old, when it is not being renewed. */
  staleTimer: Timer | undefined;
  /** When the informer delivered the Ready condition's current heartbeat. */
  readySeenAt: Time;
}

function readyOf(node: DeepReadonly<Node>): DeepReadonly<Condition> | undefined {
  return getCondition(node.status?.conditions, 'Ready');
}

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly records = new Map<string, NodeRecord>();
  private readonly zones: ZoneBook;
  /** Nodes the next monitor pass must look at. */
  private readonly dirty = new Set<string>();
  private nextIndex = 0;
  private lastMonitorAt = -Infinity;
  private monitorTimer: { at: Time; timer: Timer } | undefined;
  private taintingTimer: { at: Time; timer: Timer } | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
    private readonly settings: NodeLifecycleSettings,
    private readonly leases: NodeLeases,
  ) {
    this.zones = new ZoneBook(settings);
    this.nodes = ctx.informers.forKind<Node>('Node');
    this.pods = ctx.informers.forKind<Pod>('Pod').addIndex(INDEX_NODE_NAME, podNodeName, podSpecOf);
    this.nodes.addEventHandler({
      add: (node) => this.nodeAdded(node),
      update: (old, node) => this.nodeUpdated(old, node),
      delete: (node) => this.nodeDeleted(node),
    });
    // podUpdated: a pod newly bound to a node last seen not Ready (upstream queues every newly
    // bound pod and looks at its node in processPod; a pass that marks the node looks at its pods).
    const bound = (pod: DeepReadonly<Pod>) => {
      const saved = this.records.get(pod.spec.nodeName ?? '')?.health?.savedReady;
      if (saved !== undefined && saved.status !== 'True') this.queue.add(metaKey(pod.metadata));
    };
    this.pods.addEventHandler({
      add: (pod) => {
        if (pod.spec.nodeName) bound(pod);
      },
      update: (old, pod) => {
        if (pod.spec.nodeName && pod.spec.nodeName !== old.spec.nodeName) bound(pod);
      },
    });
    leases.onLeaseChange((name) => {
      const record = this.records.get(name);
      if (record?.health !== undefined) this.scheduleStaleCheck(name, record, ctx.sim.now);
    });
  }

  private get now(): Time {
    return this.ctx.sim.now;
  }

  // -------------------------------------------------------------------------------------------
  // Informer events: keep zone counts, mark nodes for the next pass, queue the NoSchedule pass

  private nodeAdded(node: DeepReadonly<Node>): void {
    const name = node.metadata.name;
    const record: NodeRecord = { index: this.nextIndex++, health: undefined, zone: '', counted: false, ready: false, staleTimer: undefined, readySeenAt: this.now };
    this.records.set(name, record);
    this.recount(record, node);
    this.changed(name);
  }

  private nodeUpdated(old: DeepReadonly<Node>, node: DeepReadonly<Node>): void {
    const record = this.records.get(node.metadata.name);
    if (record === undefined) return;
    const before = readyOf(old);
    const after = readyOf(node);
    if (before?.lastHeartbeatTime !== after?.lastHeartbeatTime) record.readySeenAt = this.now;
    // A status report that only moves the heartbeat changes no decision until the node is
    // looked at again, and then counts from when it was seen: no pass for it.
    const relevant = before?.status !== after?.status || before?.lastTransitionTime !== after?.lastTransitionTime ||
      (before === undefined) !== (after === undefined) || !deepEqual(old.spec.taints, node.spec.taints) || !deepEqual(old.metadata.labels, node.metadata.labels);
    if (!relevant) return;
    this.recount(record, node);
    this.changed(node.metadata.name);
  }

  private nodeDeleted(node: DeepReadonly<Node>): void {
    const name = node.metadata.name;
    const record = this.records.get(name);
    if (record === undefined) return;
    if (record.counted) this.zones.count(record.zone, record.ready, -1);
    // As monitorNodeHealth does for deleted nodes: a node gone leaves its zone's tainting queue.
    this.zones.tainter(record.zone)?.remove(name);
    record.staleTimer?.cancel();
    this.records.delete(name);
    this.dirty.delete(name);
    this.requestMonitor(this.now);
  }

  private changed(name: string): void {
    this.queue.add(name);
    this.dirty.add(name);
    this.requestMonitor(this.now);
  }

  /** Moves the node's contribution to its zone's counts to what `node` says. */
  private recount(record: NodeRecord, node: DeepReadonly<Node>, ready = readyOf(node)?.status === 'True'): void {
    const zone = getZoneKey(node);
    const counted = !isNodeExcludedFromDisruptionChecks(node);
    if (record.counted) this.zones.count(record.zone, record.ready, -1);
    record.zone = zone;
    record.counted = counted;
    record.ready = ready;
    if (counted) this.zones.count(zone, ready, 1);
  }

  // -------------------------------------------------------------------------------------------
  // Scheduling passes on upstream's grids

  /** A monitor pass at the first multiple of the period at or after `at` not yet passed. */
  private requestMonitor(at: Time): void {
    const period = this.settings.nodeMonitorPeriodMs;
    let pass = Math.ceil(at / period) * period;
    if (pass <= this.lastMonitorAt) pass = this.lastMonitorAt + period;
    if (this.monitorTimer !== undefined && this.monitorTimer.at <= pass) return;
    this.monitorTimer?.timer.cancel();
    this.monitorTimer = {
      at: pass,
      timer: this.ctx.sim.scheduleAt(pass, () => {
        this.monitorTimer = undefined;
        this.queue.add(MONITOR_KEY);
      }),
    };
  }

  /** A tainting pass at the first 100 ms tick after now at which some zone has a node and a token. */
  private requestTainting(now: Time): void {
    let due = Infinity;
    for (const tainter of this.zones.tainters.values()) due = Math.min(due, tainter.nextTryAt(now));
    if (due === Infinity) return;
    const tick = NODE_EVICTION_PERIOD_MS;
    const pass = Math.max(Math.floor(now / tick) * tick + tick, Math.ceil(due / tick) * tick);
    if (this.taintingTimer !== undefined && this.taintingTimer.at <= pass) return;
    this.taintingTimer?.timer.cancel();
    this.taintingTimer = {
      at: pass,
      timer: this.ctx.sim.scheduleAt(pass, () => {
        this.taintingTimer = undefined;
        this.queue.add(TAINTING_KEY);
      }),
    };
  }

  /**
   * When the node's heartbeat goes stale without a new one: the first pass after probe + grace.
   * A node whose lease is renewed at least once per grace period never goes stale.
   */
  private scheduleStaleCheck(name: string, record: NodeRecord, now: Time): void {
    record.staleTimer?.cancel();
    record.staleTimer = undefined;
    const health = record.health;
    const node = this.nodes.get(undefined, name);
    if (health === undefined || node === undefined) return;
    const grace = gracePeriodOf(readyOf(node), this.settings.nodeMonitorGracePeriodMs, this.settings.nodeStartupGracePeriodMs);
    const interval = this.leases.leaseRenewInterval(name);
    if (interval !== undefined && interval <= grace) return;
    let probe = health.probeTimestamp;
    const renew = this.leases.leaseRenewTime(name, now);
    if (renew !== undefined && (health.savedLeaseRenew === undefined || renew > health.savedLeaseRenew)) probe = Math.max(probe, this.passAtOrAfter(renew));
    const period = this.settings.nodeMonitorPeriodMs;
    const stale = (Math.floor((probe + grace) / period) + 1) * period;
    if (stale <= now) return;
    record.staleTimer = this.ctx.sim.scheduleAt(stale, () => {
      record.staleTimer = undefined;
      this.dirty.add(name);
      this.requestMonitor(stale);
    });
  }

  /** The first monitor pass at or after `t`: when a pass over every node would have seen a change at `t`. */
  private passAtOrAfter(t: Time): Time {
    const period = this.settings.nodeMonitorPeriodMs;
    return Math.ceil(t / period) * period;
  }

  // -------------------------------------------------------------------------------------------
  // Reconcile

  reconcile(key: string): ReconcileResult | void {
    const now = this.now;
    if (key === MONITOR_KEY) this.monitorNodeHealth(now);
    else if (key === TAINTING_KEY) this.doNoExecuteTaintingPass(now);
    else if (key.includes('/')) this.processPod(key);
    else this.doNoScheduleTaintingPass(key, now);
  }

  /** monitorNodeHealth over the nodes that changed or may have gone stale, in the order they were first seen. */
  private monitorNodeHealth(now: Time): void {
    this.lastMonitorAt = now;
    const names = [...this.dirty].sort((a, b) => (this.records.get(a)?.index ?? 0) - (this.records.get(b)?.index ?? 0));
    this.dirty.clear();
    for (const name of names) this.updateNodeHealth(name, now);
    this.zones.handleDisruption(now, {
      markAllNodesReachable: () => {
        for (const name of this.records.keys()) {
          const node = this.nodes.get(undefined, name);
          if (node !== undefined) this.markNodeAsReachable(node, now);
        }
      },
      resetProbeTimestamps: (at) => {
        for (const [name, record] of this.records) {
          if (record.health === undefined) continue;
          record.health = { ...record.health, probeTimestamp: at, readyTransitionTimestamp: at };
          this.scheduleStaleCheck(name, record, at);
        }
      },
    });
    this.requestTainting(now);
  }

  /** One node of a monitor pass: health, taint-based eviction, pods marked not ready. */
  private updateNodeHealth(name: string, now: Time): void {
    const node = this.nodes.get(undefined, name);
    const record = this.records.get(name);
    if (node === undefined || record === undefined) return;
    this.zones.ensure(record.zone, now);
    // A node seen for the first time loses stale NoExecute taints (a controller restart's leftovers).
    if (record.health === undefined) this.markNodeAsReachable(node, now);
    const renew = this.leases.leaseRenewTime(name, now);
    const update = tryUpdateNodeHealth(record.health, {
      creationTimestamp: node.metadata.creationTimestamp ?? 0,
      ready: readyOf(node),
      leaseRenew: renew,
      leaseSeenAt: renew === undefined ? now : this.passAtOrAfter(renew),
      readySeenAt: this.passAtOrAfter(record.readySeenAt),
      now,
      monitorGracePeriodMs: this.settings.nodeMonitorGracePeriodMs,
      startupGracePeriodMs: this.settings.nodeStartupGracePeriodMs,
    });
    record.health = update.health;
    if (update.write && update.current !== undefined && !this.writeReadyCondition(name, update.current)) return;
    if (update.write) {
      if (record.counted) {
        this.zones.count(record.zone, record.ready, -1);
        this.zones.count(record.zone, false, 1);
      }
      record.ready = false;
      // The next pass sees it Unknown, and queues its taint.
      this.dirty.add(name);
      this.requestMonitor(now + 1);
    }
    if (update.current !== undefined) {
      this.processTaintBaseEviction(node, update.observed, now);
      if (update.current.status !== 'True' && update.observed.status === 'True') {
        markPodsNotReady(this.ctx.api, this.pods.byIndex(INDEX_NODE_NAME, name).values(), name, now);
      }
    }
    this.scheduleStaleCheck(name, record, now);
  }

  /** Writes the node's Ready condition (Unknown) on the live Node; false when it is gone. */
  private writeReadyCondition(name: string, ready: DeepReadonly<Condition>): boolean {
    const live = this.ctx.api.get<Node>('Node', undefined, name);
    if (live === undefined) return false;
    const existing = (live.status?.conditions ?? []) as Condition[];
    const conditions = existing.some((c) => c.type === 'Ready')
      ? existing.map((c) => (c.type === 'Ready' ? (ready as Condition) : c))
      : [...existing, ready as Condition];
    try {
      this.ctx.api.updateStatus<Node>({ ...(live as Node), status: { ...(live.status as Node['status']), conditions } });
    } catch (error) {
      if (isApiError(error, 'NotFound')) return false;
      throw error;
    }
    return true;
  }

  /** processTaintBaseEviction: queue (or swap) the NoExecute taint for a node seen not Ready; untaint a Ready one. */
  private processTaintBaseEviction(node: DeepReadonly<Node>, observed: ReadySnapshot, now: Time): void {
    const taints = node.spec.taints;
    switch (observed.status) {
      case 'False':
        if (taintExists(taints, UNREACHABLE_NO_EXECUTE)) swapNodeControllerTaint(this.ctx.api, node.metadata.name, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], now);
        else this.markNodeForTainting(node, 'False', now);
        return;
      case 'Unknown':
        if (taintExists(taints, NOT_READY_NO_EXECUTE)) swapNodeControllerTaint(this.ctx.api, node.metadata.name, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], now);
        else this.markNodeForTainting(node, 'Unknown', now);
        return;
      case 'True':
        this.markNodeAsReachable(node, now);
    }
  }

  private markNodeForTainting(node: DeepReadonly<Node>, status: 'False' | 'Unknown', now: Time): void {
    const name = node.metadata.name;
    const tainter = this.zones.tainter(getZoneKey(node));
    if (tainter === undefined) return;
    const template = status === 'False' ? NOT_READY_NO_EXECUTE : UNREACHABLE_NO_EXECUTE;
    // Not tainted yet: forget any earlier queueing, so the node is queued afresh.
    if (!taintExists(node.spec.taints, template)) tainter.remove(name);
    tainter.add(name, node.metadata.uid ?? '', now);
  }

  /** markNodeAsReachable: both NoExecute taints removed, and the node out of its zone's queue. */
  private markNodeAsReachable(node: DeepReadonly<Node>, now: Time): void {
    const taints = node.spec.taints;
    if (taintExists(taints, UNREACHABLE_NO_EXECUTE) || taintExists(taints, NOT_READY_NO_EXECUTE)) {
      swapNodeControllerTaint(this.ctx.api, node.metadata.name, [], [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE], now);
    }
    this.zones.tainter(getZoneKey(node))?.remove(node.metadata.name);
  }

  /** doNoExecuteTaintingPass: each zone, in the order zones were first seen, taints what its limiter allows. */
  private doNoExecuteTaintingPass(now: Time): void {
    for (const tainter of this.zones.tainters.values()) tainter.try(now, (value) => this.taintFromQueue(value, now));
    this.requestTainting(now);
  }

  private taintFromQueue(value: TimedValue, now: Time): TryResult {
    const node = this.nodes.get(undefined, value.value);
    if (node === undefined) return { done: true };
    const ready = readyOf(node);
    if (ready === undefined) return { done: false, retryAfterMs: RETRY_WITHOUT_CONDITION_MS };
    // The two taints mirror the Ready condition, so they are mutually exclusive.
    let done: boolean;
    if (ready.status === 'False') done = swapNodeControllerTaint(this.ctx.api, node.metadata.name, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], now);
    else if (ready.status === 'Unknown') done = swapNodeControllerTaint(this.ctx.api, node.metadata.name, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], now);
    else done = true;
    return done ? { done: true } : { done: false, retryAfterMs: 0 };
  }

  /** doNoScheduleTaintingPass for one node. */
  private doNoScheduleTaintingPass(name: string, now: Time): void {
    const node = this.nodes.get(undefined, name);
    if (node === undefined) return;
    const { add, remove } = noScheduleTaintDiff(node);
    if (add.length === 0 && remove.length === 0) return;
    swapNodeControllerTaint(this.ctx.api, name, add, remove, now);
  }

  /** processPod: a pod just bound to a node last seen not Ready is marked not ready. */
  private processPod(key: string): void {
    const pod = this.pods.getByKey(key);
    const nodeName = pod?.spec.nodeName;
    if (pod === undefined || !nodeName) return;
    const saved = this.records.get(nodeName)?.health?.savedReady;
    if (saved === undefined || this.nodes.get(undefined, nodeName) === undefined) return;
    if (saved.status !== 'True') markPodsNotReady(this.ctx.api, [pod], nodeName, this.now);
  }
}

/** Builds the node lifecycle controller with its settings and the nodes' leases. */
export function nodeLifecycleController(settings: NodeLifecycleSettings, leases: NodeLeases): ControllerFactory {
  return (ctx, queue) => new NodeLifecycleController(ctx, queue, settings, leases);
}
