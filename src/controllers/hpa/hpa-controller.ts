/**
 * The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/horizontal.go, 1.35):
 * every sync period (15 s) per HPA, read the target's scale, compute one proposal per metric
 * (metric-proposals.ts), take the largest, stabilize and rate-limit it (normalize.ts without
 * `behavior`, behavior.ts with it), write the target's `spec.replicas` through its scale
 * subresource, then the HPA's status and conditions.
 *
 * The queue follows upstream's fixed-interval rate limiter: a new or changed HPA is first
 * looked at one sync period later, and every sync (failed or not) asks for the next one a sync
 * period later — a requeueAfter, not polling.
 *
 * Deliberate differences: status writes carry no resourceVersion precondition (upstream's
 * UpdateStatus meets a conflict and retries on the next sync; the status written is the same).
 * `status.observedGeneration` is set to the generation the sync acted on; upstream's controller
 * leaves it unset. Kubernetes events are events.jsonl lines (hpa-events.ts).
 */
import { formatLabelSelector, isEmptySelector, type LabelPredicate } from '../../api/label-selector.js';
import { metaKey, splitKey } from '../../api/object-key.js';
import { generateHPAScaleDownRules, generateHPAScaleUpRules } from '../../api/defaults/horizontal-pod-autoscaler.js';
import type { Condition, DeepReadonly, LabelSelector } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, MetricStatus } from '../../api/types/horizontal-pod-autoscaler.js';
import type { Informer } from '../../cluster/informer.js';
import { isApiError } from '../../errors.js';
import { deepEqual } from '../../util/objects.js';
import type { Controller, ControllerContext, Enqueue, ReconcileResult } from '../controller.js';
import { type NormalizationArg, convertDesiredReplicasWithBehaviorRate, stabilizeRecommendationWithBehaviors, storeScaleEvent } from './behavior.js';
import { HpaEvents } from './hpa-events.js';
import { type ConditionUpdate, type MetricContext, computeReplicasForMetrics } from './metric-proposals.js';
import { NO_METRICS_API } from './no-metrics-api.js';
import { convertDesiredReplicasWithRules, stabilizeRecommendation } from './normalize.js';
import { type HpaHistory, newHistory, recordInitialRecommendation } from './recommendations.js';
import { ReplicaCalculator } from './replica-calculator.js';
import { type Scale, getScale, updateScale } from './scale-target.js';
import { DEFAULT_HPA_SETTINGS, type HpaSettings } from './settings.js';
import { TargetPods } from './target-pods.js';
import { type Tolerances, tolerancesFor } from './tolerances.js';
import { WorkingConditions } from './working-conditions.js';

type Hpa = DeepReadonly<HorizontalPodAutoscaler>;

/** What a sync builds on: the stored status, and the conditions it sets. */
interface WorkingStatus {
  readonly old: DeepReadonly<HorizontalPodAutoscalerStatus> | undefined;
  readonly conditions: WorkingConditions;
}

/** What upstream's NothingSelector stands for until an HPA's first sync reads its target. */
const SELECTS_NOTHING: LabelPredicate = () => false;

/** The outcome of a sync whose target's selector is unusable (validateAndParseSelector). */
function selectorFailure(reason: string, message: string, error: string) {
  return {
    replicas: -1,
    metric: '',
    statuses: undefined,
    error,
    condition: { type: 'ScalingActive', status: 'False', reason, message } as ConditionUpdate,
  };
}

/**
 * The HPAs of one namespace with the selector of each one's target as last read (upstream's
 * hpaSelectors), and a generation that moves whenever one is added, removed or changes.
 */
interface NamespaceSelectors {
  readonly byKey: Map<string, LabelPredicate>;
  generation: number;
}

/** Which HPAs of a namespace select a pod with these labels, as of a generation of its selectors. */
interface SelectedBy {
  readonly selectors: NamespaceSelectors;
  readonly generation: number;
  readonly keys: readonly string[];
}

