/**
 * Every node's kubelet, and the routing of pod watch events to the kubelet of the pod's node
 * (each real kubelet watches the pods with its `spec.nodeName`; one shared watch here). A
 * kubelet's own status writes, coming back, go straight to the pod worker that wrote them.
 *
 * Also what the node lifecycle controller reads of each node's Lease (kube-node-lease): its
 * renewTime, computed on demand from the kubelet rather than written every 10 s, and a
 * notification when a kubelet stops or resumes renewing (failNode / recoverNode), so the
 * controller can work out when a lease goes stale instead of polling every node.
 */
import type { Node } from '../api/types/node.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import type { ControllerContext } from '../controllers/controller.js';
import { INDEX_NODE_NAME, type Informer, podNodeName, podSpecOf } from '../cluster/informer.js';
import type { Time } from '../api/types/meta.js';
import type { ImageCatalog } from './image-profile.js';
import { DEFAULT_KUBELET_SETTINGS, Kubelet, type KubeletSettings, type NodeRegistration, type OwnWrite } from './kubelet.js';
import type { NodeFaultMode } from './node-fault.js';

export class KubeletManager {
  private readonly kubelets = new Map<string, Kubelet>();
  private readonly pods: Informer<Pod>;
  private readonly leaseListeners: ((nodeName: string) => void)[] = [];
  /**
   * The kubelets' status writes, in commit order, until each comes back through the watch (after
   * the watch latency, so few at a time). Most pod updates a kubelet sees are its own status
   * writes coming back: these go straight to the worker that wrote them, without finding its
   * kubelet by node name and the worker by uid — two lookups in maps whose entries have gone
   * cold by then, which were most of the cost of such an event. A queue, not a map keyed by the
   * stored object: the watch delivers every commit once, in commit order, each write as an update
   * of the object cached before it, so the next write to come back is always the first one
   * queued, recognised by identity at no cost.
   */
  private readonly ownWrites: OwnWrite[] = [];

  constructor(
    private readonly ctx: ControllerContext,
    private readonly catalog: ImageCatalog,
    private readonly settings: KubeletSettings = DEFAULT_KUBELET_SETTINGS,
  ) {
    const pods = (this.pods = ctx.informers.forKind<Pod>('Pod').addIndex(INDEX_NODE_NAME, podNodeName, podSpecOf));
    pods.addEventHandler({
      add: (pod) => this.route(pod)?.podChanged(pod),
      update: (_old, pod) => this.podUpdated(pod),
      delete: (pod) => this.route(pod)?.podDeleted(pod),
    });
    ctx.informers.forKind<Node>('Node').addEventHandler({
      update: (_old, node) => this.kubelets.get(node.metadata.name)?.nodeChanged(node),
      delete: (node) => this.nodeDeleted(node),
    });
  }

  /**
   * Starts a kubelet for a new node; it registers the Node object at once, then lists the pods
   * already bound to the node's name (as a kubelet's initial list does).
   */
  addNode(registration: NodeRegistration): Kubelet {
    const rng = this.ctx.random.stream(`kubelet/${registration.name}`);
    const kubelet = new Kubelet(this.ctx, registration, this.catalog, this.settings, rng, this.ownWrites);
    this.kubelets.set(registration.name, kubelet);
    kubelet.register();
    for (const pod of this.pods.byIndex(INDEX_NODE_NAME, registration.name).values()) kubelet.podChanged(pod);
    return kubelet;
  }

  kubelet(nodeName: string): Kubelet | undefined {
    return this.kubelets.get(nodeName);
  }

  /** Node names in the order their kubelets started. */
  nodeNames(): IterableIterator<string> {
    return this.kubelets.keys();
  }

  /** failNode on one node; returns whether its kubelet was running. */
  failNode(nodeName: string, mode: NodeFaultMode): boolean {
    const failed = this.kubelets.get(nodeName)?.fail(mode) ?? false;
    if (failed) for (const listener of this.leaseListeners) listener(nodeName);
    return failed;
  }

  /** recoverNode on one node; returns whether it was failed. */
  recoverNode(nodeName: string): boolean {
    const kubelet = this.kubelets.get(nodeName);
    const recovered = kubelet?.recover(this.pods.byIndex(INDEX_NODE_NAME, nodeName).values()) ?? false;
    if (recovered) for (const listener of this.leaseListeners) listener(nodeName);
    return recovered;
  }

  // -------------------------------------------------------------------------------------------
  // The node leases (NodeLeases of the node lifecycle controller)

  /** The Lease's renewTime at `now`; undefined when the node has no lease. */
  leaseRenewTime(nodeName: string, now: Time): Time | undefined {
    return this.kubelets.get(nodeName)?.lastLeaseRenewal(now);
  }

  /** The renewal interval while the lease is being renewed; undefined while it is not. */
  leaseRenewInterval(nodeName: string): number | undefined {
    return this.kubelets.get(nodeName)?.leaseRenewInterval;
  }

  /** `listener` runs when a kubelet stops or resumes renewing its lease. */
  onLeaseChange(listener: (nodeName: string) => void): void {
    this.leaseListeners.push(listener);
  }

  private podUpdated(pod: DeepReadonly<Pod>): void {
    const write = this.ownWrites.length > 0 ? this.ownWrites[0] : undefined;
    if (write !== undefined && write.pod === pod) {
      this.ownWrites.shift();
      if (write.kubelet.ownWriteSeen(write.worker, pod)) return;
    }
    this.route(pod)?.podChanged(pod);
  }

  private route(pod: DeepReadonly<Pod>): Kubelet | undefined {
    const nodeName = pod.spec.nodeName;
    return nodeName ? this.kubelets.get(nodeName) : undefined;
  }

  private nodeDeleted(node: DeepReadonly<Node>): void {
    const kubelet = this.kubelets.get(node.metadata.name);
    if (kubelet === undefined) return;
    kubelet.shutdown();
    this.kubelets.delete(node.metadata.name);
  }
}
