/**
 * The scheduling cycle's shortcuts — score memos across cycles, the profile's memo of each
 * node's verdict and weighted score (kept while the plugins' epochs and the node's row stay,
 * told of changed rows by the table's change log), the host picked as feasible nodes are found,
 * trait counts that skip whole filters, scores every node shares kept out of the totals, image
 * scores tabulated by subset, per-template memos of pod facts — change no decision: on random
 * clusters that keep changing, ScheduleAlgorithm picks the same node (after the same random
 * tie-breaks), evaluates and finds as many nodes, and explains a failure in the same words as a
 * plain node-by-node run of the default profile written from the pure helpers.
 *
 * Pods come in runs of one template (what the memos reuse), from templates that are equal
 * copies of each other too (what the epochs compare by value), and the cluster changes in
 * every way a plugin can see: requests, sizes, labels, taints, cordons, images, nodes leaving and
 * coming back, and bursts of more changes between two pods than the change log holds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findUntoleratedTaint, isTaintTolerated } from '../../src/api/taints.js';
import type { ContainerImage, Node, Taint } from '../../src/api/types/node.js';
import type { Container, Pod, PodSpec } from '../../src/api/types/pod.js';
import { type Rng, RandomStreams } from '../../src/engine/random.js';
import { defaultPlugins } from '../../src/scheduler/default-profile.js';
import { fitErrorMessage } from '../../src/scheduler/fit-error.js';
import { Diagnosis, Framework } from '../../src/scheduler/framework.js';
import { CHANGE_LOG_SIZE, type NodeInfo } from '../../src/scheduler/node-info.js';
import { numFeasibleNodesToFind } from '../../src/scheduler/num-feasible-nodes.js';
import { PodInfo } from '../../src/scheduler/pod-info.js';
import { calculatePriority, normalizedImageName, scaledImageScore } from '../../src/scheduler/plugins/image-locality.js';
import { ERR_REASON_POD, RequiredNodeAffinity, preferredSchedulingTermsScore } from '../../src/scheduler/plugins/node-affinity.js';
import { ERR_REASON_NODE_NAME, nodeNameFits } from '../../src/scheduler/plugins/node-name.js';
import { fitsRequest } from '../../src/scheduler/plugins/node-resources-fit.js';
import { ERR_REASON_UNSCHEDULABLE } from '../../src/scheduler/plugins/node-unschedulable.js';
import { defaultNormalizeScore } from '../../src/scheduler/plugins/normalize-score.js';
import { DEFAULT_RESOURCES, ResourceAllocationScorer, balancedResourceScorer, leastResourceScorer, podResourceRequests } from '../../src/scheduler/plugins/resource-allocation.js';
import { countIntolerableTaintsPreferNoSchedule, getAllTolerationPreferNoSchedule, untoleratedTaintReason } from '../../src/scheduler/plugins/taint-toleration.js';
import { type ScheduleResult, ScheduleAlgorithm, selectHost } from '../../src/scheduler/schedule-one.js';
import { SchedulerCache } from '../../src/scheduler/scheduler-cache.js';
import { STALE } from '../../src/scheduler/score-memo.js';
import { newNode } from './helpers.js';

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;
const MB = 1024 * 1024;
const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** kube-scheduler's default profile, one node at a time, every score computed afresh. */
class ReferenceScheduler {
  private nextStartNodeIndex = 0;
  private readonly least = new ResourceAllocationScorer(DEFAULT_RESOURCES, leastResourceScorer(DEFAULT_RESOURCES), false);
  private readonly balanced = new ResourceAllocationScorer(DEFAULT_RESOURCES, balancedResourceScorer, true);

  constructor(
    private readonly cache: SchedulerCache,
    private readonly rng: Rng,
  ) {}

