/**
 * What the scheduler knows about one node: allocatable and requested resources, the pod count,
 * labels, taints, the unschedulable flag and the images it holds
 * (pkg/scheduler/framework/types.go: Resource, NodeInfo, ImageStateSummary).
 *
 * Requested sums are kept incrementally — a pod added or removed adjusts a handful of numbers —
 * so filters and scores read one row of a {@link NodeTable} and never walk a node's pods. The
 * table also stamps each row with a version on every change of anything a plugin reads of the
 * node (what lets scores and verdicts be memoised across cycles) and counts the nodes with each
 * {@link NodeTraits} bit (what lets a filter or score that concerns no node skip the batch).
 *
 * Deliberate gaps: no per-node pod list (nothing here needs one: inter-pod affinity and
 * topology spreading are not modelled), no used host ports, no PVC reference counts.
 */
import { deepEqual } from '../util/objects.js';
import { milliValue, wholeValue } from '../api/quantity.js';
import type { Labels } from '../api/label-selector.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Node, Taint } from '../api/types/node.js';
import type { ResourceList } from '../api/types/pod.js';

const EMPTY_TAINTS: readonly DeepReadonly<Taint>[] = [];

/**
 * True for resources the scheduler tracks by name besides cpu, memory, ephemeral-storage and
 * pods: extended (`example.com/gpu`), hugepages, `*kubernetes.io/*` and attachable volumes
 * (pkg/scheduler/util: IsScalarResourceName). Other names are ignored, as upstream does.
 */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  if (name.includes('kubernetes.io/')) return true;
  return name.includes('/') && !name.startsWith('requests.');
}

/**
 * An amount of each resource (framework.Resource): CPU in millicores, memory and ephemeral
 * storage in bytes, a pod count, and scalar resources by name (allocated only when present).
 */
export class Resource {
  milliCpu = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  scalar: Map<string, number> | undefined = undefined;

  /** Parses a ResourceList; unknown names are ignored. */
  static fromList(list: DeepReadonly<ResourceList> | undefined): Resource {
    const resource = new Resource();
    if (list !== undefined) resource.addList(list);
    return resource;
  }

  private addList(list: DeepReadonly<ResourceList>): void {
    for (const name in list) {
      const value = list[name];
      switch (name) {
        case 'cpu':
          this.milliCpu += milliValue(value);
          break;
        case 'memory':
          this.memory += wholeValue(value);
          break;
        case 'ephemeral-storage':
          this.ephemeralStorage += wholeValue(value);
          break;
        case 'pods':
          this.allowedPodNumber += wholeValue(value);
          break;
        default:
          if (isScalarResourceName(name)) this.addScalar(name, wholeValue(value));
      }
    }
  }

  addScalar(name: string, amount: number): void {
    this.scalar ??= new Map();
    this.scalar.set(name, (this.scalar.get(name) ?? 0) + amount);
  }

  scalarValue(name: string): number {
    return this.scalar?.get(name) ?? 0;
  }

  add(other: Resource): void {
    this.milliCpu += other.milliCpu;
    this.memory += other.memory;
    this.ephemeralStorage += other.ephemeralStorage;
    this.allowedPodNumber += other.allowedPodNumber;
    if (other.scalar !== undefined) for (const [name, amount] of other.scalar) this.addScalar(name, amount);
  }

  /** Raises each resource to at least `other`'s amount (resourcehelper's maxResourceList). */
  setMax(other: Resource): void {
    this.milliCpu = Math.max(this.milliCpu, other.milliCpu);
    this.memory = Math.max(this.memory, other.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, other.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, other.allowedPodNumber);
    if (other.scalar === undefined) return;
    for (const [name, amount] of other.scalar) if (amount > this.scalarValue(name)) (this.scalar ??= new Map()).set(name, amount);
  }

  /** Whether every amount equals `other`'s (scalar resources absent and 0 count alike). */
  equals(other: Resource): boolean {
    if (this.milliCpu !== other.milliCpu || this.memory !== other.memory) return false;
    if (this.ephemeralStorage !== other.ephemeralStorage || this.allowedPodNumber !== other.allowedPodNumber) return false;
    for (const [name, amount] of this.scalar ?? []) if (other.scalarValue(name) !== amount) return false;
    for (const [name, amount] of other.scalar ?? []) if (this.scalarValue(name) !== amount) return false;
    return true;
  }

  /** The amount of a resource by its API name, in the units above. */
  amount(name: string): number {
    switch (name) {
      case 'cpu':
        return this.milliCpu;
      case 'memory':
        return this.memory;
      case 'ephemeral-storage':
        return this.ephemeralStorage;
      case 'pods':
        return this.allowedPodNumber;
      default:
        return this.scalarValue(name);
    }
  }
}

