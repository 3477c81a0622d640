/**
 * The scheduler: a default-profile kube-scheduler on the virtual clock. `Scheduler` is what a
 * simulation wires in; the plugins and helpers are exported for tests and for composing other
 * profiles.
 */
export { Scheduler, type SchedulerSettings, DEFAULT_SCHEDULER_SETTINGS } from './scheduler.js';
export { SchedulingQueue, QueuedPodInfo, calculateBackoffDuration, type SchedulingQueueSettings, type QueueLocation } from './scheduling-queue.js';
export { SchedulerCache } from './scheduler-cache.js';
export { ScheduleAlgorithm, selectHost, type ScheduleResult } from './schedule-one.js';
export { Framework, Diagnosis, MAX_NODE_SCORE, type Plugin, type PluginConfig, type PreFilterPlugin, type FilterPlugin, type ScorePlugin, type PreFilterResult, type Rejections } from './framework.js';
export { defaultPlugins } from './default-profile.js';
export { NodeInfo, NodeTable, Resource, type PodResources, type ImageStateSummary } from './node-info.js';
export { PodInfo } from './pod-info.js';
export { computePodResources, DEFAULT_MILLI_CPU_REQUEST, DEFAULT_MEMORY_REQUEST } from './pod-resources.js';
export { numFeasibleNodesToFind } from './num-feasible-nodes.js';
export { FitError, fitErrorMessage } from './fit-error.js';
export * from './cluster-events.js';
export { NodeUnschedulable } from './plugins/node-unschedulable.js';
export { NodeName } from './plugins/node-name.js';
export { TaintToleration } from './plugins/taint-toleration.js';
export { NodeAffinity } from './plugins/node-affinity.js';
export { NodeResourcesFit, fitsRequest } from './plugins/node-resources-fit.js';
export { BalancedAllocation } from './plugins/balanced-allocation.js';
export { ImageLocality } from './plugins/image-locality.js';
export { ResourceAllocationScorer, leastResourceScorer, balancedResourceScorer, leastRequestedScore, type ResourceSpec } from './plugins/resource-allocation.js';
