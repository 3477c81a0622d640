/**
 * The scheduling framework: the plugin extension points the modelled profile uses and the
 * runner that calls them (pkg/scheduler/framework/interface.go, runtime/framework.go).
 *
 * Extension points, in cycle order:
 * - PreFilter, once per cycle: derive per-pod data, skip the plugin's Filter, narrow the
 *   candidate nodes, or reject the pod outright;
 * - Filter, in profile order; the first plugin that rejects a node decides its reasons
 *   (RunFilterPlugins returns on the first failure), so each plugin sees only the nodes every
 *   earlier plugin accepted;
 * - PreScore/Score/NormalizeScore, per plugin over all feasible nodes at once, then weighted
 *   and summed. Scores are 0–100 (MaxNodeScore) after normalisation.
 *
 * Differences from upstream, for speed in a single-threaded simulator: a plugin keeps its
 * per-cycle state in its own fields instead of a CycleState (cycles never overlap), filters
 * report reasons into a reusable {@link Diagnosis} instead of allocating a Status per node, and
 * Filter and Score take a batch of nodes (NodeInfos of one NodeTable), so each plugin's loop is
 * its own small monomorphic loop instead of a megamorphic call per node and plugin; a Score that
 * gives every node of the batch the same score returns it instead of writing it per node.
 * PreScore runs once per cycle before filtering (upstream: after, on the feasible nodes; no
 * PreScore here looks at nodes). Plugins that declare themselves node-local ({@link NodeLocal})
 * let the framework keep each node's verdict and weighted score from cycle to cycle
 * ({@link Framework.beginMemoCycle}), so a cycle recomputes only the nodes that changed.
 *
 * Not modelled (the interfaces leave room for them): QueueSort/PreEnqueue plugins (the queue
 * sorts by priority itself), PostFilter (preemption), Reserve/Permit/PreBind/PostBind, and
 * binders other than the API server's binding subresource.
 */
import type { ClusterEvent, ClusterEventRegistration } from './cluster-events.js';
import { eventMatches } from './cluster-events.js';
import type { NodeInfo, NodeTable } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { NodeResultMemo, UNFIT } from './score-memo.js';

/** Highest score a plugin gives after normalisation (framework.MaxNodeScore). */
export const MAX_NODE_SCORE = 100;

/** Every plugin has a name; what else it does depends on the extension points it implements. */
export interface Plugin {
  /** Upstream's plugin name, as it appears in configuration and diagnostics. */
  readonly name: string;
}

/** What a node rejection reports: one call per reason (a Status with several reasons). */
export interface Rejections {
  reject(reason: string): void;
}

/**
 * PreFilter's verdict: `undefined` to go on with every node; `'skip'` when the plugin has
 * nothing to check for this pod (its Filter is not called this cycle); a rejection message
 * when no node can fit; or the only node names that can fit (PreFilterResult.NodeNames).
 */
export type PreFilterResult = undefined | 'skip' | { readonly rejection: string } | { readonly nodeNames: ReadonlySet<string> };

/** Runs once per cycle before any node is filtered. */
export interface PreFilterPlugin extends Plugin {
  preFilter(pod: PodInfo): PreFilterResult;
}

/**
 * Optional for Filter and Score plugins: what lets the framework memoise their per-node results
 * across cycles (score-memo.ts: NodeResultMemo). A plugin is node-local when, once this cycle's
 * PreFilter and PreScore have run, its verdict on a node or its raw score of a node depends on
 * nothing but the node's row of the node table — whose version stamp changes with everything
 * plugins read of a node (node-info.ts: NodeTable.version) — and on what the plugin derived
 * for this cycle.
 */
export interface NodeLocal {
  /**
   * Called after the cycle's PreFilter and PreScore: a number that the plugin moves on
   * whenever its per-node function (verdict and score) may differ from the one of the previous
   * call — another request, other tolerations, another image spread — and keeps otherwise.
   * Equal epochs must mean equal functions; epochs are never reused.
   */
  nodeMemoEpoch(pod: PodInfo): number;
}