export class HorizontalController implements Controller {
  readonly name = 'horizontal-pod-autoscaler';
  readonly settings: HpaSettings;
  readonly events: HpaEvents;
  /** Per HPA key: recommendations and scale events (upstream's maps). Public for tests. */
  readonly histories = new Map<string, HpaHistory>();
  private readonly hpas: Informer<HorizontalPodAutoscaler>;
  private readonly targetPods: TargetPods;
  /**
   * Per namespace, per HPA key: the selector of its target as last read (upstream's
   * hpaSelectors), to tell when two HPAs control the same pods.
   */
  private readonly selectors = new Map<string, NamespaceSelectors>();
  /**
   * Per pod labels object: the HPAs whose selectors match it. Upstream matches every pod of the
   * target against every HPA of the namespace on every sync; the answer only changes when a
   * pod's labels or the namespace's selectors do, so it is kept per labels object (stored
   * objects are immutable, and a pod keeps its labels object until its labels change) and
   * recomputed when the namespace's generation moved. Cost per sync: one lookup per pod,
   * whatever the number of HPAs.
   */
  private readonly selectedBy = new WeakMap<object, SelectedBy>();
  /** Status objects this controller wrote (the API server stores the very object). */
  private readonly written = new WeakSet<object>();
  /** Tolerances by behavior object (stored, immutable); `noBehavior` for HPAs without one. */
  private readonly tolerancesByBehavior = new WeakMap<object, Tolerances>();
  private readonly noBehavior: Tolerances;
  /** The replica calculator: its inputs (metrics client, timings, clock) never change. */
  private readonly calculator: ReplicaCalculator;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.settings = ctx.hpa ?? DEFAULT_HPA_SETTINGS;
    this.events = new HpaEvents(ctx.events);
    this.hpas = ctx.informers.forKind<HorizontalPodAutoscaler>('HorizontalPodAutoscaler');
    this.targetPods = new TargetPods(ctx.informers);
    this.noBehavior = tolerancesFor(undefined, this.settings.tolerance);
    this.calculator = new ReplicaCalculator(
      ctx.metrics ?? NO_METRICS_API,
      { cpuInitializationPeriodMs: this.settings.cpuInitializationPeriodMs, delayOfInitialReadinessStatusMs: this.settings.initialReadinessDelayMs },
      () => this.now,
    );
    this.hpas.addEventHandler({
      add: (hpa) => this.enqueue(hpa),
      update: (_old, hpa) => this.enqueue(hpa),
      delete: (hpa) => this.forget(hpa),
    });
  }

  private get now(): number {
    return this.ctx.sim.now;
  }

  /** enqueueHPA: AddRateLimited with the fixed sync-period limiter, and a selector slot. */
  private enqueue(hpa: Hpa): void {
    const key = metaKey(hpa.metadata);
    this.queue.addAfter(key, this.settings.syncPeriodMs);
    const namespace = hpa.metadata.namespace ?? '';
    let inNamespace = this.selectors.get(namespace);
    if (inNamespace === undefined) this.selectors.set(namespace, (inNamespace = { byKey: new Map(), generation: 0 }));
    if (!inNamespace.byKey.has(key)) {
      inNamespace.byKey.set(key, SELECTS_NOTHING);
      inNamespace.generation++;
    }
  }

  /** deleteHPA and reconcileKey's NotFound branch: the HPA's memory goes. */
  private forget(hpa: Hpa): void {
    const key = metaKey(hpa.metadata);
    this.histories.delete(key);
    const inNamespace = this.selectors.get(hpa.metadata.namespace ?? '');
    if (inNamespace?.byKey.delete(key)) inNamespace.generation++;
    this.events.forget(hpa.metadata.uid ?? '');
  }

  /** The HPA's history, created on first use. */
  history(key: string): HpaHistory {
    let history = this.histories.get(key);
    if (history === undefined) this.histories.set(key, (history = newHistory()));
    return history;
  }

  reconcile(key: string): ReconcileResult | void {
    const { namespace, name } = splitKey(key);
    const hpa = this.hpas.get(namespace, name);
    if (hpa === undefined) {
      this.histories.delete(key);
      return;
    }
    this.reconcileAutoscaler(hpa, key);
    this.events.endSync(hpa);
    return { requeueAfter: this.settings.syncPeriodMs };
  }

  private setCondition(work: WorkingStatus, update: ConditionUpdate): void {
    work.conditions.set(update);
  }

  /** reconcileAutoscaler. */
  private reconcileAutoscaler(hpa: Hpa, key: string): void {
    const old = hpa.status;
    const work: WorkingStatus = { old, conditions: new WorkingConditions((old?.conditions ?? []) as Condition[], this.now) };

    const scale = getScale(this.ctx.api, hpa.metadata.namespace ?? '', hpa.spec.scaleTargetRef);
    if ('error' in scale) {
      this.events.warning(hpa, 'FailedGetScale', scale.error);
      this.setCondition(work, { type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${scale.error}` });
      // The stored status as it was, with the new condition (a copy: it is completed in place).
      this.updateStatusIfNeeded(hpa, work, { ...(old as HorizontalPodAutoscalerStatus | undefined), desiredReplicas: old?.desiredReplicas ?? 0 });
      return;
    }
    this.setCondition(work, { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });
    const currentReplicas = scale.specReplicas;
    const history = this.history(key);
    recordInitialRecommendation(history, currentReplicas, this.now);

    const minReplicas = hpa.spec.minReplicas ?? 1;
    const maxReplicas = hpa.spec.maxReplicas;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let rescaleMetric = '';
    let metricStatuses: MetricStatus[] | undefined;
    let rescale = true;

    if (currentReplicas === 0 && minReplicas !== 0) {
      // Autoscaling is off while the target is scaled to zero.
      rescale = false;
      this.setCondition(work, { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const outcome = this.computeReplicasForMetrics(hpa, key, scale);
      metricStatuses = outcome.statuses;
      this.setCondition(work, outcome.condition);
      if (outcome.replicas === -1) {
        this.updateStatusIfNeeded(hpa, work, this.setStatus(hpa, work, currentReplicas, old?.desiredReplicas ?? 0, metricStatuses, false));
        this.events.warning(hpa, 'FailedComputeMetricsReplicas', outcome.error ?? '');
        return;
      }
      if (outcome.replicas > desiredReplicas) {
        desiredReplicas = outcome.replicas;
        rescaleMetric = outcome.metric;
      }
      if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      desiredReplicas =
        hpa.spec.behavior == null
          ? this.normalizeDesiredReplicas(hpa, work, history, currentReplicas, desiredReplicas, minReplicas)
          : this.normalizeDesiredReplicasWithBehaviors(hpa, work, history, currentReplicas, desiredReplicas, minReplicas);
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        updateScale(this.ctx.api, scale, desiredReplicas);
      } catch (error) {
        if (!isApiError(error)) throw error;
        this.events.warning(hpa, 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${error.message}`);
        this.setCondition(work, { type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${error.message}` });
        this.updateStatusIfNeeded(hpa, work, this.setStatus(hpa, work, currentReplicas, old?.desiredReplicas ?? 0, metricStatuses, false));
        return;
      }
      this.setCondition(work, { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desiredReplicas}` });
      this.events.rescale(hpa, currentReplicas, desiredReplicas, rescaleMetric, rescaleReason);
      this.storeScaleEvent(hpa, history, currentReplicas, desiredReplicas);
    } else {
      desiredReplicas = currentReplicas;
    }
    this.updateStatusIfNeeded(hpa, work, this.setStatus(hpa, work, currentReplicas, desiredReplicas, metricStatuses, rescale));
  }

  /**
   * computeReplicasForMetrics: the selector checks (validateAndParseSelector), then the
   * proposals of every metric.
   */
  private computeReplicasForMetrics(hpa: Hpa, key: string, scale: Scale) {
    const selector = scale.selector;
    const events = this.events;
    if (selector === undefined || isEmptySelector(selector)) {
      events.warning(hpa, 'SelectorRequired', 'selector is required');
      return selectorFailure('InvalidSelector', "the HPA target's scale is missing a selector", 'selector is required');
    }
    // Upstream lists the pods again for each metric; within one sync the list cannot change.
    const pods = this.targetPods.list(scale, selector);
    const ambiguous = this.ambiguousSelector(hpa, key, selector, pods);
    if (ambiguous !== undefined) {
      events.warning(hpa, 'AmbiguousSelector', ambiguous);
      return selectorFailure('AmbiguousSelector', ambiguous, ambiguous);
    }
    // Methods, not arrow-function properties: this object is built on every sync, and under tsx
    // (esbuild's keepNames) each named arrow costs a defineProperty call.
    const metrics: MetricContext = {
      calculator: this.calculator,
      tolerances: this.tolerances(hpa),
      namespace: hpa.metadata.namespace ?? '',
      selector,
      listPods() {
        return pods;
      },
      warn(reason, message) {
        events.warning(hpa, reason, message);
      },
    };
    return computeReplicasForMetrics(metrics, hpa.spec.metrics ?? [], scale.specReplicas, scale.statusReplicas);
  }

  /**
   * Records this HPA's selector and, when another HPA of the namespace selects one of its pods,
   * returns upstream's AmbiguousSelector message (hpasControllingPodsUnderSelector).
   */
  private ambiguousSelector(hpa: Hpa, key: string, selector: DeepReadonly<LabelSelector>, pods: readonly DeepReadonly<Pod>[]): string | undefined {
    const inNamespace = this.selectors.get(hpa.metadata.namespace ?? '');
    // Only an HPA registered by its watch events takes part, as upstream. The predicate is
    // cached per selector object, so an unchanged target selector leaves the generation alone.
    if (inNamespace?.byKey.has(key)) {
      const predicate = this.targetPods.predicate(selector);
      if (inNamespace.byKey.get(key) !== predicate) {
        inNamespace.byKey.set(key, predicate);
        inNamespace.generation++;
      }
    }
    if (inNamespace === undefined || inNamespace.byKey.size < 2) return undefined;
    let selecting: Set<string> | undefined;
    let only: string | undefined;
    for (const pod of pods) {
      for (const other of this.hpasSelecting(inNamespace, pod.metadata.labels)) {
        if (selecting !== undefined) selecting.add(other);
        else if (only === undefined) only = other;
        else if (other !== only) selecting = new Set([only, other]);
      }
    }
    if (selecting === undefined) return undefined;
    return `pods by selector ${formatLabelSelector(selector)} are controlled by multiple HPAs: [${[...selecting].sort().join(' ')}]`;
  }

  /** The HPAs of the namespace whose selectors match `labels` (see {@link selectedBy}). */
  private hpasSelecting(inNamespace: NamespaceSelectors, labels: DeepReadonly<Record<string, string>> | undefined): readonly string[] {
    const cached = labels === undefined ? undefined : this.selectedBy.get(labels);
    if (cached !== undefined && cached.selectors === inNamespace && cached.generation === inNamespace.generation) return cached.keys;
    const keys: string[] = [];
    for (const [other, matches] of inNamespace.byKey) if (matches(labels)) keys.push(other);
    if (labels !== undefined) this.selectedBy.set(labels, { selectors: inNamespace, generation: inNamespace.generation, keys });
    return keys;
  }

  /** The HPA's tolerances, read once per behavior object rather than on every sync. */
  private tolerances(hpa: Hpa): Tolerances {
    const behavior = hpa.spec.behavior;
    if (behavior == null) return this.noBehavior;
    let tolerances = this.tolerancesByBehavior.get(behavior);
    if (tolerances === undefined) this.tolerancesByBehavior.set(behavior, (tolerances = tolerancesFor(behavior, this.settings.tolerance)));
    return tolerances;
  }

  /** normalizeDesiredReplicas: without behavior. */
  private normalizeDesiredReplicas(hpa: Hpa, work: WorkingStatus, history: HpaHistory, currentReplicas: number, prenormalized: number, minReplicas: number): number {
    const stabilized = stabilizeRecommendation((history.recommendations ??= []), prenormalized, this.now, this.settings.downscaleStabilizationWindowMs);
    if (stabilized !== prenormalized) {
      this.setCondition(work, { type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    } else {
      this.setCondition(work, { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    }
    const normalized = convertDesiredReplicasWithRules(currentReplicas, stabilized, minReplicas, hpa.spec.maxReplicas);
    this.setCondition(work, { type: 'ScalingLimited', status: normalized.replicas === stabilized ? 'False' : 'True', reason: normalized.reason, message: normalized.message });
    return normalized.replicas;
  }

  /** The behavior's rules as the controller reads them (maybeInitScaleDownStabilizationWindow). */
  private normalizationArg(hpa: Hpa, currentReplicas: number, desiredReplicas: number, minReplicas: number): NormalizationArg {
    const behavior = hpa.spec.behavior;
    const scaleUp = behavior?.scaleUp ?? generateHPAScaleUpRules(undefined);
    const scaleDown = behavior?.scaleDown ?? generateHPAScaleDownRules(undefined);
    return {
      scaleUp,
      scaleDown,
      scaleUpWindowSeconds: scaleUp.stabilizationWindowSeconds ?? 0,
      scaleDownWindowSeconds: scaleDown.stabilizationWindowSeconds ?? Math.trunc(this.settings.downscaleStabilizationWindowMs / 1000),
      minReplicas,
      maxReplicas: hpa.spec.maxReplicas,
      currentReplicas,
      desiredReplicas,
    };
  }

  /** normalizeDesiredReplicasWithBehaviors: stabilization windows, then the rate limits. */
  private normalizeDesiredReplicasWithBehaviors(
    hpa: Hpa,
    work: WorkingStatus,
    history: HpaHistory,
    currentReplicas: number,
    prenormalized: number,
    minReplicas: number,
  ): number {
    const arg = this.normalizationArg(hpa, currentReplicas, prenormalized, minReplicas);
    const stabilized = stabilizeRecommendationWithBehaviors((history.recommendations ??= []), arg, this.now);
    if (stabilized.replicas !== prenormalized) {
      this.setCondition(work, { type: 'AbleToScale', status: 'True', reason: stabilized.reason, message: stabilized.message });
    } else {
      this.setCondition(work, { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    }
    const normalized = convertDesiredReplicasWithBehaviorRate({ ...arg, desiredReplicas: stabilized.replicas }, history.scaleUpEvents, history.scaleDownEvents, this.now);
    this.setCondition(work, { type: 'ScalingLimited', status: normalized.replicas === stabilized.replicas ? 'False' : 'True', reason: normalized.reason, message: normalized.message });
    return normalized.replicas;
  }

  /** storeScaleEvent: only HPAs with behavior keep scale events (nothing else reads them). */
  private storeScaleEvent(hpa: Hpa, history: HpaHistory, previous: number, next: number): void {
    const behavior = hpa.spec.behavior;
    if (behavior == null) return;
    if (next > previous) storeScaleEvent(history.scaleUpEvents, behavior.scaleUp ?? generateHPAScaleUpRules(undefined), next - previous, this.now);
    else storeScaleEvent(history.scaleDownEvents, behavior.scaleDown ?? generateHPAScaleDownRules(undefined), previous - next, this.now);
  }

  /** setStatus: the counts and metrics of this sync; lastScaleTime moves on a rescale. */
  private setStatus(hpa: Hpa, work: WorkingStatus, currentReplicas: number, desiredReplicas: number, metricStatuses: MetricStatus[] | undefined, rescale: boolean): HorizontalPodAutoscalerStatus {
    const status: HorizontalPodAutoscalerStatus = { currentReplicas, desiredReplicas };
    if (hpa.metadata.generation !== undefined) status.observedGeneration = hpa.metadata.generation;
    const lastScaleTime = rescale ? this.now : work.old?.lastScaleTime;
    if (lastScaleTime !== undefined) status.lastScaleTime = lastScaleTime;
    if (metricStatuses !== undefined && metricStatuses.length > 0) status.currentMetrics = metricStatuses;
    return status;
  }

  /**
   * deepEqual(status, stored ?? {}), field by field when the stored status is one this
   * controller wrote: it then has no field but the six of HorizontalPodAutoscalerStatus, and
   * for those deepEqual is === on the numbers and deepEqual on the two lists. An unchanged
   * conditions list is the stored array itself (working-conditions.ts), settled by identity;
   * what usually differs is a metric value, found without walking the rest.
   */
  private statusUnchanged(status: HorizontalPodAutoscalerStatus, stored: DeepReadonly<HorizontalPodAutoscalerStatus> | undefined): boolean {
    if (stored === undefined || !this.written.has(stored)) return deepEqual(status, stored ?? {});
    return (
      status.currentReplicas === stored.currentReplicas &&
      status.desiredReplicas === stored.desiredReplicas &&
      status.observedGeneration === stored.observedGeneration &&
      status.lastScaleTime === stored.lastScaleTime &&
      deepEqual(status.currentMetrics, stored.currentMetrics) &&
      deepEqual(status.conditions, stored.conditions)
    );
  }

  /** updateStatusIfNeeded: write only a changed status (see the header on preconditions). */
  private updateStatusIfNeeded(hpa: Hpa, work: WorkingStatus, status: HorizontalPodAutoscalerStatus): void {
    // `status` is this sync's own object: it is completed in place rather than copied once more
    // (a copy of an object that gains keys one by one was the slowest step of a sync).
    const conditions = work.conditions.result();
    if (conditions.length > 0) status.conditions = conditions;
    else delete status.conditions;
    if (this.statusUnchanged(status, hpa.status)) return;
    const { resourceVersion: _stale, ...metadata } = hpa.metadata;
    try {
      this.ctx.api.updateStatus<HorizontalPodAutoscaler>({ ...(hpa as HorizontalPodAutoscaler), metadata: metadata as HorizontalPodAutoscaler['metadata'], status });
      this.written.add(status);
    } catch (error) {
      if (!isApiError(error)) throw error;
      this.events.warning(hpa, 'FailedUpdateStatus', error.message);
    }
  }
}

export function horizontalPodAutoscalerController(ctx: ControllerContext, queue: Enqueue): HorizontalController {
  return new HorizontalController(ctx, queue);
}
