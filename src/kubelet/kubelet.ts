/**
 * The kubelet of one node: registers the Node (pkg/kubelet/kubelet_node_status.go), turns Ready,
 * reports status and renews its lease, and runs a PodWorker for every pod bound to the node.
 *
 * Heartbeats are modelled without an event every 10 s: the lease is renewed every
 * `leaseRenewInterval` while the kubelet runs, so its last renewal is computed on demand
 * (`lastLeaseRenewal`); the Node status with its Ready heartbeat is posted every
 * `nodeStatusReportFrequency` (5 min) as upstream does when nothing changed. When someone else
 * changed the Ready condition (the node lifecycle controller marking it Unknown), the kubelet
 * posts its own within nodeStatusUpdateFrequency (10 s), as its status loop would.
 *
 * The kubelet registers a node that is not Ready yet with `node.kubernetes.io/not-ready:NoSchedule`
 * and leaves the taint to the node lifecycle controller (TaintNodesByCondition), as upstream.
 *
 * Faults (scenario `failNode` / `recoverNode`, see node-fault.ts): a `stopped` node's kubelet,
 * containers and image pulls stop; a `partitioned` node's containers keep running but nothing it
 * writes reaches the API server and no watch event reaches it. Either way its heartbeats stop.
 * On recovery it posts status and renews its lease at once and resyncs its pods with the API.
 */
import { type Distribution, constant, sample } from '../engine/distribution.js';
import type { Rng } from '../engine/random.js';
import type { Timer } from '../engine/simulation.js';
import { getCondition, setCondition } from '../api/conditions.js';
import type { Condition, DeepReadonly, Time } from '../api/types/meta.js';
import type { ContainerImage, Node, Taint } from '../api/types/node.js';
import type { Pod, PodStatus, ResourceList } from '../api/types/pod.js';
import type { ControllerContext } from '../controllers/controller.js';
import { isApiError } from '../errors.js';
import { ImageManager } from './image-manager.js';
import type { ImageCatalog } from './image-profile.js';
import { NODE_STATUS_UPDATE_FREQUENCY_MS, type NodeFaultMode } from './node-fault.js';
import { generatePodStatus } from './pod-status.js';
import { PodWorker, type PodWorkerHost } from './pod-worker.js';

export interface KubeletSettings {
  /** One image pull at a time per node (the kubelet default). */
  readonly serializeImagePulls: boolean;
  /** How often the node status is posted when nothing changed (5 min). */
  readonly nodeStatusReportFrequencyMs: number;
  /** How often the node lease is renewed (10 s). */
  readonly leaseRenewIntervalMs: number;
  /** From the Node object's creation to the kubelet reporting Ready. */
  readonly nodeReadyDelay: Distribution;
}

export const DEFAULT_KUBELET_SETTINGS: KubeletSettings = {
  serializeImagePulls: true,
  nodeStatusReportFrequencyMs: 5 * 60 * 1000,
  leaseRenewIntervalMs: 10 * 1000,
  nodeReadyDelay: constant(0),
};

export const NOT_READY_TAINT_KEY = 'node.kubernetes.io/not-ready';

/** What the scenario says a node is. */
export interface NodeRegistration {
  readonly name: string;
  /** Position among all nodes ever added; derives the node's addresses. */
  readonly index: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly capacity: ResourceList;
  readonly unschedulable?: boolean;
  /** Overrides the settings' nodeReadyDelay for this node. */
  readonly readyDelay?: Distribution;
}

/**
 * A pod object a kubelet's status write stored, with the writer, until the write comes back
 * through the watch (see KubeletManager).
 */
export interface OwnWrite {
  readonly pod: DeepReadonly<Pod>;
  readonly kubelet: Kubelet;
  readonly worker: PodWorker;
}

/** More own status writes than this waiting to come back means one never will (see syncStatus). */
const OWN_WRITES_LIMIT = 100_000;