/** Says which nodes can run the pod, and why the others cannot. */
export interface FilterPlugin extends Plugin, Partial<NodeLocal> {
  /** Cluster events that can turn this plugin's rejection into a fit (EventsToRegister). */
  readonly events: readonly ClusterEventRegistration[];
  /**
   * Filters `nodes[0..count)` in place: moves the nodes that fit to the front, keeping their
   * order, reports at least one reason per rejected node, and returns how many fit.
   */
  filter(pod: PodInfo, nodes: NodeInfo[], count: number, rejections: Rejections): number;
}

/** Ranks the feasible nodes; the framework multiplies by the weight and sums. */
export interface ScorePlugin extends Plugin, Partial<NodeLocal> {
  /** Per-cycle preparation; returning false skips the plugin for this pod (PreScore Skip). */
  preScore?(pod: PodInfo): boolean;
  /**
   * Called after PreScore: true when every node of `table` gets the same score this cycle,
   * whatever the nodes scored — the plugin then decides nothing, and needs no memo.
   */
  scoresAlike?(table: NodeTable): boolean;
  /**
   * Writes the raw score of `nodes[i]` to `scores[i]` for i < count and returns undefined; or,
   * when the plugin knows every one of the nodes gets the same raw score, writes nothing and
   * returns that score.
   */
  score(pod: PodInfo, nodes: readonly NodeInfo[], count: number, scores: Int32Array): number | undefined;
  /**
   * Rescales raw scores to 0–MAX_NODE_SCORE in place (ScoreExtensions.NormalizeScore). Equal
   * raw scores must get equal normalised ones, whatever the other scores (DefaultNormalizeScore
   * does): the framework normalises a uniform score on its own.
   */
  normalizeScore?(scores: Int32Array, count: number): void;
}

/** One entry of a profile: a plugin and, for score plugins, its weight. */
export interface PluginConfig {
  readonly plugin: Plugin;
  readonly weight?: number;
}

function isPreFilter(plugin: Plugin): plugin is PreFilterPlugin {
  return typeof (plugin as Partial<PreFilterPlugin>).preFilter === 'function';
}
function isFilter(plugin: Plugin): plugin is FilterPlugin {
  return typeof (plugin as Partial<FilterPlugin>).filter === 'function';
}
function isScore(plugin: Plugin): plugin is ScorePlugin {
  return typeof (plugin as Partial<ScorePlugin>).score === 'function';
}

/**
 * Why a cycle found no node (framework.Diagnosis): a histogram of rejection reasons, the
 * plugins that rejected (a bit per plugin, for queueing), and PreFilter's message if it
 * rejected the pod outright. Reused across cycles.
 */
export class Diagnosis implements Rejections {
  readonly reasons = new Map<string, number>();
  unschedulablePlugins = 0;
  preFilterMessage = '';

  reset(): void {
    // Most cycles reject no node: clearing an empty map still costs a call into the runtime.
    if (this.reasons.size > 0) this.reasons.clear();
    this.unschedulablePlugins = 0;
    this.preFilterMessage = '';
  }

  reject(reason: string, nodes = 1): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + nodes);
  }
}

/**
 * How PreFilter ended: rejected, or the candidate node names (undefined = all nodes) and the
 * plugins that narrowed them to those.
 */
export interface PreFilterOutcome {
  readonly rejected: boolean;
  readonly nodeNames?: ReadonlySet<string>;
  readonly narrowedBy?: readonly string[];
}

const PROCEED: PreFilterOutcome = { rejected: false };
const REJECTED: PreFilterOutcome = { rejected: true };
/** Plugin bits live in a 32-bit mask. */
const MAX_PLUGINS = 31;

