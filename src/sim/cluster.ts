/**
 * A simulated cluster: the engine, the API server with admission, shared informers, the
 * controllers of kube-controller-manager, the scheduler and a kubelet per node, all on one
 * virtual clock and one seed. Knows nothing of scenario files (sim/run.ts feeds it).
 */
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { apiAdmission } from '../api/admission.js';
import { ApiServer } from '../cluster/api-server.js';
import { EventLog } from '../cluster/event-log.js';
import { InformerFactory } from '../cluster/informer.js';
import type { ControllerContext, ControllerFactory } from '../controllers/controller.js';
import { deploymentController } from '../controllers/deployment/deployment-controller.js';
import { endpointSliceController } from '../controllers/endpointslice/endpointslice-controller.js';
import { cronJobController } from '../controllers/cronjob/cronjob-controller.js';
import { garbageCollector } from '../controllers/garbage-collector/garbage-collector.js';
import { horizontalPodAutoscalerController } from '../controllers/hpa/hpa-controller.js';
import { jobController } from '../controllers/job/job-controller.js';
import { ttlAfterFinishedController } from '../controllers/ttl-after-finished/ttl-after-finished-controller.js';
import { podGarbageCollector } from '../controllers/podgc/podgc-controller.js';
import { nodeLifecycleController } from '../controllers/node-lifecycle/node-lifecycle-controller.js';
import { taintEvictionController } from '../controllers/taint-eviction/taint-eviction-controller.js';
import { replicaSetController } from '../controllers/replicaset/replicaset-controller.js';
import { daemonSetController } from '../controllers/daemonset/daemonset-controller.js';
import { statefulSetController } from '../controllers/statefulset/statefulset-controller.js';
import { volumeBinder } from '../controllers/volume-binder/volume-binder.js';
import { ControllerRunner } from '../controllers/runner.js';
import type { ImageCatalog } from '../kubelet/image-profile.js';
import { KubeletManager } from '../kubelet/kubelet-manager.js';
import type { NodeRegistration } from '../kubelet/kubelet.js';
import { Scheduler } from '../scheduler/index.js';
import type { SimulationSettings } from '../scenario/types.js';
import { recordObjectEvents } from '../metrics/object-events.js';
import { MetricsPipeline } from '../metrics-pipeline/metrics-pipeline.js';
import { ClusterNodeHealth } from '../traffic/node-health.js';
import { TrafficModel } from '../traffic/traffic-model.js';

/** The controllers kube-controller-manager runs that this version models. */
export const CONTROLLERS: readonly ControllerFactory[] = [replicaSetController, deploymentController, statefulSetController, daemonSetController, volumeBinder, jobController, ttlAfterFinishedController, cronJobController, horizontalPodAutoscalerController, endpointSliceController, garbageCollector, podGarbageCollector, taintEvictionController];

export interface ClusterOptions {
  readonly seed: number | string;
  readonly settings: SimulationSettings;
  readonly images: ImageCatalog;
  /** Most pods stored at once (the `pods` limit). */
  readonly maxPods?: number;
  /** Freeze stored objects so mutation of shared state throws (tests). */
  readonly freezeObjects?: boolean;
  /** Unix milliseconds at t = 0 (the scenario's startTime); default 2026-01-01T00:00:00Z. */
  readonly startTimeMs?: number;
}

/** The scenario format's default startTime, 2026-01-01T00:00:00Z. */
export const DEFAULT_START_TIME_MS = Date.UTC(2026, 0, 1);

/** Labels every kubelet sets on its Node (kubelet_node_status.go) plus the pool's name. */
export const POOL_LABEL = 'k8sim.io/node-pool';

export class SimCluster {
  readonly sim = new Simulation();
  readonly random: RandomStreams;
  readonly api: ApiServer;
  readonly events: EventLog;
  readonly informers: InformerFactory;
  readonly ctx: ControllerContext;
  readonly controllers: readonly ControllerRunner[];
  readonly scheduler: Scheduler;
  readonly kubelets: KubeletManager;
  /** What the HPA reads: metrics-server and the custom and external metrics APIs. */
  readonly metricsPipeline: MetricsPipeline;
  /** Synthetic load on Services, routed as kube-proxy does. */
  readonly traffic: TrafficModel;
  private nodeIndex = 0;

  constructor(options: ClusterOptions) {
    this.random = new RandomStreams(options.seed);
    this.api = new ApiServer(this.sim, this.random, {
      watchLatency: options.settings.latencies.watch,
      admission: apiAdmission,
      freezeObjects: options.freezeObjects,
      maxObjects: options.maxPods !== undefined ? { Pod: options.maxPods } : undefined,
    });
    this.events = new EventLog(this.sim);
    this.api.observe((commit) => recordObjectEvents(commit, this.events));
    this.informers = new InformerFactory(this.api);
    // The data plane's view of the nodes: deleted ones, and those whose kubelet stopped (failNode).
    const nodes = new ClusterNodeHealth(this.api, {
      isStopped: (name) => this.kubelets.kubelet(name)?.fault === 'stopped',
      onChange: (listener) => this.kubelets.onLeaseChange(listener),
    });
    this.metricsPipeline = new MetricsPipeline({ sim: this.sim, api: this.api, informers: this.informers }, options.settings.metricsServer, nodes);
    this.ctx = { sim: this.sim, api: this.api, informers: this.informers, random: this.random, events: this.events, startTimeMs: options.startTimeMs ?? DEFAULT_START_TIME_MS, hpa: options.settings.hpa, metrics: this.metricsPipeline };
    // Everything that registers informer indexes must exist before the first object does.
    this.scheduler = new Scheduler(this.ctx, {
      ...options.settings.scheduler,
      perPodLatency: options.settings.latencies.schedulerPerPod,
    });
    this.kubelets = new KubeletManager(this.ctx, options.images, options.settings.kubelet);
    // The node lifecycle controller reads each node's Lease from its kubelet.
    const nodeLifecycle = nodeLifecycleController(options.settings.nodeLifecycle, this.kubelets);
    this.controllers = [...CONTROLLERS, nodeLifecycle].map((factory) => new ControllerRunner(this.ctx, factory));
    // Watchers of the traffic and metrics come last, so the components above see events in the
    // same order whether or not a scenario has traffic.
    nodes.start();
    this.metricsPipeline.attach();
    this.traffic = new TrafficModel(this.ctx, this.metricsPipeline, options.settings.kubeProxy, nodes);
  }

  /** Starts a node's kubelet, which registers the Node; names and addresses follow join order. */
  addNode(registration: Omit<NodeRegistration, 'index'>): void {
    const labels = {
      'kubernetes.io/hostname': registration.name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      ...registration.labels,
    };
    this.kubelets.addNode({ ...registration, labels, index: this.nodeIndex++ });
  }
}