  schedulePod(pod: PodInfo): ScheduleResult | { kind: 'unschedulable'; message: string } {
    const allNodes = this.cache.nodeList;
    const reasons = new Map<string, number>();
    const feasible: NodeInfo[] = [];
    const numNodesToFind = numFeasibleNodesToFind(0, allNodes.length);
    let processed = 0;
    let index = this.nextStartNodeIndex % allNodes.length;
    while (processed < allNodes.length && feasible.length < numNodesToFind) {
      const node = allNodes[index];
      index = (index + 1) % allNodes.length;
      processed++;
      if (this.fits(pod, node, reasons)) feasible.push(node);
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % allNodes.length;
    if (feasible.length === 0) return { kind: 'unschedulable', message: fitErrorMessage(allNodes.length, reasons) };
    let selected = 0;
    if (feasible.length > 1) {
      const totals = this.totals(pod, feasible);
      selected = selectHost(totals, feasible.length, this.rng);
    }
    return { kind: 'scheduled', node: feasible[selected].name, evaluatedNodes: processed, feasibleNodes: feasible.length };
  }

  /** The filters in profile order; the first that rejects gives the reasons. */
  private fits(pod: PodInfo, node: NodeInfo, reasons: Map<string, number>): boolean {
    const reject = (reason: string): false => {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      return false;
    };
    const tolerations = pod.pod.spec.tolerations;
    if (node.unschedulable && !isTaintTolerated(UNSCHEDULABLE_TAINT, tolerations)) return reject(ERR_REASON_UNSCHEDULABLE);
    if (!nodeNameFits(pod, node)) return reject(ERR_REASON_NODE_NAME);
    const taint = findUntoleratedTaint(node.taints, tolerations, ['NoSchedule', 'NoExecute']);
    if (taint !== undefined) return reject(untoleratedTaintReason(taint.key, taint.value));
    if (!new RequiredNodeAffinity(pod.pod).match(node)) return reject(ERR_REASON_POD);
    return fitsRequest(pod.resources.requests, node, { reject });
  }

  /** Weighted sum of every score plugin: TaintToleration 3, NodeAffinity 2, the rest 1. */
  totals(pod: PodInfo, nodes: NodeInfo[]): Int32Array {
    const totals = new Int32Array(nodes.length);
    const add = (weight: number, score: (node: NodeInfo) => number, normalize?: (scores: Int32Array) => void) => {
      const scores = Int32Array.from(nodes, score);
      normalize?.(scores);
      scores.forEach((value, i) => (totals[i] += value * weight));
    };
    const spec = pod.pod.spec;
    const soft = getAllTolerationPreferNoSchedule(spec.tolerations);
    add(3, (node) => countIntolerableTaintsPreferNoSchedule(node, soft), (scores) => defaultNormalizeScore(100, true, scores, scores.length));
    const preferred = (spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((term) => term.weight !== 0);
    add(2, (node) => preferredSchedulingTermsScore(preferred, node), (scores) => defaultNormalizeScore(100, false, scores, scores.length));
    const requests = new Float64Array(2);
    podResourceRequests(pod, DEFAULT_RESOURCES, false, requests);
    add(1, (node) => this.least.score(requests, node));
    const actual = new Float64Array(2);
    podResourceRequests(pod, DEFAULT_RESOURCES, true, actual);
    add(1, (node) => this.balanced.score(actual, node));
    const images = [...(spec.initContainers ?? []), ...spec.containers].map((container) => normalizedImageName(container.image ?? ''));
    add(1, (node) => {
      let sum = 0;
      for (const name of images) {
        const state = node.imageStates.get(name);
        if (state !== undefined) sum += scaledImageScore(state, this.cache.numNodes);
      }
      return calculatePriority(sum, images.length);
    });
    return totals;
  }
}

/**
 * The framework's memo entry of every node for the pod, after bringing stale ones up to date
 * as a cycle would; undefined when the cycle cannot use the memo.
 */
function memoEntries(framework: Framework, pod: PodInfo, cache: SchedulerCache): number[] | undefined {
  const nodes = cache.nodeList;
  if (nodes.length === 0 || framework.runPreFilterPlugins(pod, new Diagnosis()).rejected) return undefined;
  framework.runPreScorePlugins(pod);
  const memo = framework.beginMemoCycle(pod, nodes[0].table);
  if (memo === undefined) return undefined;
  return nodes.map((node) => {
    if (memo.totals[node.slot] === STALE) framework.evaluateIntoMemo(pod, [node], 1);
    return memo.totals[node.slot];
  });
}

const IMAGES = ['app:v1', 'app:v2', 'sidecar', 'registry.example/tools:3', 'big:1'];
const SIZES: Record<string, number> = { 'app:v1': 300 * MB, 'app:v2': 320 * MB, 'sidecar:latest': 40 * MB, 'registry.example/tools:3': 900 * MB, 'big:1': 2000 * MB };

/** A pod template: one spec object shared by all its pods, as the workload controllers do. */
function template(rng: Rng): PodSpec {
  const request = (): Container['resources'] => {
    const requests: Record<string, string> = {};
    if (rng.next() < 0.8) requests.cpu = rng.pick(['0', '50m', '100m', '500m', '2']) as string;
    if (rng.next() < 0.8) requests.memory = rng.pick(['0', '64Mi', '128Mi', '1Gi', '6Gi']) as string;
    return { requests };
  };
  const containers: Container[] = [];
  for (let i = 0, n = 1 + rng.int(rng.next() < 0.8 ? 2 : 6); i < n; i++) containers.push({ name: `c${i}`, image: rng.pick(IMAGES), resources: request() });
  const spec: PodSpec = { containers };
  if (rng.next() < 0.2) spec.initContainers = [{ name: 'init', image: rng.pick(IMAGES), resources: request() }];
  if (rng.next() < 0.3) {
    spec.tolerations = [
      rng.pick([
        { key: 'spot', operator: 'Exists' },
        { key: 'spot', operator: 'Exists', effect: 'PreferNoSchedule' },
        { key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      ]) as NonNullable<PodSpec['tolerations']>[number],
    ];
  }
  if (rng.next() < 0.2) spec.nodeSelector = { zone: rng.pick(['a', 'b', 'c']) as string };
  if (rng.next() < 0.3) {
    spec.affinity = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: rng.pick([0, 1, 10, 100]) as number, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: [rng.pick(['a', 'b']) as string] }] } },
          { weight: 5, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
        ],
      },
    };
  }
  return spec;
}

