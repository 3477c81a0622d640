/**
 * The measurements every run keeps, wired to the API server's commits in one place: ground-truth
 * pod counts per workload, cluster counts, rollouts and convergence. `runScenario` and the tests
 * that drive a bare API server attach the same set.
 */
import type { Simulation } from '../engine/simulation.js';
import type { ApiServer } from '../cluster/api-server.js';
import type { EventLog } from '../cluster/event-log.js';
import { AutoscalerTracker } from './autoscalers.js';
import { AvailabilityTracker } from './availability.js';
import { ClusterCounts } from './cluster-counts.js';
import { ConvergenceTracker } from './convergence.js';
import { DaemonSetDemand } from './daemonset-demand.js';
import { ServiceEndpointCounts } from '../controllers/endpointslice/endpoint-counts.js';
import { CronJobTracker } from './cronjobs.js';
import { FaultTracker } from './faults.js';
import { JobTracker } from './jobs.js';
import { type RequestSource, RolloutTracker } from './rollouts.js';
import { WorkloadPods } from './workload-pods.js';

export interface RunMetrics {
  readonly pods: WorkloadPods;
  readonly counts: ClusterCounts;
  readonly rollouts: RolloutTracker;
  readonly convergence: ConvergenceTracker;
  readonly jobs: JobTracker;
  readonly cronJobs: CronJobTracker;
  readonly endpoints: ServiceEndpointCounts;
  readonly availability: AvailabilityTracker;
  readonly faults: FaultTracker;
  readonly autoscalers: AutoscalerTracker;
}

/**
 * `startTimeMs`: Unix ms at t = 0 (the scenario's startTime), for CronJob schedules; `requests`:
 * the traffic, for the requests that fail during rollouts.
 */
export function attachRunMetrics(sim: Simulation, api: ApiServer, events: EventLog, startTimeMs = 0, requests?: RequestSource): RunMetrics {
  const pods = new WorkloadPods(sim);
  const counts = new ClusterCounts();
  const demand = new DaemonSetDemand();
  const rollouts = new RolloutTracker(sim, events, pods, demand, requests);
  const convergence = new ConvergenceTracker(sim, api, pods, demand, startTimeMs);
  const jobs = new JobTracker();
  const cronJobs = new CronJobTracker(events);
  const endpoints = new ServiceEndpointCounts();
  const availability = new AvailabilityTracker(sim, pods, demand);
  const faults = new FaultTracker(sim, events, pods, availability);
  const autoscalers = new AutoscalerTracker(sim, events, pods);
  // Pods first: the trackers below read the counts it has just updated.
  api.observe((commit) => {
    pods.observe(commit);
    demand.observe(commit);
    counts.observe(commit);
    rollouts.observe(commit);
    convergence.observe(commit);
    jobs.observe(commit);
    endpoints.observe(commit);
    availability.observe(commit);
    faults.observe(commit);
    autoscalers.observe(commit);
  });
  return { pods, counts, rollouts, convergence, jobs, cronJobs, endpoints, availability, faults, autoscalers };
}
