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
 *
 * Not modelled (the interfaces leave room for them): QueueSort/PreEnqueue plugins (the queue
 * sorts by priority itself), PostFilter (preemption), Reserve/Permit/PreBind/PostBind, and
 * binders other than the API server's binding subresource.
 */
import type { ClusterEvent, ClusterEventRegistration } from './cluster-events.js';
import { eventMatches } from './cluster-events.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';

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

/** Says which nodes can run the pod, and why the others cannot. */
export interface FilterPlugin extends Plugin {
  /** Cluster events that can turn this plugin's rejection into a fit (EventsToRegister). */
  readonly events: readonly ClusterEventRegistration[];
  /**
   * Filters `nodes[0..count)` in place: moves the nodes that fit to the front, keeping their
   * order, reports at least one reason per rejected node, and returns how many fit.
   */
  filter(pod: PodInfo, nodes: NodeInfo[], count: number, rejections: Rejections): number;
}

/** Ranks the feasible nodes; the framework multiplies by the weight and sums. */
export interface ScorePlugin extends Plugin {
  /** Per-cycle preparation; returning false skips the plugin for this pod (PreScore Skip). */
  preScore?(pod: PodInfo): boolean;
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
    this.reasons.clear();
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
  private readonly filters: FilterPlugin[] = [];
  private readonly scores: ScorePlugin[] = [];
  private readonly weights: number[] = [];
  private readonly bits = new Map<Plugin, number>();
  /** Filters still in play this cycle (those whose PreFilter did not skip), and their bits. */
  private activeFilters: FilterPlugin[] = [];
  private activeFilterBits: number[] = [];
  private skippedFilters = 0;
  /** Scratch for normalising a score every node shares. */
  private readonly one = new Int32Array(1);

  constructor(configs: readonly PluginConfig[]) {
    if (configs.length > MAX_PLUGINS) throw new RangeError(`Framework: at most ${MAX_PLUGINS} plugins, got ${configs.length}`);
    this.plugins = configs.map((config) => config.plugin);
    configs.forEach(({ plugin, weight }, index) => {
      this.bits.set(plugin, 1 << index);
      if (isPreFilter(plugin)) this.preFilters.push(plugin);
      if (isFilter(plugin)) this.filters.push(plugin);
      if (isScore(plugin)) {
        if (weight === undefined || !Number.isInteger(weight) || weight < 1) {
          throw new RangeError(`Framework: score plugin ${plugin.name} needs a positive integer weight, got ${weight}`);
        }
        this.scores.push(plugin);
        this.weights.push(weight);
      }
    });
    this.activeFilters = this.filters;
    this.activeFilterBits = this.filters.map((plugin) => this.bits.get(plugin) as number);
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
    for (const plugin of this.preFilters) {
      const result = plugin.preFilter(pod);
      if (result === undefined) continue;
      if (result === 'skip') {
        skipped |= this.bits.get(plugin) as number;
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

  /**
   * Scores `nodes[0..count)`: each plugin scores and normalises into `scratch`, and
   * weight × score is summed (RunScorePlugins). The sum for `nodes[i]` is `totals[i]` plus the
   * returned number: what plugins gave every node alike is added once, to the return value,
   * instead of to each total. Picking the host needs only `totals`, since a shift common to
   * every node changes neither which total is highest nor which totals tie.
   */
  runScorePlugins(pod: PodInfo, nodes: readonly NodeInfo[], count: number, totals: Int32Array, scratch: Int32Array): number {
    let common = 0;
    let started = false;
    for (let p = 0; p < this.scores.length; p++) {
      const plugin = this.scores[p];
      if (plugin.preScore !== undefined && !plugin.preScore(pod)) continue;
      const weight = this.weights[p];
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
}