/** One profile: its plugins in order, run at each extension point (frameworkImpl). */
export class Framework {
  readonly plugins: readonly Plugin[];
  private readonly preFilters: PreFilterPlugin[] = [];
  /** Each PreFilter plugin's bit (looked up once, not per cycle). */
  private readonly preFilterBits: number[] = [];
  private readonly filters: FilterPlugin[] = [];
  private readonly scores: ScorePlugin[] = [];
  private readonly weights: number[] = [];
  /** Each score plugin's position in the profile. */
  private readonly scorePositions: number[] = [];
  private readonly bits = new Map<Plugin, number>();
  /** Filters still in play this cycle (those whose PreFilter did not skip), and their bits. */
  private activeFilters: FilterPlugin[] = [];
  private activeFilterBits: number[] = [];
  private skippedFilters = 0;
  /**
   * Score plugins taking part this cycle (PreScore did not skip them), with their weights: the
   * first activeScoreCount entries. (A count, not a truncated array: setting an array's length
   * is a call into the runtime, twice per cycle.)
   */
  private readonly activeScores: ScorePlugin[];
  private readonly activeWeights: number[];
  /** Their positions in the profile (for the memo's key). */
  private readonly activePositions: number[];
  private activeScoreCount = 0;
  /** Scratch for normalising a score every node shares. */
  private readonly one = new Int32Array(1);
  /** Per-node verdicts and weighted scores across cycles, and the key they answer for. */
  private readonly memo: NodeResultMemo;
  private readonly memoKey: Float64Array;
  /** The score plugins the memo sums this cycle (those that can tell nodes apart), and weights. */
  private readonly memoScores: ScorePlugin[];
  private readonly memoWeights: number[];
  private memoScoreCount = 0;
  /** Where evaluateIntoMemo's filters report: nobody reads these reasons. */
  private readonly memoDiagnosis = new Diagnosis();
  private memoSums = new Int32Array(64);
  private memoScratch = new Int32Array(64);

  constructor(configs: readonly PluginConfig[]) {
    if (configs.length > MAX_PLUGINS) throw new RangeError(`Framework: at most ${MAX_PLUGINS} plugins, got ${configs.length}`);
    this.plugins = configs.map((config) => config.plugin);
    configs.forEach(({ plugin, weight }, index) => {
      this.bits.set(plugin, 1 << index);
      if (isPreFilter(plugin)) {
        this.preFilters.push(plugin);
        this.preFilterBits.push(1 << index);
      }
      if (isFilter(plugin)) this.filters.push(plugin);
      if (isScore(plugin)) {
        if (weight === undefined || !Number.isInteger(weight) || weight < 1) {
          throw new RangeError(`Framework: score plugin ${plugin.name} needs a positive integer weight, got ${weight}`);
        }
        this.scores.push(plugin);
        this.weights.push(weight);
        this.scorePositions.push(index);
      }
    });
    this.activeFilters = this.filters;
    this.activeFilterBits = this.filters.map((plugin) => this.bits.get(plugin) as number);
    this.activeScores = [...this.scores];
    this.activeWeights = [...this.weights];
    this.activePositions = [...this.scorePositions];
    this.memoScores = [...this.scores];
    this.memoWeights = [...this.weights];
    // One slot per plugin for its filter epoch, one for its score epoch.
    this.memoKey = new Float64Array(2 * configs.length);
    this.memo = new NodeResultMemo(this.memoKey.length);
  }

  /** Names of the plugins whose bits are set in `mask`, in profile order. */
  pluginNames(mask: number): string[] {
    return this.plugins.filter((plugin) => (mask & (this.bits.get(plugin) as number)) !== 0).map((plugin) => plugin.name);
  }

  /** Bits of the filter plugins that registered for `event` (the queue's clusterEventMap). */
  interestedPlugins(event: ClusterEvent): number {
    let mask = 0;
    for (const plugin of this.filters) {
      if (plugin.events.some((registration) => eventMatches(registration, event))) mask |= this.bits.get(plugin) as number;
    }
    return mask;
  }