/**
 * What a pod takes from a node: its actual requests, and CPU and memory in the non-zero form
 * scoring uses (100 m and 200 MiB for containers that request nothing; pod-resources.ts).
 */
export interface PodResources {
  readonly requests: Resource;
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
}

/** Whether two pods take the same from a node: equal requests and non-zero requests. */
export function samePodResources(a: PodResources, b: PodResources): boolean {
  return a.nonZeroMilliCpu === b.nonZeroMilliCpu && a.nonZeroMemory === b.nonZeroMemory && a.requests.equals(b.requests);
}

/**
 * An image as ImageLocality sees it. One summary per image name is shared by every node that
 * holds the image, so `numNodes` is always the current spread (see scheduler-cache.ts).
 */
export interface ImageStateSummary {
  /** Bytes, from the first node that reported the image. */
  readonly size: number;
  numNodes: number;
  /** Table slots of the nodes holding the image (numNodes of them): a cheap membership test. */
  readonly slots: SlotSet;
}

/** Rows the table starts with; it doubles when full. */
const INITIAL_ROWS = 64;
/** Touches the table's change log remembers (a power of two). */
export const CHANGE_LOG_SIZE = 1024;

/**
 * A set of table rows, one byte per row: membership is a single load, where a Set<number>
 * hashes — ImageLocality asks it for every node it scores.
 */
export class SlotSet {
  private bytes = new Uint8Array(INITIAL_ROWS);

  has(slot: number): boolean {
    return slot < this.bytes.length && this.bytes[slot] === 1;
  }

