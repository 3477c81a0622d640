/**
 * Running a scenario: build the cluster, create the nodes and manifests at t = 0, carry out the
 * timed actions, sample the timeline, measure rollouts and convergence, judge the expectations.
 * Deterministic: the same ResolvedScenario and seed give the same RunResult, byte for byte.
 */
import { Priority } from '../engine/priorities.js';
import type { RunState } from '../engine/simulation.js';
import { LimitError } from '../errors.js';
import { kindInfo } from '../api/kinds.js';
import { DEFAULT_IMAGE_PROFILE, TableImageCatalog } from '../kubelet/image-profile.js';
import type { ConvergenceRecord } from '../metrics/convergence.js';
import type { AvailabilityRecord } from '../metrics/availability.js';
import type { AutoscalerReading } from '../metrics/autoscaler-expectation.js';
import type { AutoscalerRecord, AutoscalerWarning } from '../metrics/autoscalers.js';
import type { FaultRecord } from '../metrics/faults.js';
import { type AvailableReading, type ExpectationResult, evaluateExpectations } from '../metrics/expectations.js';
import type { CronJobRecord } from '../metrics/cronjobs.js';
import type { JobRecord } from '../metrics/jobs.js';
import type { RolloutRecord } from '../metrics/rollouts.js';
import { replicaField } from '../metrics/replica-fields.js';
import { attachRunMetrics } from '../metrics/run-metrics.js';
import { type RequestRecord, RequestRates, RequestWindows, requestRecords } from '../metrics/requests.js';
import { type TimelineRow, TimelineSampler } from '../metrics/timeline.js';
import type { ResolvedScenario, ScenarioEvent, Target } from '../scenario/types.js';
import type { SimEvent } from '../cluster/event-log.js';
import { ActionExecutor, type NodeFaultListener, type RunWarning } from './actions.js';
import { FaultInjector } from './fault-injector.js';
import { SimCluster } from './cluster.js';
import { serviceKey } from '../traffic/traffic-rule.js';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Freeze stored API objects so that mutation of shared state throws (tests). */
  readonly freezeObjects?: boolean;
  /**
   * Called with the cluster before anything runs: attach observers or invariant checkers
   * (see testing/invariants.ts). Must not write to the cluster.
   */
  readonly instrument?: (cluster: SimCluster) => void;
}

export interface RunResult {
  readonly scenario: ResolvedScenario;
  readonly seed: number;
  /** How the engine stopped: `until-reached` or `drained` are normal ends. */
  readonly state: RunState;
  /** Simulation events executed. */
  readonly steps: number;
  /** Virtual time simulated, ms. */
  readonly virtualMs: number;
  readonly eventLines: readonly string[];
  readonly timeline: readonly TimelineRow[];
  readonly convergence: readonly ConvergenceRecord[];
  readonly rollouts: readonly RolloutRecord[];
  readonly jobs: readonly JobRecord[];
  readonly cronJobs: readonly CronJobRecord[];
  /** Per serving workload: time with fewer available pods than desired (metrics/availability.ts). */
  readonly availability: readonly AvailabilityRecord[];
  /** What each node fault did (metrics/faults.ts). */
  readonly faults: readonly FaultRecord[];
  /** What each HorizontalPodAutoscaler did (metrics/autoscalers.ts). */
  readonly autoscalers: readonly AutoscalerRecord[];
  /** What each Service with traffic was offered and served (metrics/requests.ts). */
  readonly requests: readonly RequestRecord[];
  readonly expectations: readonly ExpectationResult[];
  /** Actions the cluster refused at run time, images the scenario did not describe, HPA warnings. */
  readonly warnings: readonly RunWarning[];
  readonly passed: boolean;
}

