/**
 * k8sim as a library: load a scenario file, run it, write or inspect its outputs; or build a
 * simulated cluster directly and drive it from code.
 */
export { loadScenario, type LoadOptions } from './scenario/load.js';
export { runScenario, type RunOptions, type RunResult } from './sim/run.js';
export { runBatch, validateBatch, type BatchItem, type BatchOptions, type BatchStatus } from './sim/batch.js';
export { SimCluster, type ClusterOptions } from './sim/cluster.js';
export { writeOutputs, eventsJsonl, timelineCsv, metricsJson, OUTPUT_FILES } from './report/write-outputs.js';
export { metricsDocument, type MetricsDocument } from './report/metrics-document.js';
export { runInfo, type RunInfo } from './report/run-info.js';
export { DEFAULT_LIMITS, type Limits } from './scenario/limits.js';
export type * from './scenario/types.js';
export type * from './api/types/index.js';
export * from './engine/index.js';
export { ScenarioError, ValidationError, ApiError, InvariantError, LimitError } from './errors.js';
export { VERSION } from './version.js';
