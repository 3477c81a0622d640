/**
 * The scheduler's cache of nodes and the pods on them (pkg/scheduler/internal/cache/cache.go).
 *
 * Nodes are listed in the order they were added (deleted ones removed); that list is what a
 * cycle walks, starting at a rotating index. A pod is "assumed" on its node from the moment the
 * scheduler picks the node, so the next cycle already sees its requests, and confirmed when the
 * binding comes back through the watch. Pods bound to a node the cache does not know (yet, or
 * any more) are kept on a node-less NodeInfo, so a node that comes back finds them counted.
 *
 * Deliberate differences: nodes are listed in insertion order, not zone-interleaved (upstream's
 * nodeTree); the node list is live rather than snapshotted per cycle (cycles do not overlap);
 * assumed pods never expire (upstream's default since 1.26 too); an image's node count is
 * always current, where upstream freezes it into each node's summary when the node is added.
 */
import { deepEqual } from '../util/objects.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Node } from '../api/types/node.js';
import type { Pod } from '../api/types/pod.js';
import { type ImageStateSummary, NodeInfo, NodeTable, type PodResources, SlotSet } from './node-info.js';
import type { ImageLocalityHandle } from './plugins/image-locality.js';
import { PodMap } from './pod-map.js';
import type { PodInfo } from './pod-info.js';
import { computePodResources } from './pod-resources.js';

interface PodState {
  nodeName: string;
  resources: PodResources;
  /** The container lists the resources were computed from (reused while unchanged). */
  containers: DeepReadonly<Pod>['spec']['containers'];
  initContainers: DeepReadonly<Pod>['spec']['initContainers'];
  /** Picked by the scheduler, binding not yet observed. */
  assumed: boolean;
}

/** Nodes, the pods on them (assumed ones included) and image spread. */
export class SchedulerCache implements ImageLocalityHandle {
  /** Every NodeInfo, node-less ones holding pods included. */
  private readonly nodes = new Map<string, NodeInfo>();
  /** NodeInfos with a Node, in the order nodes were added. */
  private readonly list: NodeInfo[] = [];
  /** The table slots of `list`'s nodes, in the same order. */
  private slots = new Int32Array(64);
  private readonly podStates = new PodMap<PodState>();
  private readonly images = new Map<string, ImageStateSummary>();
  private imagesChanges = 0;
  private readonly table = new NodeTable();

  /** Nodes with a Node object, in the order they were added; do not modify. */
  get nodeList(): readonly NodeInfo[] {
    return this.list;
  }

  /**
   * The table slots of nodeList's nodes, in the same order (the first nodeList.length entries);
   * do not modify, nor keep across changes of the list. A cycle's loops read these instead of
   * loading every NodeInfo only for its slot: the objects lie all over the heap, the slots in
   * one small array.
   */
  get nodeSlots(): Int32Array {
    return this.slots;
  }

  get numNodes(): number {
    return this.list.length;
  }

  imageState(name: string): ImageStateSummary | undefined {
    return this.images.get(name);
  }

