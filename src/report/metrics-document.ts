/**
 * metrics.json (scenario-format.md §7): the run's summary, deterministic — no wall-clock figures
 * (those live in run.json). Every section is present, empty when the scenario has nothing
 * of its kind, so scripts can rely on every key.
 */
import type { AvailabilityRecord } from '../metrics/availability.js';
import type { AutoscalerRecord } from '../metrics/autoscalers.js';
import type { RequestRecord } from '../metrics/requests.js';
import type { ConvergenceRecord } from '../metrics/convergence.js';
import type { FaultRecord } from '../metrics/faults.js';
import type { ExpectationResult } from '../metrics/expectations.js';
import type { CronJobRecord } from '../metrics/cronjobs.js';
import type { JobRecord } from '../metrics/jobs.js';
import type { RolloutRecord } from '../metrics/rollouts.js';
import type { RunResult } from '../sim/run.js';

export interface MetricsDocument {
  readonly scenario: string;
  readonly seed: number;
  /** Virtual seconds simulated. */
  readonly duration: number;
  readonly convergence: readonly ConvergenceRecord[];
  readonly rollouts: readonly RolloutRecord[];
  readonly autoscalers: readonly AutoscalerRecord[];
  readonly jobs: readonly JobRecord[];
  readonly cronJobs: readonly CronJobRecord[];
  readonly requests: readonly RequestRecord[];
  readonly availability: readonly AvailabilityRecord[];
  readonly faults: readonly FaultRecord[];
  readonly expectations: readonly ExpectationResult[];
  readonly warnings: readonly { readonly t: number; readonly message: string }[];
  readonly passed: boolean;
}

export function metricsDocument(result: RunResult): MetricsDocument {
  return {
    scenario: result.scenario.name,
    seed: result.seed,
    duration: result.scenario.durationMs / 1000,
    convergence: result.convergence,
    rollouts: result.rollouts,
    autoscalers: result.autoscalers,
    jobs: result.jobs,
    cronJobs: result.cronJobs,
    requests: result.requests,
    availability: result.availability,
    faults: result.faults,
    expectations: result.expectations,
    warnings: [
      ...result.scenario.warnings.map((w) => ({ t: 0, message: w.message })),
      ...result.warnings.map((w) => ({ t: w.t, message: w.message })),
    ],
    passed: result.passed,
  };
}