export function runScenario(scenario: ResolvedScenario, options: RunOptions = {}): RunResult {
  const seed = options.seed ?? scenario.seed;
  const unknownImages = new Set<string>();
  const images = new TableImageCatalog(scenario.images, scenario.defaultImage, (image) => unknownImages.add(image));
  const cluster = new SimCluster({ seed, settings: scenario.settings, images, maxPods: scenario.limits.pods, freezeObjects: options.freezeObjects, startTimeMs: scenario.startTimeMs });
  const { sim, api } = cluster;

  const { pods, counts, rollouts, convergence, jobs, cronJobs, endpoints, availability, faults, autoscalers } = attachRunMetrics(sim, api, cluster.events, scenario.startTimeMs, cluster.traffic);
  const timeline = new TimelineSampler(sim, api, counts, endpoints, scenario.sampleIntervalMs, scenario.durationMs, scenario.limits.timelineRows, new RequestRates(cluster.traffic));
  const requestWindows = new RequestWindows(sim, cluster.traffic, scenario.expectations, scenario.durationMs);
  // Node faults, scripted or drawn: timed by the fault metrics, and a stopped node's pods stop
  // counting as available at once (the API reports them Ready until the controller notices).
  const nodeFaults: NodeFaultListener = {
    failed(fault, mode, nodes) {
      faults.started(fault, mode, nodes);
      for (const node of nodes) {
        if (mode === 'stopped') pods.setNodeDown(node, true);
        convergence.holdNode(node);
      }
    },
    recovered(nodes) {
      faults.recovered(nodes);
      // A scripted recoverNode also lets go of a node random faults hold.
      injector.release(nodes);
      for (const node of nodes) {
        pods.setNodeDown(node, false);
        convergence.releaseNode(node);
      }
    },
  };
  const injector = new FaultInjector(cluster, nodeFaults, (label) => {
    convergence.trigger(label);
    autoscalers.loadChange(label);
  });
  injector.schedule(scenario.faults, scenario.durationMs);
  cluster.events.subscribe((event) => {
    if (event.type === 'NodeNotReady' && event.kind === 'Node') convergence.releaseNode(event.name);
  });
  // A failed node removed (removeNode) is no longer waited for; pod GC deletes its pods (the
  // fault metrics count them as lost).
  api.observe((commit) => {
    if (commit.type !== 'DELETED' || commit.object.kind !== 'Node') return;
    const node = commit.object.metadata.name;
    injector.release([node]);
    convergence.releaseNode(node);
  });
  const executor = new ActionExecutor(cluster, scenario.nodePools, nodeFaults);
  options.instrument?.(cluster);

  sim.scheduleAt(0, () => {
    for (const pool of scenario.nodePools) executor.addPoolNodes(pool, pool.count);
    for (const node of scenario.nodes) cluster.addNode(node);
    // Kinds the simulator does not serve are kept in the scenario (and warned about) only.
    for (const { object } of scenario.manifests) if (kindInfo(object.kind) !== undefined) executor.apply(object);
    // Traffic starts once the manifests exist, so a rule finds its Service.
    for (const rule of scenario.traffic) cluster.traffic.setRule(rule);
    convergence.trigger('initial');
    autoscalers.loadChange('initial');
    for (const rule of scenario.traffic) autoscalers.trafficPattern(serviceKey(rule.namespace, rule.service), rule.rate, scenario.durationMs);
  }, Priority.Action);
  for (const event of scenario.events) scheduleEvent(event, event.atMs);
  const replicaReadings = new Map<number, number | undefined>();
  scenario.expectations.forEach(({ expectation: e }, index) => {
    if (e.type !== 'replicas' || e.atMs > scenario.durationMs) return;
    sim.scheduleAt(e.atMs, () => {
      const obj = api.get(e.target.kind, e.target.namespace, e.target.name);
      replicaReadings.set(index, obj === undefined ? undefined : replicaField(obj, e.field));
    }, Priority.Sample);
  });
  const eventCounts = countExpectedEvents(scenario, cluster);
  timeline.start();

  function scheduleEvent(event: ScenarioEvent, at: number): void {
    if (at > scenario.durationMs) return;
    sim.scheduleAt(at, () => {
      executor.execute(event);
      convergence.trigger(event.label);
      autoscalers.loadChange(event.label);
      const action = event.action;
      if (action.type === 'setTraffic' && action.update.rate !== undefined) autoscalers.trafficPattern(serviceKey(action.update.namespace, action.update.service), action.update.rate, scenario.durationMs);
      if (event.everyMs !== undefined) scheduleEvent(event, at + event.everyMs);
    }, Priority.Action);
  }

  const result = sim.run({ until: scenario.durationMs, maxSteps: scenario.limits.steps });
  if (result.state === 'step-limit') {
    throw new LimitError('steps', result.steps + 1, scenario.limits.steps, `the run took more than ${scenario.limits.steps} simulation steps by t=${result.now / 1000}s`);
  }
  const fallbackName = scenario.defaultImage === DEFAULT_IMAGE_PROFILE ? 'the built-in profile (pull 5s, start 1s, ready at once)' : 'the "*" profile';
  const availableReadings = new Map<number, AvailableReading | undefined>();
  scenario.expectations.forEach(({ expectation: e }, index) => {
    if (e.type !== 'available') return;
    availableReadings.set(index, availability.below(e.target.kind, e.target.namespace, e.target.name, e.atLeast, Math.min(e.beforeMs ?? sim.now, sim.now), e.afterMs));
  });
  const autoscalerReadings = new Map<number, AutoscalerReading | undefined>();
  scenario.expectations.forEach(({ expectation: e }, index) => {
    if (e.type !== 'autoscaler') return;
    const history = autoscalers.history(e.target.namespace, e.target.name);
    autoscalerReadings.set(index, history === undefined ? undefined : { history, endMs: sim.now });
  });
  const measured = { convergence: convergence.finish(), rollouts: rollouts.finish(), jobs: jobs.records(), replicaReadings, eventCounts, availableReadings, autoscalerReadings, requestReadings: requestWindows.finish() };
  const expectations = evaluateExpectations(scenario.expectations, measured);
  const warnings: RunWarning[] = [
    ...[...unknownImages].sort().map((image) => ({ t: 0, message: `image "${image}" is not in spec.images; it uses ${fallbackName}`, file: scenario.file })),
    ...executor.warnings,
    ...cluster.traffic.warnings,
    ...autoscalers.warnings().map((w) => hpaWarning(scenario, w)),
  ];
  return {
    scenario,
    seed,
    state: result.state,
    steps: sim.stepsExecuted,
    virtualMs: sim.now,
    eventLines: cluster.events.jsonLines(),
    timeline: timeline.rows,
    convergence: measured.convergence,
    rollouts: measured.rollouts,
    jobs: measured.jobs,
    cronJobs: cronJobs.records(measured.jobs),
    availability: availability.records(sim.now),
    faults: faults.records(),
    autoscalers: autoscalers.records(sim.now),
    requests: requestRecords(cluster.traffic),
    expectations,
    warnings,
    passed: expectations.every((e) => e.passed),
  };
}