  /** Moves on whenever numNodes or any image state changes (ImageLocality's shortcut). */
  get imagesVersion(): number {
    return this.imagesChanges;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** Whether the pod is assumed. */
  isAssumed(namespace: string | undefined, name: string): boolean {
    return this.podStates.get(namespace, name)?.assumed === true;
  }

  /** Pods the cache counts (assumed ones included). */
  get podCount(): number {
    return this.podStates.size;
  }

  // ---------------------------------------------------------------------------------------
  // Nodes

  addNode(node: DeepReadonly<Node>): NodeInfo {
    const info = this.getOrCreate(node.metadata.name);
    if (info.node !== undefined) return this.updateNode(info.node, node);
    info.setNode(node);
    if (this.list.length === this.slots.length) {
      const grown = new Int32Array(2 * this.slots.length);
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots[this.list.length] = info.slot;
    this.list.push(info);
    this.imagesChanges++;
    this.addNodeImageStates(info);
    return info;
  }

  updateNode(oldNode: DeepReadonly<Node>, newNode: DeepReadonly<Node>): NodeInfo {
    const info = this.nodes.get(newNode.metadata.name);
    if (info === undefined || info.node === undefined) return this.addNode(newNode);
    info.setNode(newNode);
    if (!deepEqual(oldNode.status?.images, newNode.status?.images)) {
      this.removeNodeImageStates(info);
      this.addNodeImageStates(info);
      // ImageLocality reads which images the node holds: memoised scores must not survive.
      info.touch();
    }
    return info;
  }

  removeNode(node: DeepReadonly<Node>): void {
    const info = this.nodes.get(node.metadata.name);
    if (info === undefined || info.node === undefined) return;
    const index = this.list.indexOf(info);
    this.list.splice(index, 1);
    this.slots.copyWithin(index, index + 1, this.list.length + 1);
    this.imagesChanges++;
    this.removeNodeImageStates(info);
    info.clearNode();
    if (info.podCount === 0) this.deleteNodeInfo(info);
  }

  // ---------------------------------------------------------------------------------------
  // Pods

  /** Counts a pod on the node the scheduler chose, before its binding is observed (AssumePod). */
  assumePod(pod: PodInfo, nodeName: string): void {
    const { namespace, name } = pod.pod.metadata;
    this.place(namespace, name, { nodeName, resources: pod.resources, containers: pod.pod.spec.containers, initContainers: pod.pod.spec.initContainers, assumed: true });
  }

  /** Undoes assumePod after a failed binding (ForgetPod). */
  forgetPod(namespace: string | undefined, name: string): void {
    if (this.isAssumed(namespace, name)) this.unplace(namespace, name);
  }

  /**
   * An assigned pod appeared, or the binding of an assumed one was observed (AddPod). True when
   * it confirmed a pod this scheduler had assumed on that node.
   */
  addPod(pod: DeepReadonly<Pod>): boolean {
    const { namespace, name } = pod.metadata;
    const { containers, initContainers } = pod.spec;
    const nodeName = pod.spec.nodeName as string;
    const previous = this.podStates.get(namespace, name);
    const resources = this.resourcesFor(pod, previous);
    if (previous !== undefined && previous.nodeName === nodeName && previous.resources === resources) {
      // The binding of an assumed pod, as a rule: taking the same requests off the same node
      // and putting them back would leave every number as it is (integer sums), so only the
      // state changes — in place (states are the cache's own), and the node's row keeps its
      // version, so score memos stay valid.
      const confirmed = previous.assumed;
      previous.containers = containers;
      previous.initContainers = initContainers;
      previous.assumed = false;
      return confirmed;
    }
    if (previous !== undefined) this.unplace(namespace, name);
    this.place(namespace, name, { nodeName, resources, containers, initContainers, assumed: false });
    return false;
  }

  /** An assigned pod changed (UpdatePod); only a container change moves any numbers. */
  updatePod(newPod: DeepReadonly<Pod>): void {
    const previous = this.podStates.get(newPod.metadata.namespace, newPod.metadata.name);
    // Status writes keep the container lists: then nothing the cache counts has changed.
    const unchanged =
      previous !== undefined && !previous.assumed && previous.containers === newPod.spec.containers && previous.initContainers === newPod.spec.initContainers;
    if (!unchanged && (previous === undefined || previous.assumed || this.resourcesFor(newPod, previous) !== previous.resources)) this.addPod(newPod);
  }

  /** An assigned pod was deleted or finished (RemovePod). */
  removePod(pod: DeepReadonly<Pod>): void {
    this.unplace(pod.metadata.namespace, pod.metadata.name);
  }

  // ---------------------------------------------------------------------------------------
  // Internals

  /** The pod's resources: the state's while its container lists are the same objects. */
  private resourcesFor(pod: DeepReadonly<Pod>, previous: PodState | undefined): PodResources {
    const { containers, initContainers } = pod.spec;
    const same = previous !== undefined && previous.containers === containers && previous.initContainers === initContainers;
    return same ? previous.resources : computePodResources(pod);
  }

  private place(namespace: string | undefined, name: string, state: PodState): void {
    this.podStates.set(namespace, name, state);
    this.getOrCreate(state.nodeName).addPod(state.resources);
  }

  private unplace(namespace: string | undefined, name: string): void {
    const state = this.podStates.get(namespace, name);
    if (state === undefined) return;
    this.podStates.delete(namespace, name);
    const info = this.nodes.get(state.nodeName) as NodeInfo;
    info.removePod(state.resources);
    if (info.node === undefined && info.podCount === 0) this.deleteNodeInfo(info);
  }

  private getOrCreate(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (info === undefined) this.nodes.set(name, (info = new NodeInfo(name, this.table)));
    return info;
  }

  private deleteNodeInfo(info: NodeInfo): void {
    this.nodes.delete(info.name);
    info.release();
  }

  /** Registers the node's images; a name reported twice counts once. */
  private addNodeImageStates(info: NodeInfo): void {
    this.imagesChanges++;
    for (const image of info.node?.status?.images ?? []) {
      for (const name of image.names) {
        if (info.imageStates.has(name)) continue;
        let state = this.images.get(name);
        if (state === undefined) this.images.set(name, (state = { size: image.sizeBytes ?? 0, numNodes: 0, slots: new SlotSet() }));
        state.numNodes++;
        state.slots.add(info.slot);
        info.imageStates.set(name, state);
      }
    }
  }

  private removeNodeImageStates(info: NodeInfo): void {
    this.imagesChanges++;
    for (const [name, state] of info.imageStates) {
      state.slots.delete(info.slot);
      if (--state.numNodes === 0) this.images.delete(name);
    }
    info.imageStates.clear();
  }
}