/** A node; each image is already on it with probability `imageShare`. */
function randomNode(rng: Rng, name: string, imageShare: number): Node {
  const images = IMAGES.map(normalizedImageName)
    .filter(() => rng.next() < imageShare)
    .map((image) => ({ names: [image], sizeBytes: SIZES[image] }));
  return newNode(name, {
    cpu: rng.pick(['2', '4', '16']),
    memory: rng.pick(['4Gi', '16Gi', '64Gi']),
    pods: rng.pick([3, 10, 110]),
    labels: rng.next() < 0.3 ? { zone: rng.pick(['a', 'b', 'c']) as string, disk: 'ssd' } : { zone: rng.pick(['a', 'b', 'c']) as string },
    images,
  });
}

const HARD_TAINTS: (Taint[] | undefined)[] = [undefined, [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }], [{ key: 'evicting', effect: 'NoExecute' }]];
const SOFT_TAINTS: Taint[][] = [
  [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }],
  [
    { key: 'spot', value: 'true', effect: 'PreferNoSchedule' },
    { key: 'evicting', effect: 'NoExecute' },
  ],
];

/**
 * One random change to a node: cordon, taints, an image pulled, new labels, a new size. Soft
 * (PreferNoSchedule) taints only when `softTaints`: while any node has one, TaintToleration's
 * scores are normalised over the nodes scored and no cycle uses the profile's memo.
 */
function changeNode(rng: Rng, node: Node, softTaints: boolean): Node {
  const next: Node = { ...node, spec: { ...node.spec }, status: { ...node.status } };
  switch (rng.int(5)) {
    case 0:
      next.spec.unschedulable = !node.spec.unschedulable;
      break;
    case 1:
      next.spec.taints = rng.pick(softTaints ? [...HARD_TAINTS, ...SOFT_TAINTS] : HARD_TAINTS);
      break;
    case 2: {
      const name = normalizedImageName(rng.pick(IMAGES) as string);
      const images: ContainerImage[] = [...(node.status?.images ?? [])];
      if (!images.some((image) => image.names.includes(name))) images.push({ names: [name], sizeBytes: SIZES[name] });
      next.status = { ...next.status, images };
      break;
    }
    case 3:
      next.metadata = { ...node.metadata, labels: rng.next() < 0.5 ? { zone: rng.pick(['a', 'b', 'c']) as string } : { zone: rng.pick(['a', 'b', 'c']) as string, disk: 'ssd' } };
      break;
    default:
      next.status = { ...next.status, allocatable: { ...node.status?.allocatable, cpu: rng.pick(['1', '4', '32']) as string } };
  }
  return next;
}

