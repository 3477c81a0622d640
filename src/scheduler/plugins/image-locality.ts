/**
 * ImageLocality (pkg/scheduler/framework/plugins/imagelocality): prefers nodes that already
 * hold the pod's images, weighted by image size and damped by how few nodes hold them, so a
 * popular image does not pile every pod onto the first nodes that pulled it.
 *
 * score = 100 × (clamp(Σ size × nodesWithImage / totalNodes) − 23 MiB) / (1000 MiB × containers − 23 MiB),
 * summing over init and app containers whose image (`:latest` added when untagged) the node
 * lists, clamped to [23 MiB, 1000 MiB × containers].
 */
import type { ScorePlugin } from '../framework.js';
import { MAX_NODE_SCORE } from '../framework.js';
import type { ImageStateSummary, NodeInfo, SlotSet } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';

const MB = 1024 * 1024;
/** Below this an image is cheap to pull anyway. */
const MIN_THRESHOLD = 23 * MB;
/** Per container: beyond this a bigger image does not earn more. */
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** What ImageLocality needs from the cache: the node count and the cluster-wide image states. */
export interface ImageLocalityHandle {
  readonly numNodes: number;
  imageState(name: string): ImageStateSummary | undefined;
  /** Moves on whenever the node count or any image state changes. */
  readonly imagesVersion: number;
}

/** The image name as nodes report it: `:latest` appended when no tag is given (normalizedImageName). */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** Image size scaled by the fraction of nodes that have it (scaledImageScore). */
export function scaledImageScore(state: ImageStateSummary, totalNumNodes: number): number {
  return Math.trunc(state.size * (state.numNodes / totalNumNodes));
}

