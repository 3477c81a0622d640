/**
 * A scenario after loading: every scenario default resolved in one place (scenario/load.ts),
 * every duration in integer milliseconds, every manifest checked as the API server would check
 * it. The simulation is built from this alone (sim/run.ts).
 */
import type { HpaSettings } from '../controllers/hpa/settings.js';
import type { Distribution } from '../engine/distribution.js';
import type { KubeObject, LabelSelector } from '../api/types/meta.js';
import type { Taint } from '../api/types/node.js';
import type { ResourceList } from '../api/types/pod.js';
import type { KubeletSettings } from '../kubelet/kubelet.js';
import type { NodeFaultMode } from '../kubelet/node-fault.js';
import type { NodeLifecycleSettings } from '../controllers/node-lifecycle/settings.js';
import type { ImageProfile } from '../kubelet/image-profile.js';
import type { SourceLocation } from '../errors.js';
import type { Limits } from './limits.js';
import type { MetricRule } from '../metrics-pipeline/metric-rules.js';
import type { MetricsPipelineSettings } from '../metrics-pipeline/metrics-pipeline.js';
import type { TrafficRule, TrafficUpdate } from '../traffic/traffic-rule.js';
import type { TrafficSettings } from '../traffic/traffic-model.js';

/** `deployment/web` in namespace `default`, with the kind resolved to its canonical name. */
import type { FaultSource } from './faults.js';

