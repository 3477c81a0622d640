/**
 * Every node's kubelet, and the routing of pod watch events to the kubelet of the pod's node
 * (each real kubelet watches the pods with its `spec.nodeName`; one shared watch here).
 */
import type { Node } from '../api/types/node.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import type { ControllerContext } from '../controllers/controller.js';
import { INDEX_NODE_NAME, type Informer } from '../cluster/informer.js';
import type { ImageCatalog } from './image-profile.js';
import { DEFAULT_KUBELET_SETTINGS, Kubelet, type KubeletSettings, type NodeRegistration } from './kubelet.js';

export class KubeletManager {
  private readonly kubelets = new Map<string, Kubelet>();
  private readonly pods: Informer<Pod>;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly catalog: ImageCatalog,
    private readonly settings: KubeletSettings = DEFAULT_KUBELET_SETTINGS,
  ) {
    const pods = (this.pods = ctx.informers.forKind<Pod>('Pod').addIndex(INDEX_NODE_NAME, (pod) => pod.spec.nodeName ?? ''));
    pods.addEventHandler({
      add: (pod) => this.route(pod)?.podChanged(pod),
      update: (_old, pod) => this.route(pod)?.podChanged(pod),
      delete: (pod) => this.route(pod)?.podDeleted(pod),
    });
    ctx.informers.forKind<Node>('Node').addEventHandler({
      delete: (node) => this.nodeDeleted(node),
    });
  }

  /**
   * Starts a kubelet for a new node; it registers the Node object at once, then lists the pods
   * already bound to the node's name (as a kubelet's initial list does).
   */
  addNode(registration: NodeRegistration): Kubelet {
    const kubelet = new Kubelet(this.ctx, registration, this.catalog, this.settings, this.ctx.random.stream(`kubelet/${registration.name}`));
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