  add(slot: number): void {
    if (slot >= this.bytes.length) {
      let length = this.bytes.length;
      while (length <= slot) length *= 2;
      const grown = new Uint8Array(length);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[slot] = 1;
  }

  delete(slot: number): void {
    if (slot < this.bytes.length) this.bytes[slot] = 0;
  }
}

/**
 * Facts about a node's spec that let a plugin skip whole batches when no node has them
 * (NodeTable.nodesWith): the bits of NodeInfo.traits.
 */
export const NodeTraits = {
  /** spec.unschedulable (NodeUnschedulable). */
  Cordoned: 1,
  /** A NoSchedule or NoExecute taint (TaintToleration's filter). */
  HardTaint: 2,
  /** A PreferNoSchedule taint (TaintToleration's score). */
  SoftTaint: 4,
} as const;
const TRAIT_BITS = 3;

/** The NodeTraits bits of a node spec. */
function traitsOf(unschedulable: boolean, taints: readonly DeepReadonly<Taint>[]): number {
  let traits = unschedulable ? NodeTraits.Cordoned : 0;
  for (const taint of taints) {
    if (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') traits |= NodeTraits.HardTaint;
    else if (taint.effect === 'PreferNoSchedule') traits |= NodeTraits.SoftTaint;
  }
  return traits;
}

/**
 * The numbers filtering and scoring read for every node, one typed-array column per quantity,
 * one row per NodeInfo (its `slot`). Columns of plain doubles keep the hot loops free of
 * pointer chasing and of V8 field-representation changes (a memory sum outgrowing a small
 * integer would otherwise re-shape every node object).
 *
 * Columns are replaced when the table grows: read them through the table each cycle, never
 * keep one across cycles.
 *
 * The table also counts the nodes with each {@link NodeTraits} bit, so a filter or score whose
 * trait no node has can answer for a whole batch at once. Every NodeInfo of a scheduling batch
 * belongs to one table: a cache's NodeInfos share the cache's, standalone ones the default.
 */
export class NodeTable {
  allocatableMilliCpu = new Float64Array(INITIAL_ROWS);
  allocatableMemory = new Float64Array(INITIAL_ROWS);
  allocatableEphemeralStorage = new Float64Array(INITIAL_ROWS);
  allowedPodNumber = new Float64Array(INITIAL_ROWS);
  requestedMilliCpu = new Float64Array(INITIAL_ROWS);
  requestedMemory = new Float64Array(INITIAL_ROWS);
  requestedEphemeralStorage = new Float64Array(INITIAL_ROWS);
  /** Non-zero CPU and memory requests, for LeastAllocated scoring. */
  nonZeroMilliCpu = new Float64Array(INITIAL_ROWS);
  nonZeroMemory = new Float64Array(INITIAL_ROWS);
  podCount = new Float64Array(INITIAL_ROWS);
  /**
   * A stamp per row, new whenever anything a plugin may read of the node changes — any number
   * of the row, and (NodeInfo.touch) its labels, taints, unschedulable flag or images — and
   * when the row is handed to another node: memos (score-memo.ts) keep a score or a verdict only
   * while the stamp they saw stays. Stamps come from one counter per table, so a stamp is never
   * seen twice, even on a reused row.
   */
  version = new Float64Array(INITIAL_ROWS);
  private readonly freeRows: number[] = [];
  private rows = 0;
  private clock = 0;
  /** The row of each of the last CHANGE_LOG_SIZE touches, at its stamp modulo the size. */
  private readonly changeLog = new Int32Array(CHANGE_LOG_SIZE);
  /** Nodes with each trait bit, indexed by the bit's position. */
  private readonly traitCounts = new Float64Array(TRAIT_BITS);

  /** Rows the columns hold (they are replaced by bigger ones when the table grows). */
  get capacity(): number {
    return this.podCount.length;
  }

  /** A zeroed row for a new NodeInfo. */
  acquire(): number {
    const row = this.freeRows.pop() ?? this.rows++;
    if (row >= this.podCount.length) this.grow();
    for (const column of this.columns()) column[row] = 0;
    this.touch(row);
    return row;
  }

  /**
   * Gives the row a new version stamp, and logs it: call after changing any of its numbers, or
   * anything else plugins read of its node (NodeInfo.touch).
   */
  touch(row: number): void {
    const stamp = ++this.clock;
    this.version[row] = stamp;
    this.changeLog[stamp & (CHANGE_LOG_SIZE - 1)] = row;
  }

  /** The latest stamp given (0 before any): rows changed after a moment are those stamped later. */
  get lastStamp(): number {
    return this.clock;
  }

  /**
   * Calls `changed` with the row of every touch stamped after `since` (a row once per touch),
   * and returns true; or returns false, calling nothing, when the log no longer reaches back
   * that far — then any row may have changed. Lets a memo learn which rows changed without
   * comparing every row's stamp.
   */
  forEachChangeSince(since: number, changed: (row: number) => void): boolean {
    if (this.clock - since > CHANGE_LOG_SIZE) return false;
    for (let stamp = since + 1; stamp <= this.clock; stamp++) changed(this.changeLog[stamp & (CHANGE_LOG_SIZE - 1)]);
    return true;
  }

  release(row: number): void {
    this.freeRows.push(row);
  }

  /** How many of the table's nodes have `trait` (one NodeTraits bit). */
  nodesWith(trait: number): number {
    return this.traitCounts[31 - Math.clz32(trait)];
  }

  /** Moves a node's traits from `before` to `after` in the counts. */
  retrait(before: number, after: number): void {
    for (let bit = 0; bit < TRAIT_BITS; bit++) {
      this.traitCounts[bit] += ((after >> bit) & 1) - ((before >> bit) & 1);
    }
  }

  private columns(): Float64Array[] {
    return [
      this.allocatableMilliCpu,
      this.allocatableMemory,
      this.allocatableEphemeralStorage,
      this.allowedPodNumber,
      this.requestedMilliCpu,
      this.requestedMemory,
      this.requestedEphemeralStorage,
      this.nonZeroMilliCpu,
      this.nonZeroMemory,
      this.podCount,
    ];
  }

  private grow(): void {
    const grown = (column: Float64Array): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(column.length * 2);
      next.set(column);
      return next;
    };
    this.allocatableMilliCpu = grown(this.allocatableMilliCpu);
    this.allocatableMemory = grown(this.allocatableMemory);
    this.allocatableEphemeralStorage = grown(this.allocatableEphemeralStorage);
    this.allowedPodNumber = grown(this.allowedPodNumber);
    this.requestedMilliCpu = grown(this.requestedMilliCpu);
    this.requestedMemory = grown(this.requestedMemory);
    this.requestedEphemeralStorage = grown(this.requestedEphemeralStorage);
    this.nonZeroMilliCpu = grown(this.nonZeroMilliCpu);
    this.nonZeroMemory = grown(this.nonZeroMemory);
    this.podCount = grown(this.podCount);
    this.version = grown(this.version);
  }
}

/** The table of NodeInfos made without one: each standalone NodeInfo is a row of it. */
const STANDALONE_TABLE = new NodeTable();

/** One node as the scheduler sees it (framework.NodeInfo); its numbers live in a NodeTable row. */
export class NodeInfo {
  /** The Node object; undefined while the node is gone but pods bound to it are still known. */
  node: DeepReadonly<Node> | undefined = undefined;
  labels: Labels = undefined;
  taints: readonly DeepReadonly<Taint>[] = EMPTY_TAINTS;
  unschedulable = false;
  /** NodeTraits bits of `taints` and `unschedulable`, counted in the table. */
  traits = 0;
  /** Images on the node by the names it reports. */
  readonly imageStates = new Map<string, ImageStateSummary>();
  /** This node's row in `table`. */
  readonly slot: number;
  /** Scalar (extended) resources, rare enough for maps. */
  private allocatableScalar: Map<string, number> | undefined = undefined;
  private requestedScalar: Map<string, number> | undefined = undefined;
  /** The last allocatable list parsed, to skip re-parsing unchanged quantities. */
  private allocatableList: DeepReadonly<ResourceList> | undefined = undefined;