export interface Target {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export interface NodePoolSpec {
  readonly name: string;
  readonly count: number;
  readonly capacity: ResourceList;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
}

/** A node given as a `kind: Node` manifest. */
export interface NodeManifest {
  readonly name: string;
  readonly capacity: ResourceList;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
}

export type Cascade = 'Background' | 'Foreground' | 'Orphan';

export type Action =
  | { readonly type: 'apply'; readonly manifest: KubeObject }
  | {
      readonly type: 'delete';
      readonly target?: Target;
      readonly selector?: LabelSelector;
      readonly kind?: string;
      readonly namespace: string;
      readonly cascade: Cascade;
      readonly gracePeriodSeconds?: number;
    }
  | { readonly type: 'scale'; readonly target: Target; readonly replicas: number }
  | { readonly type: 'setImage'; readonly target: Target; readonly image: string; readonly container?: string }
  | { readonly type: 'patch'; readonly target: Target; readonly merge: Record<string, unknown> }
  | { readonly type: 'rolloutUndo'; readonly target: Target; readonly toRevision?: number }
  | { readonly type: 'rolloutPause' | 'rolloutResume'; readonly target: Target }
  | { readonly type: 'addNodes'; readonly pool: string; readonly count: number; readonly readyAfter?: Distribution }
  | { readonly type: 'removeNode' | 'cordon' | 'uncordon'; readonly node: string }
  | { readonly type: 'drain'; readonly node: string; readonly gracePeriodSeconds?: number }
  /** A node fault (kubelet/node-fault.ts): the selected nodes stop, or are cut off. */
  | { readonly type: 'failNode'; readonly nodes: NodeSelection; readonly mode: NodeFaultMode }
  | { readonly type: 'recoverNode'; readonly nodes: NodeSelection }
  | {
      readonly type: 'killPod';
      readonly target?: Target;
      readonly selector?: LabelSelector;
      readonly namespace: string;
      readonly count: number;
      readonly container?: string;
      readonly exitCode: number;
    }
  /** Changes a Service's traffic (scenario/traffic.ts); `target` is the Service. */
  | { readonly type: 'setTraffic'; readonly target: Target; readonly update: TrafficUpdate }
  /** Adds a metric rule (scenario/traffic.ts); `label` is how outputs name its subject. */
  | { readonly type: 'setMetric'; readonly rule: MetricRule; readonly subject: string };

/** Which nodes a failNode / recoverNode acts on: one node, every node of a zone, or of a pool. */
export interface NodeSelection {
  readonly by: 'node' | 'zone' | 'pool';
  readonly name: string;
}

export type ActionType = Action['type'];

export interface ScenarioEvent {
  readonly atMs: number;
  /** Repeats every `everyMs` until the horizon. */
  readonly everyMs?: number;
  readonly action: Action;
  /** How outputs name it: `setImage deployment/web`. */
  readonly label: string;
  readonly source: SourceLocation;
}

/** A count bound as written in an expectation: `"<= 2"`, `">= 1"`, `"== 3"`, or a bare number (at most). */
export interface CountComparison {
  readonly op: '<=' | '>=' | '<' | '>' | '==';
  readonly value: number;
}

export type Expectation =
  | { readonly type: 'converged'; readonly withinMs?: number }
  | {
      readonly type: 'rollout';
      readonly target: Target;
      readonly withinMs?: number;
      readonly minAvailable?: number;
      readonly maxPods?: number;
      readonly revision?: number;
    }
  | {
      /** A Job finished the way it should (Complete, or Failed), within a time of its creation. */
      readonly type: 'job';
      readonly target: Target;
      readonly succeeded: boolean;
      readonly withinMs?: number;
    }
  | {
      /** Events of a type (optionally about one object) counted in a time window. */
      readonly type: 'event';
      readonly eventType: string;
      readonly target?: Target;
      readonly afterMs: number;
      readonly beforeMs?: number;
      readonly atLeast: number;
      readonly atMost?: number;
    }
  | {
      /**
       * A serving workload kept at least `atLeast` pods available from `afterMs` (default: the
       * first time it had that many) to `beforeMs` (default: the end), allowing `maxBelowMs` in
       * total below it (default 0: never below).
       */
      readonly type: 'available';
      readonly target: Target;
      readonly atLeast: number;
      readonly maxBelowMs: number;
      readonly afterMs?: number;
      readonly beforeMs?: number;
    }
  | {
      /**
       * A HorizontalPodAutoscaler (`target`) from `afterMs` on: its scale target reaches
       * `reaches` replicas (within `withinMs`), stays within [minReplicas, maxReplicas], and its
       * direction changes and rescales compare as given.
       */
      readonly type: 'autoscaler';
      readonly target: Target;
      readonly afterMs: number;
      readonly reaches?: number;
      readonly withinMs?: number;
      readonly minReplicas?: number;
      readonly maxReplicas?: number;
      readonly directionChanges?: CountComparison;
      readonly rescales?: CountComparison;
    }
  | {
      /**
       * A Service's requests: served ÷ offered over the run (or from `afterMs` to `beforeMs`)
       * compares to `successRate` as `comparison` says.
       */
      readonly type: 'requests';
      readonly target: Target;
      readonly comparison: RateComparison;
      readonly successRate: number;
      readonly afterMs?: number;
      readonly beforeMs?: number;
    }
  | {
      readonly type: 'replicas';
      readonly target: Target;
      readonly atMs: number;
      readonly field: ReplicasField;
      readonly equals?: number;
      readonly atLeast?: number;
      readonly atMost?: number;
    };

/** How a measured rate must compare to the expected one. */
export type RateComparison = '>=' | '>' | '<=' | '<' | '==';

/** Which count a `replicas` expectation reads. */
export type ReplicasField = 'spec' | 'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas';

export interface LabelledExpectation {
  readonly expectation: Expectation;
  /** How outputs name it: `rollout deployment/web`. */
  readonly label: string;
  readonly source: SourceLocation;
}

export interface Latencies {
  /** From an API write to informers seeing it. */
  readonly watch: Distribution;
  /** One scheduling cycle. */
  readonly schedulerPerPod: Distribution;
}

export interface SchedulerSettingsInput {
  readonly percentageOfNodesToScore: number;
  readonly podInitialBackoffMs: number;
  readonly podMaxBackoffMs: number;
  readonly podMaxInUnschedulablePodsDurationMs: number;
}

export interface SimulationSettings {
  readonly scheduler: SchedulerSettingsInput;
  readonly kubelet: KubeletSettings;
  readonly nodeLifecycle: NodeLifecycleSettings;
  readonly hpa: HpaSettings;
  readonly metricsServer: MetricsPipelineSettings;
  readonly kubeProxy: TrafficSettings;
  readonly latencies: Latencies;
}

export interface ScenarioWarning {
  readonly message: string;
  readonly location: SourceLocation;
}

export interface ManifestEntry {
  readonly object: KubeObject;
  readonly source: SourceLocation;
}

export interface ResolvedScenario {
  readonly name: string;
  /** Where the name comes from: metadata.name, or the file when the name is the file's. */
  readonly nameSource: SourceLocation;
  readonly description?: string;
  /** The scenario file as given. */
  readonly file: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly sampleIntervalMs: number;
  /** RFC 3339 wall-clock time at t = 0. */
  readonly startTime: string;
  readonly startTimeMs: number;
  readonly nodePools: readonly NodePoolSpec[];
  readonly nodes: readonly NodeManifest[];
  readonly settings: SimulationSettings;
  readonly images: ReadonlyMap<string, ImageProfile>;
  /** The `"*"` entry, or the built-in default. */
  readonly defaultImage: ImageProfile;
  /**
   * Manifests other than Nodes that exist at t = 0, in file order, as `kubectl apply` would send
   * them (checked and validated, not yet defaulted: the API server defaults them on create).
   */
  readonly manifests: readonly ManifestEntry[];
  readonly events: readonly ScenarioEvent[];
  /** `spec.traffic`: the load each Service receives from t = 0 (scenario/traffic.ts). */
  readonly traffic: readonly TrafficRule[];
  /** `spec.faults`: node failures and repairs the run draws from the seed (scenario/faults.ts). */
  readonly faults: readonly FaultSource[];
  readonly expectations: readonly LabelledExpectation[];
  readonly warnings: readonly ScenarioWarning[];
  readonly limits: Limits;
}