export class Kubelet implements PodWorkerHost {
  readonly images: ImageManager;
  readonly hostIP: string;
  private readonly workers = new Map<string, PodWorker>();
  private readonly waiting = new Map<string, DeepReadonly<Pod>>();
  private readonly podSubnet: string;
  private nextPodAddress = 0;
  private ready = false;
  private runningSince: Time | undefined;
  private reportTimer: Timer | undefined;
  private readyTimer: Timer | undefined;
  private statusFixTimer: Timer | undefined;
  private faultMode: NodeFaultMode | undefined;
  /** The last lease renewal before the fault (renewals stop with it). */
  private frozenLease: Time | undefined;
  private stoppedAt: Time = 0;
  private imageList: ContainerImage[] | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    readonly registration: NodeRegistration,
    readonly catalog: ImageCatalog,
    private readonly settings: KubeletSettings,
    readonly rng: Rng,
    /** Where the status writes are queued for their return (none: they come back as any update). */
    private readonly ownWrites?: OwnWrite[],
  ) {
    const index = registration.index;
    // Never a network (.0), gateway (.1) or broadcast (.255) address.
    this.hostIP = `172.16.${Math.floor(index / 250) % 256}.${(index % 250) + 2}`;
    this.podSubnet = `10.${(index >> 8) & 255}.${index & 255}`;
    this.images = new ImageManager(ctx.sim, rng, settings.serializeImagePulls, () => {
      this.imageList = undefined;
      this.postNodeStatus();
    });
  }

  get sim() {
    return this.ctx.sim;
  }

  get nodeName(): string {
    return this.registration.name;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Pods this kubelet is running. */
  get podCount(): number {
    return this.workers.size;
  }

  /** The fault the node is in (failNode), or undefined when it runs normally. */
  get fault(): NodeFaultMode | undefined {
    return this.faultMode;
  }

  /**
   * The last lease renewal at `now`: frozen at the last one before a fault, undefined once the
   * machine is gone (its Node was deleted, and the Lease with it).
   */
  lastLeaseRenewal(now: Time): Time | undefined {
    if (this.faultMode !== undefined) return this.frozenLease;
    if (this.runningSince === undefined) return undefined;
    const interval = this.settings.leaseRenewIntervalMs;
    return this.runningSince + Math.floor((now - this.runningSince) / interval) * interval;
  }

  /** How often the lease is being renewed from now on; undefined while renewals are stopped. */
  get leaseRenewInterval(): number | undefined {
    return this.faultMode === undefined && this.runningSince !== undefined ? this.settings.leaseRenewIntervalMs : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Node registration and status

  /**
   * Creates the Node object and turns Ready after the node's ready delay; until then it is
   * NotReady and tainted not-ready. A node ready at once registers Ready.
   */
  register(): void {
    const r = this.registration;
    const now = this.sim.now;
    const delay = sample(r.readyDelay ?? this.settings.nodeReadyDelay, this.rng);
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: r.name, labels: { ...r.labels } },
      spec: { taints: [...r.taints, { key: NOT_READY_TAINT_KEY, effect: 'NoSchedule', timeAdded: now }], podCIDR: `${this.podSubnet}.0/24` },
      status: {
        capacity: { ...r.capacity },
        allocatable: { ...r.capacity },
        conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime status check may not have completed yet', lastHeartbeatTime: now, lastTransitionTime: now }],
        addresses: [{ type: 'InternalIP', address: this.hostIP }, { type: 'Hostname', address: r.name }],
      },
    };
    if (r.unschedulable) node.spec.unschedulable = true;
    if (delay === 0) {
      node.spec.taints = [...r.taints];
      node.status!.conditions = [readyCondition(now)];
    }
    this.ctx.api.create(node);
    this.runningSince = now;
    if (delay === 0) this.markReady();
    else this.readyTimer = this.sim.schedule(delay, () => this.becomeReady());
  }

  /** The runtime is up: Ready. The not-ready taint is the node lifecycle controller's to remove. */
  private becomeReady(): void {
    this.readyTimer = undefined;
    if (this.runningSince === undefined) return;
    this.markReady();
    this.postNodeStatus();
  }

  private markReady(): void {
    this.ready = true;
    this.scheduleReport();
    for (const pod of this.waiting.values()) this.startPod(pod);
    this.waiting.clear();
  }

  /** Posts node status: Ready with a fresh heartbeat, and the images present. */
  postNodeStatus(): void {
    if (this.faultMode !== undefined) return;
    const node = this.ctx.api.get<Node>('Node', undefined, this.nodeName);
    if (node === undefined || !this.ready) return;
    const now = this.sim.now;
    const previousHeartbeat = getCondition(node.status?.conditions, 'Ready')?.lastHeartbeatTime;
    const conditions = setCondition(node.status?.conditions, readyCondition(now), now);
    // One list per set of images, shared by every status report until an image lands.
    const images = (this.imageList ??= [...this.images.images()].map(([name, sizeBytes]) => ({ names: [name], sizeBytes })));
    // The whole status, rebuilt as upstream's status setters rebuild it on a copy of the Node
    // (setNodeStatus), written field by field in the order the Node was registered with rather
    // than spread from the stored one: this runs for every node every 5 minutes (864,000 times
    // for 100 nodes over 30 days), and an object spread of an object that was itself spread costs
    // V8 several times a literal. Fields the kubelet does not set are the stored ones, shared,
    // so the API server's comparison and every watcher find them unchanged at a glance. The
    // request carries only what a status write reads (kind, metadata, status).
    const stored = node as Node;
    const s = stored.status;
    const status: Node['status'] = { capacity: s?.capacity, allocatable: s?.allocatable, conditions, addresses: s?.addresses, images };
    // A Ready condition with another heartbeat time is a changed status: the server need not compare.
    this.ctx.api.updateStatus<Node>({ apiVersion: stored.apiVersion, kind: 'Node', metadata: stored.metadata, spec: stored.spec, status }, previousHeartbeat !== now);
  }

  private scheduleReport(): void {
    this.reportTimer?.cancel();
    this.reportTimer = this.sim.schedule(this.settings.nodeStatusReportFrequencyMs, () => {
      this.postNodeStatus();
      this.scheduleReport();
    });
  }

  /**
   * Its Node changed. When the Ready condition is no longer the kubelet's own (the node
   * lifecycle controller marked it Unknown while the kubelet was running), the next pass of the
   * status loop posts Ready again, and the status manager rewrites its pods' statuses.
   */
  nodeChanged(node: DeepReadonly<Node>): void {
    if (this.faultMode !== undefined || !this.ready || this.runningSince === undefined || this.statusFixTimer !== undefined) return;
    if (node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True') return;
    const since = this.runningSince;
    const every = NODE_STATUS_UPDATE_FREQUENCY_MS;
    const next = since + (Math.floor((this.sim.now - since) / every) + 1) * every;
    this.statusFixTimer = this.sim.scheduleAt(next, () => {
      this.statusFixTimer = undefined;
      const live = this.ctx.api.get<Node>('Node', undefined, this.nodeName);
      if (this.faultMode !== undefined || live?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True') return;
      this.postNodeStatus();
      for (const worker of this.workers.values()) if (!worker.terminating) this.syncStatus(worker);
    });
  }

  /** The machine is gone (its Node was deleted): stop everything. */
  shutdown(): void {
    this.ready = false;
    this.runningSince = undefined;
    this.faultMode = undefined;
    this.frozenLease = undefined;
    this.reportTimer?.cancel();
    this.readyTimer?.cancel();
    this.statusFixTimer?.cancel();
    this.images.reset();
    for (const worker of this.workers.values()) worker.stop();
    this.workers.clear();
    this.waiting.clear();
  }

  // -------------------------------------------------------------------------------------------
  // Faults (node-fault.ts)

  /** failNode: the node stops, or is cut off from the control plane. Returns whether it was running. */
  fail(mode: NodeFaultMode): boolean {
    if (this.faultMode !== undefined || this.runningSince === undefined) return false;
    const now = this.sim.now;
    this.frozenLease = this.lastLeaseRenewal(now);
    this.faultMode = mode;
    this.reportTimer?.cancel();
    this.statusFixTimer?.cancel();
    this.statusFixTimer = undefined;
    if (mode === 'stopped') {
      this.stoppedAt = now;
      this.ready = false;
      this.readyTimer?.cancel();
      this.readyTimer = undefined;
      this.images.reset();
      for (const worker of this.workers.values()) worker.stop();
      this.workers.clear();
      this.waiting.clear();
    }
    return true;
  }

  /**
   * recoverNode: the kubelet renews its lease and posts status at once, then resyncs `pods` (every
   * pod bound to this node, as its relist sees them). Returns whether the node was failed.
   */
  recover(bound: Iterable<DeepReadonly<Pod>>): boolean {
    const mode = this.faultMode;
    if (mode === undefined) return false;
    this.faultMode = undefined;
    this.frozenLease = undefined;
    this.runningSince = this.sim.now;
    const pods = [...bound];
    if (mode === 'stopped') {
      this.ready = true;
      this.postNodeStatus();
      this.scheduleReport();
      for (const pod of pods) {
        const live = pod.metadata.deletionTimestamp === undefined && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
        if (live) this.startPod(pod, this.stoppedAt);
        else this.podChanged(pod);
      }
      return true;
    }
    this.postNodeStatus();
    if (this.ready) this.scheduleReport();
    const uids = new Set(pods.map((pod) => pod.metadata.uid ?? ''));
    for (const [uid, worker] of this.workers) {
      if (uids.has(uid)) continue;
      // The object went while the node was away (force-deleted, or its deletion confirmed by
      // nobody): the kubelet kills what is left at once.
      worker.stop();
      this.workers.delete(uid);
    }
    for (const pod of pods) this.podChanged(pod);
    for (const worker of this.workers.values()) if (!worker.terminating) this.syncStatus(worker);
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Pods

  /** A pod bound to this node was added or changed (as the kubelet's watch sees it). */
  podChanged(pod: DeepReadonly<Pod>): void {
    if (this.faultMode !== undefined) return;
    const uid = pod.metadata.uid ?? '';
    const worker = this.workers.get(uid);
    if (worker === undefined) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      if (pod.metadata.deletionTimestamp !== undefined) {
        this.stopWaiting(uid);
        this.forceDelete(pod);
        return;
      }
      if (this.ready) this.startPod(pod);
      else this.waiting.set(uid, pod);
      return;
    }
    this.workerChanged(worker, pod);
  }

  /**
   * The watch event of `pod`, which `worker`'s status write stored, coming back: podChanged(pod)
   * with the worker known. Returns false, having done nothing, when the event may not be the
   * worker's to see: the worker no longer runs (a running worker is the one in `workers` under
   * its uid, and its kubelet the one its node routes to), or the pod's spec is not the worker's
   * (a new spec may have bound the pod elsewhere). The caller then routes it as any other.
   */
  ownWriteSeen(worker: PodWorker, pod: DeepReadonly<Pod>): boolean {
    if (!worker.running || pod.spec !== worker.pod.spec) return false;
    if (this.faultMode === undefined) this.workerChanged(worker, pod);
    return true;
  }

  /** Its running worker's pod changed. */
  private workerChanged(worker: PodWorker, pod: DeepReadonly<Pod>): void {
    const deletionChanged = pod.metadata.deletionTimestamp !== undefined &&
      (pod.metadata.deletionTimestamp !== worker.pod.metadata.deletionTimestamp ||
        pod.metadata.deletionGracePeriodSeconds !== worker.pod.metadata.deletionGracePeriodSeconds);
    worker.update(pod);
    if (deletionChanged) worker.terminate(pod);
  }

  podDeleted(pod: DeepReadonly<Pod>): void {
    if (this.faultMode !== undefined) return;
    const uid = pod.metadata.uid ?? '';
    this.stopWaiting(uid);
    const worker = this.workers.get(uid);
    if (worker === undefined) return;
    worker.stop();
    this.workers.delete(uid);
  }

  /**
   * Forgets a pod waiting for the node to turn Ready. Only a node not Ready has any (markReady
   * starts them all): a Ready node's pod deletions leave its map of them untouched, an object
   * that has gone cold in the CPU's cache.
   */
  private stopWaiting(uid: string): void {
    if (!this.ready) this.waiting.delete(uid);
  }

  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  /** Runs a pod in a new sandbox; `stoppedAt` when it ran here before the node stopped then. */
  private startPod(pod: DeepReadonly<Pod>, stoppedAt?: Time): void {
    const address = `${this.podSubnet}.${(this.nextPodAddress++ % 253) + 2}`;
    const worker = new PodWorker(this, pod, address);
    this.workers.set(pod.metadata.uid ?? '', worker);
    if (stoppedAt !== undefined) worker.resumeAfterNodeStop(pod.status, stoppedAt);
    worker.start();
  }

  // -------------------------------------------------------------------------------------------
  // PodWorkerHost

  syncStatus(worker: PodWorker): void {
    // A partitioned kubelet's writes never reach the API server (its status is written again on recovery).
    if (this.faultMode !== undefined) return;
    const current = this.ctx.api.get<Pod>('Pod', worker.pod.metadata.namespace, worker.pod.metadata.name);
    if (current === undefined || current.metadata.uid !== worker.uid) return;
    // The stored status is the worker's own last one: the new one either is that very object
    // (nothing changed: no write, as the API server would find) or certainly differs from it,
    // and the server need not compare them.
    const own = current.status !== undefined && current.status === worker.generated;
    const status = generatePodStatus(worker, current.status, this.sim.now);
    if (own && status === current.status) return;
    const stored = this.ctx.api.updateStatus<Pod>(statusRequest(current, status), own);
    if (stored !== current && this.ownWrites !== undefined) {
      // A safety valve, never reached while every write comes back as an update (the queue holds
      // only the writes still inside the watch latency): should one never come back, the queue
      // is dropped rather than left to grow — routing by node and uid stays correct without it.
      if (this.ownWrites.length >= OWN_WRITES_LIMIT) this.ownWrites.length = 0;
      this.ownWrites.push({ pod: stored, kubelet: this, worker });
    }
  }

  /**
   * The final delete. A pod held by a finalizer (a Job's tracking finalizer) outlives it, so its
   * terminal phase is written first, as upstream's status manager does before every final
   * delete; for other pods that write is skipped, since nobody could read it.
   */
  deletePod(worker: PodWorker): void {
    this.workers.delete(worker.uid);
    // Cut off, the final delete is lost: the pod stays Terminating until the partition heals.
    if (this.faultMode !== undefined) return;
    const current = this.ctx.api.get<Pod>('Pod', worker.pod.metadata.namespace, worker.pod.metadata.name);
    if (current !== undefined && current.metadata.uid === worker.uid && (current.metadata.finalizers?.length ?? 0) > 0) {
      const status = generatePodStatus(worker, current.status, this.sim.now, true);
      this.ctx.api.updateStatus<Pod>(statusRequest(current, status));
    }
    this.forceDelete(worker.pod);
  }

  private forceDelete(pod: DeepReadonly<Pod>): void {
    try {
      this.ctx.api.delete('Pod', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (error) {
      if (!isApiError(error, 'NotFound') && !isApiError(error, 'Conflict')) throw error;
    }
  }

  emit(type: string, worker: PodWorker, fields: Record<string, string | number>): void {
    const owner = worker.pod.metadata.ownerReferences?.find((ref) => ref.controller);
    this.ctx.events.emit(type, {
      kind: 'Pod',
      namespace: worker.pod.metadata.namespace,
      name: worker.pod.metadata.name,
      node: this.nodeName,
      owner: owner ? `${owner.kind}/${owner.name}` : undefined,
    }, fields);
  }
}

/**
 * A pod status write: the stored pod with `status` in place of its own. Built as a literal of the
 * fields a status write reads (kind, metadata, status) and the spec, rather than spread from the
 * stored pod: a spread copies every key of an object that was itself spread (the API server
 * stores copies), which costs V8 several times a literal, and every pod's status is written
 * about three times in its life.
 */
function statusRequest(current: DeepReadonly<Pod>, status: PodStatus): Pod {
  const pod = current as Pod;
  return { apiVersion: pod.apiVersion, kind: pod.kind, metadata: pod.metadata, spec: pod.spec, status };
}

function readyCondition(now: Time): Condition {
  return { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now };
}