  /**
   * Runs every PreFilter; the first rejection ends the cycle, node-name sets intersect. Plugins
   * that narrow the candidates count as rejecting the nodes they leave out.
   */
  runPreFilterPlugins(pod: PodInfo, diagnosis: Diagnosis): PreFilterOutcome {
    let nodeNames: Set<string> | undefined;
    let narrowedBy: string[] | undefined;
    let skipped = 0;
    for (let p = 0; p < this.preFilters.length; p++) {
      const plugin = this.preFilters[p];
      const result = plugin.preFilter(pod);
      if (result === undefined) continue;
      if (result === 'skip') {
        skipped |= this.preFilterBits[p];
      } else if ('rejection' in result) {
        diagnosis.preFilterMessage = result.rejection;
        diagnosis.unschedulablePlugins |= this.bits.get(plugin) as number;
        return REJECTED;
      } else {
        nodeNames = nodeNames === undefined ? new Set(result.nodeNames) : new Set([...nodeNames].filter((name) => result.nodeNames.has(name)));
        (narrowedBy ??= []).push(plugin.name);
        diagnosis.unschedulablePlugins |= this.bits.get(plugin) as number;
      }
    }
    if (skipped !== this.skippedFilters) {
      // Most pods skip the same plugins as the previous one; rebuild the list only on change.
      this.skippedFilters = skipped;
      this.activeFilters = this.filters.filter((plugin) => (skipped & (this.bits.get(plugin) as number)) === 0);
      this.activeFilterBits = this.activeFilters.map((plugin) => this.bits.get(plugin) as number);
    }
    return nodeNames === undefined ? PROCEED : { rejected: false, nodeNames, narrowedBy: narrowedBy?.sort() };
  }

  /**
   * Filters `nodes[0..count)` in place through every filter in play; returns how many fit
   * (those now at the front, in their original order).
   */
  runFilterPlugins(pod: PodInfo, nodes: NodeInfo[], count: number, diagnosis: Diagnosis): number {
    const filters = this.activeFilters;
    let remaining = count;
    for (let i = 0; i < filters.length && remaining > 0; i++) {
      const kept = filters[i].filter(pod, nodes, remaining, diagnosis);
      if (kept < remaining) diagnosis.unschedulablePlugins |= this.activeFilterBits[i];
      remaining = kept;
    }
    return remaining;
  }

  /** Runs every PreScore, and keeps the plugins that did not skip for this cycle's scoring. */
  runPreScorePlugins(pod: PodInfo): void {
    let count = 0;
    for (let p = 0; p < this.scores.length; p++) {
      const plugin = this.scores[p];
      if (plugin.preScore !== undefined && !plugin.preScore(pod)) continue;
      this.activeScores[count] = plugin;
      this.activePositions[count] = this.scorePositions[p];
      this.activeWeights[count++] = this.weights[p];
    }
    this.activeScoreCount = count;
  }

  /**
   * PreScore, then Score, for one list of nodes (see {@link scoreNodes}): upstream's
   * RunScorePlugins as one call. The scheduler's cycle calls the two halves apart (PreScore
   * before filtering, see the header); this whole form serves the plain node-by-node reference
   * profile of the equivalence test and the plugin tests.
   */
  runScorePlugins(pod: PodInfo, nodes: readonly NodeInfo[], count: number, totals: Int32Array, scratch: Int32Array): number {
    this.runPreScorePlugins(pod);
    return this.scoreNodes(pod, nodes, count, totals, scratch);
  }