function run(runSeed: number): number {
  const rng = new RandomStreams(runSeed).stream('workload');
  const cache = new SchedulerCache();
  const algorithm = new ScheduleAlgorithm(new Framework(defaultPlugins(cache)), cache, new RandomStreams(runSeed).stream('scheduler'), 0);
  const reference = new ReferenceScheduler(cache, new RandomStreams(runSeed).stream('scheduler'));
  // A second profile that scores every node each time: its sums, shared part included.
  const scorer = new Framework(defaultPlugins(cache));
  const totals = new Int32Array(512);
  const scratch = new Int32Array(512);
  // A third whose memo ages along with the run's, checked entry by entry against a fresh one.
  const memoised = new Framework(defaultPlugins(cache));
  const nodes = new Map<string, Node>();
  const removed: Node[] = [];
  const imageShare = rng.pick([0, 0.2, 0.6]) as number;
  const softTaints = rng.next() < 0.3;
  for (let i = 0, n = 20 + rng.int(260); i < n; i++) {
    const node = randomNode(rng, `n${i}`, imageShare);
    nodes.set(node.metadata.name, node);
    cache.addNode(node);
  }
  const templates = Array.from({ length: 6 }, () => template(rng));
  // Equal copies: other objects, the same pods (the memos must see through the identity); and
  // variants that differ from one only in what filters read.
  templates.push(structuredClone(templates[0]), structuredClone(templates[1]));
  templates.push({ ...templates[0], nodeSelector: { zone: 'a' } }, { ...templates[0], tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
  let spec = templates[0];
  const tiny: PodSpec = { containers: [{ name: 'c', image: 'sidecar', resources: { requests: { cpu: '1m' } } }] };
  const placed: Pod[] = [];
  let scheduled = 0;
  const bindTiny = (name: string, node: string): Pod => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name }, spec: { ...tiny, nodeName: node } };
    cache.addPod(pod);
    return pod;
  };
  for (let step = 0; step < 250; step++) {
    const roll = rng.next();
    if (roll < 0.55) {
      // A run of pods of one template, as a ReplicaSet creates them; often the last one again.
      if (rng.next() < 0.5) spec = rng.pick(templates) as PodSpec;
      for (let i = 0, n = 1 + rng.int(6); i < n; i++) {
        const label = `step ${step}, pod ${i}`;
        const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: `p${step}-${i}` }, spec };
        const expected = reference.schedulePod(new PodInfo(pod));
        const info = new PodInfo(pod);
        const all = cache.nodeList;
        const common = scorer.runScorePlugins(info, all, all.length, totals, scratch);
        assert.deepEqual(
          Array.from(totals.subarray(0, all.length), (total) => total + common),
          [...reference.totals(info, [...all])],
          `${label}: sums`,
        );
        assert.deepEqual(memoEntries(memoised, info, cache), memoEntries(new Framework(defaultPlugins(cache)), info, cache), `${label}: memo`);
        const actual = algorithm.schedulePod(info);
        if (actual.kind === 'unschedulable') {
          assert.equal(expected.kind, 'unschedulable', `${label}: ${actual.fitError.message}`);
          assert.equal(actual.fitError.message, (expected as { message: string }).message, label);
          continue;
        }
        assert.deepEqual(actual, expected, label);
        scheduled++;
        cache.assumePod(info, actual.node);
        const bound: Pod = { ...pod, spec: { ...pod.spec, nodeName: actual.node } };
        // The binding comes back now or never (then the pod stays assumed).
        if (rng.next() < 0.7) cache.addPod(bound);
        placed.push(bound);
      }
    } else if (roll < 0.57) {
      // More changes between two pods than the table's change log holds: a pod on each of a
      // few nodes first, then pods coming and going on one node until those fall out of it.
      for (let i = 0, n = 1 + rng.int(20); i < n; i++) placed.push(bindTiny(`burst${step}-${i}`, (rng.pick([...nodes.values()]) as Node).metadata.name));
      const churned = (rng.pick([...nodes.values()]) as Node).metadata.name;
      for (let i = 0; i <= CHANGE_LOG_SIZE / 2; i++) cache.removePod(bindTiny(`churn${step}`, churned));
    } else if (roll < 0.72 && placed.length > 0) {
      cache.removePod(placed.splice(rng.int(placed.length), 1)[0]);
    } else if (roll < 0.93) {
      const old = rng.pick([...nodes.values()]) as Node;
      const next = changeNode(rng, old, softTaints);
      nodes.set(next.metadata.name, next);
      cache.updateNode(old, next);
    } else if (roll < 0.965 && nodes.size > 1) {
      const node = rng.pick([...nodes.values()]) as Node;
      nodes.delete(node.metadata.name);
      removed.push(node);
      cache.removeNode(node);
    } else if (removed.length > 0) {
      const node = removed.shift() as Node;
      nodes.set(node.metadata.name, node);
      cache.addNode(node);
    }
  }
  return scheduled;
}

test('ScheduleAlgorithm decides as a plain node-by-node run of the default profile', () => {
  let scheduled = 0;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1_000_000 }), (runSeed) => {
      scheduled += run(runSeed);
    }),
    { numRuns: 25, seed },
  );
  // The runs must have scheduled pods, not only failed them.
  assert.ok(scheduled > 1000, `only ${scheduled} pods scheduled`);
});