/**
 * An HPA's warning (FailedGetScale, FailedGetResourceMetric, …) for stderr, located at the HPA's
 * manifest, or at the action that applied it.
 */
function hpaWarning(scenario: ResolvedScenario, w: AutoscalerWarning): RunWarning {
  const isIt = (object: { kind: string; metadata: { name: string; namespace?: string } }) =>
    object.kind === 'HorizontalPodAutoscaler' && object.metadata.name === w.name && (object.metadata.namespace ?? 'default') === w.namespace;
  const manifest = scenario.manifests.find((m) => isIt(m.object));
  const applied = scenario.events.find((e) => e.action.type === 'apply' && isIt(e.action.manifest));
  const where = manifest?.source ?? applied?.source ?? { file: scenario.file };
  return { t: w.t, message: `HorizontalPodAutoscaler "${w.name}": ${w.reason}: ${w.message}`, file: where.file, line: where.line, column: where.column };
}

/** Counts, as they happen, the events that `event` expectations ask about. */
function countExpectedEvents(scenario: ResolvedScenario, cluster: SimCluster): Map<number, number> {
  const counts = new Map<number, number>();
  const wanted = scenario.expectations.flatMap(({ expectation: e }, index) => (e.type === 'event' ? [{ e, index }] : []));
  if (wanted.length === 0) return counts;
  for (const { index } of wanted) counts.set(index, 0);
  cluster.events.subscribe((event) => {
    const ms = event.t * 1000;
    for (const { e, index } of wanted) {
      if (event.type !== e.eventType || ms < e.afterMs || (e.beforeMs !== undefined && ms > e.beforeMs)) continue;
      if (e.target !== undefined && !isAbout(event, e.target, cluster)) continue;
      counts.set(index, (counts.get(index) ?? 0) + 1);
    }
  });
  return counts;
}

/**
 * Whether an event concerns `target`: it is about the target itself, or about something the
 * target controls — directly (a ReplicaSet's or StatefulSet's pod) or through what it controls
 * (a Deployment's pod through its ReplicaSet, a CronJob's pod through its Job).
 */
function isAbout(event: SimEvent, target: Target, cluster: SimCluster): boolean {
  if ((event.namespace ?? '') !== target.namespace) return false;
  if (event.kind === target.kind && event.name === target.name) return true;
  const owner = event.owner;
  if (owner === undefined) return false;
  if (owner === `${target.kind}/${target.name}`) return true;
  const slash = owner.indexOf('/');
  const parent = cluster.api.get(owner.slice(0, slash), event.namespace, owner.slice(slash + 1));
  const ref = parent?.metadata.ownerReferences?.find((r) => r.controller);
  return ref?.kind === target.kind && ref.name === target.name;
}