  /**
   * Scores `nodes[0..count)` with the plugins this cycle's PreScore kept: each plugin scores and
   * normalises into `scratch`, and weight × score is summed (RunScorePlugins). The sum for
   * `nodes[i]` is `totals[i]` plus the returned number: what plugins gave every node alike is
   * added once, to the return value, instead of to each total. Picking the host needs only
   * `totals`, since a shift common to every node changes neither which total is highest nor
   * which totals tie.
   */
  scoreNodes(pod: PodInfo, nodes: readonly NodeInfo[], count: number, totals: Int32Array, scratch: Int32Array): number {
    let common = 0;
    let started = false;
    for (let p = 0; p < this.activeScoreCount; p++) {
      const plugin = this.activeScores[p];
      const weight = this.activeWeights[p];
      const uniform = plugin.score(pod, nodes, count, scratch);
      if (typeof uniform === 'number') {
        // Normalising one node's score alone gives what each of the equal scores would get.
        this.one[0] = uniform;
        plugin.normalizeScore?.(this.one, 1);
        common += this.one[0] * weight;
        continue;
      }
      plugin.normalizeScore?.(scratch, count);
      // The first plugin that scores node by node sets the totals; the others add to them.
      if (started) for (let i = 0; i < count; i++) totals[i] += scratch[i] * weight;
      else for (let i = 0; i < count; i++) totals[i] = scratch[i] * weight;
      started = true;
    }
    if (!started) totals.fill(0, 0, count);
    return common;
  }

  /**
   * After PreFilter and PreScore: the memo of per-node verdicts and weighted scores for this
   * cycle's pod over `table`, or undefined when it cannot decide the cycle — a filter in play
   * or a score plugin that tells nodes apart is not node-local, or its scores are normalised
   * over the nodes scored. Entries of earlier cycles are kept when every plugin in play, and
   * its epoch, is the same as then; fill missing ones with {@link evaluateIntoMemo}.
   *
   * The memo's totals leave out the plugins that score every node alike: like the shift
   * scoreNodes returns apart, it changes no decision.
   */
  beginMemoCycle(pod: PodInfo, table: NodeTable): NodeResultMemo | undefined {
    const key = this.memoKey;
    key.fill(-1);
    const half = this.plugins.length;
    for (let i = 0; i < this.activeFilters.length; i++) {
      const plugin = this.activeFilters[i];
      if (plugin.nodeMemoEpoch === undefined) return undefined;
      key[31 - Math.clz32(this.activeFilterBits[i])] = plugin.nodeMemoEpoch(pod);
    }
    let count = 0;
    for (let p = 0; p < this.activeScoreCount; p++) {
      const plugin = this.activeScores[p];
      if (plugin.scoresAlike?.(table) === true) continue;
      if (plugin.nodeMemoEpoch === undefined || plugin.normalizeScore !== undefined) return undefined;
      key[half + this.activePositions[p]] = plugin.nodeMemoEpoch(pod);
      this.memoScores[count] = plugin;
      this.memoWeights[count++] = this.activeWeights[p];
    }
    this.memoScoreCount = count;
    this.memo.begin(table, key);
    return this.memo;
  }

  /**
   * Computes the memo entries of `nodes[0..count)` (nodes of the memo's table) for this cycle:
   * the filters in play, then the memoised score plugins on the nodes that fit. Reorders
   * `nodes`, which must be a scratch array.
   */
  evaluateIntoMemo(pod: PodInfo, nodes: NodeInfo[], count: number): void {
    const totals = this.memo.totals;
    for (let i = 0; i < count; i++) totals[nodes[i].slot] = UNFIT;
    this.memoDiagnosis.reset();
    const kept = this.runFilterPlugins(pod, nodes, count, this.memoDiagnosis);
    if (this.memoSums.length < kept) {
      let capacity = this.memoSums.length;
      while (capacity < kept) capacity *= 2;
      this.memoSums = new Int32Array(capacity);
      this.memoScratch = new Int32Array(capacity);
    }
    const { memoSums: sums, memoScratch: scratch } = this;
    // A loop, not fill(): a call into the runtime costs more than the one or two sums zeroed.
    for (let i = 0; i < kept; i++) sums[i] = 0;
    for (let p = 0; p < this.memoScoreCount; p++) {
      const weight = this.memoWeights[p];
      const uniform = this.memoScores[p].score(pod, nodes, kept, scratch);
      if (typeof uniform === 'number') for (let i = 0; i < kept; i++) sums[i] += uniform * weight;
      else for (let i = 0; i < kept; i++) sums[i] += scratch[i] * weight;
    }
    for (let i = 0; i < kept; i++) totals[nodes[i].slot] = sums[i];
  }
}