/** Maps the summed image score to 0–100 (calculatePriority). */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const clamped = sumScores < MIN_THRESHOLD ? MIN_THRESHOLD : sumScores > maxThreshold ? maxThreshold : sumScores;
  return Math.floor((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

const NO_HOLDERS: readonly SlotSet[] = [];

/** Up to this many held images, a cycle tabulates the score of every subset of them. */
const MAX_TABULATED_IMAGES = 4;

/** Score plugin; see the file header. */
export class ImageLocality implements ScorePlugin {
  readonly name = 'ImageLocality';
  /**
   * This cycle's images held somewhere (init containers first; repeats count again, as
   * upstream): the nodes holding each, and the scaled score each adds — the same on every node.
   */
  private readonly holders: SlotSet[] = [];
  private readonly contributions: number[] = [];
  private numContainers = 0;
  /** The sum when every image is on every node: then all nodes score alike. */
  private uniformSum: number | undefined;
  /** Score by subset of the held images (bit k: holds image k), for up to MAX_TABULATED_IMAGES. */
  private readonly bySubset = new Int32Array(1 << MAX_TABULATED_IMAGES);
  /** The normalised image names of the last containers seen (pods of a template share them). */
  private containersSeen: unknown = null;
  private initContainersSeen: unknown = null;
  private imageNames: string[] = [];
  /** The handle's imagesVersion the last PreScore computed with. */
  private imagesVersionSeen = -1;
  /**
   * What decides a node's score in the last cycle the plugin took part in — the holders it
   * looks up (none when every node scores alike), then the scores or contributions it maps
   * them with — and the epoch, moved on whenever that changes (nodeMemoEpoch).
   */
  private readonly functionHolders: SlotSet[] = [];
  private functionValues: number[] = [];
  /** Where the next cycle's mapping is written, to compare with functionValues. */
  private valuesScratch: number[] = [];
  private epoch = 0;

  constructor(private readonly handle: ImageLocalityHandle) {}

  /**
   * Node-local: a node's score depends on which images it holds (its row's stamp changes with
   * them) and on this cycle's scores by held subset (or contributions), which change with the
   * pod's images and the images' spread — an epoch per distinct mapping, so a spread that
   * changes no score keeps the memo.
   */
  nodeMemoEpoch(_pod: PodInfo): number {
    return this.epoch;
  }

  preScore(pod: PodInfo): boolean {
    const { initContainers, containers } = pod.pod.spec;
    const imagesVersion = this.handle.imagesVersion;
    const sameImages = containers === this.containersSeen && initContainers === this.initContainersSeen;
    // The same containers, and no image pulled or dropped and no node added or removed since:
    // everything below would come out as it did last time.
    if (sameImages && imagesVersion === this.imagesVersionSeen) return this.holders.length > 0;
    this.imagesVersionSeen = imagesVersion;
    if (!sameImages) {
      this.containersSeen = containers;
      this.initContainersSeen = initContainers;
      this.imageNames = [...(initContainers ?? []), ...(containers ?? [])].map((container) => normalizedImageName(container.image ?? ''));
    }
    this.numContainers = this.imageNames.length;
    this.holders.length = 0;
    this.contributions.length = 0;
    const totalNumNodes = this.handle.numNodes;
    let everywhere = true;
    let sum = 0;
    for (const name of this.imageNames) {
      const state = this.handle.imageState(name);
      if (state === undefined) {
        everywhere = false;
        continue;
      }
      const contribution = scaledImageScore(state, totalNumNodes);
      this.holders.push(state.slots);
      this.contributions.push(contribution);
      sum += contribution;
      everywhere &&= state.numNodes === totalNumNodes;
    }
    this.uniformSum = everywhere ? sum : undefined;
    // When no node holds any of the images every node scores 0: skip the per-node lookups.
    if (this.holders.length === 0) return false;
    if (this.uniformSum === undefined && this.holders.length <= MAX_TABULATED_IMAGES) this.tabulate();
    this.noteFunction();
    return true;
  }

  /**
   * A node's score depends only on which of the images it holds: computes each subset's once
   * (summing in image order, as the per-node sum does), so nodes are only looked up.
   */
  private tabulate(): void {
    const { holders, contributions, numContainers, bySubset } = this;
    for (let subset = 0; subset < 1 << holders.length; subset++) {
      let sum = 0;
      for (let k = 0; k < holders.length; k++) if ((subset & (1 << k)) !== 0) sum += contributions[k];
      bySubset[subset] = calculatePriority(sum, numContainers);
    }
  }

  /** Moves the epoch on when this cycle maps nodes to scores otherwise than the last one. */
  private noteFunction(): void {
    const values = this.valuesScratch;
    values.length = 0;
    const uniform = this.uniformSum !== undefined;
    if (uniform) {
      values.push(-1, calculatePriority(this.uniformSum as number, this.numContainers));
    } else if (this.holders.length <= MAX_TABULATED_IMAGES) {
      values.push(-2);
      for (let subset = 0; subset < 1 << this.holders.length; subset++) values.push(this.bySubset[subset]);
    } else {
      values.push(-3, this.numContainers);
      for (const contribution of this.contributions) values.push(contribution);
    }
    const holders = uniform ? NO_HOLDERS : this.holders;
    if (this.epoch > 0 && sameItems(holders, this.functionHolders) && sameItems(values, this.functionValues)) return;
    this.epoch++;
    this.functionHolders.length = 0;
    for (const holder of holders) this.functionHolders.push(holder);
    this.valuesScratch = this.functionValues;
    this.functionValues = values;
  }

  score(_pod: PodInfo, nodes: readonly NodeInfo[], count: number, scores: Int32Array): number | undefined {
    if (this.uniformSum !== undefined) return calculatePriority(this.uniformSum, this.numContainers);
    const { holders, contributions, numContainers } = this;
    if (holders.length > MAX_TABULATED_IMAGES) {
      for (let i = 0; i < count; i++) {
        const slot = nodes[i].slot;
        let sum = 0;
        for (let k = 0; k < holders.length; k++) if (holders[k].has(slot)) sum += contributions[k];
        scores[i] = calculatePriority(sum, numContainers);
      }
      return undefined;
    }
    // Scores by held subset, tabulated by PreScore: nodes are only looked up.
    const bySubset = this.bySubset;
    if (holders.length === 1) {
      // The common case, one image: two possible scores.
      const [holder] = holders;
      const [without, held] = bySubset;
      for (let i = 0; i < count; i++) scores[i] = holder.has(nodes[i].slot) ? held : without;
      return undefined;
    }
    for (let i = 0; i < count; i++) {
      const slot = nodes[i].slot;
      let subset = 0;
      for (let k = 0; k < holders.length; k++) if (holders[k].has(slot)) subset |= 1 << k;
      scores[i] = bySubset[subset];
    }
    return undefined;
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