  /** @param table shared by every NodeInfo of a cache; standalone NodeInfos share a default one. */
  constructor(
    readonly name: string,
    readonly table: NodeTable = STANDALONE_TABLE,
  ) {
    this.slot = table.acquire();
  }

  get podCount(): number {
    return this.table.podCount[this.slot];
  }

  /** Takes the scheduling-relevant fields from a new version of the Node. */
  setNode(node: DeepReadonly<Node>): void {
    const fresh = this.node === undefined;
    this.node = node;
    let changed = fresh;
    const labels = node.metadata.labels;
    if (labels !== this.labels) {
      changed ||= !deepEqual(labels, this.labels);
      this.labels = labels;
    }
    const taints = node.spec.taints ?? EMPTY_TAINTS;
    const unschedulable = node.spec.unschedulable === true;
    // Status reports keep the spec, taints included: re-derive the traits only on a change.
    if (taints !== this.taints || unschedulable !== this.unschedulable) {
      this.taints = taints;
      this.unschedulable = unschedulable;
      this.setTraits(traitsOf(unschedulable, taints));
      changed = true;
    }
    if (changed) this.touch();
    // Allocatable falls back to capacity; heartbeats rewrite status often, so parse only changes.
    const list = node.status?.allocatable ?? node.status?.capacity;
    if (fresh || (list !== this.allocatableList && !deepEqual(list, this.allocatableList))) {
      this.allocatableList = list;
      this.setAllocatable(Resource.fromList(list));
    }
  }

  setAllocatable(allocatable: Resource): void {
    const { table, slot } = this;
    table.allocatableMilliCpu[slot] = allocatable.milliCpu;
    table.allocatableMemory[slot] = allocatable.memory;
    table.allocatableEphemeralStorage[slot] = allocatable.ephemeralStorage;
    table.allowedPodNumber[slot] = allocatable.allowedPodNumber;
    table.touch(slot);
    this.allocatableScalar = allocatable.scalar;
  }

  /** Allocatable amount of a resource by its API name (cpu in millicores). */
  allocatable(name: string): number {
    const { table, slot } = this;
    switch (name) {
      case 'cpu':
        return table.allocatableMilliCpu[slot];
      case 'memory':
        return table.allocatableMemory[slot];
      case 'ephemeral-storage':
        return table.allocatableEphemeralStorage[slot];
      case 'pods':
        return table.allowedPodNumber[slot];
      default:
        return this.allocatableScalar?.get(name) ?? 0;
    }
  }

  /** Requested amount of a resource by its API name, actual requests (cpu in millicores). */
  requested(name: string): number {
    const { table, slot } = this;
    switch (name) {
      case 'cpu':
        return table.requestedMilliCpu[slot];
      case 'memory':
        return table.requestedMemory[slot];
      case 'ephemeral-storage':
        return table.requestedEphemeralStorage[slot];
      case 'pods':
        return table.podCount[slot];
      default:
        return this.requestedScalar?.get(name) ?? 0;
    }
  }

  addPod(resources: PodResources): void {
    this.accumulate(resources, 1);
  }

  removePod(resources: PodResources): void {
    this.accumulate(resources, -1);
  }

  /**
   * Gives the row a new version stamp: for changes outside the row's numbers that plugins read
   * (the cache calls it when the node's images change; the numbers touch the row themselves).
   */
  touch(): void {
    this.table.touch(this.slot);
  }

  /** Forgets the Node (it was deleted); the pods bound to it stay counted. */
  clearNode(): void {
    this.node = undefined;
    this.labels = undefined;
    this.taints = EMPTY_TAINTS;
    this.unschedulable = false;
    this.setTraits(0);
    this.touch();
  }

  /** Gives the row back to the table; the NodeInfo must not be used afterwards. */
  release(): void {
    this.setTraits(0);
    this.table.release(this.slot);
  }

  private setTraits(traits: number): void {
    if (traits === this.traits) return;
    this.table.retrait(this.traits, traits);
    this.traits = traits;
  }

  private accumulate(resources: PodResources, sign: 1 | -1): void {
    const { table, slot } = this;
    const requests = resources.requests;
    table.requestedMilliCpu[slot] += sign * requests.milliCpu;
    table.requestedMemory[slot] += sign * requests.memory;
    table.requestedEphemeralStorage[slot] += sign * requests.ephemeralStorage;
    table.nonZeroMilliCpu[slot] += sign * resources.nonZeroMilliCpu;
    table.nonZeroMemory[slot] += sign * resources.nonZeroMemory;
    table.podCount[slot] += sign;
    table.touch(slot);
    if (requests.scalar === undefined) return;
    this.requestedScalar ??= new Map();
    for (const [name, amount] of requests.scalar) this.requestedScalar.set(name, (this.requestedScalar.get(name) ?? 0) + sign * amount);
  }
}
