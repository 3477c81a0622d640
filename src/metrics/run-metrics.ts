/**
 * The measurements every run keeps, wired to the API server's commits in one place: ground-truth
 * pod counts per workload, cluster counts, rollouts and convergence. `runScenario` and the tests
 * that drive a bare API server attach the same set.
 */
import type { Simulation } from '../engine/simulation.js';
import type { ApiServer, WatchEvent } from '../cluster/api-server.js';
import type { Pod } from '../api/types/pod.js';
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
  // Pods first: the trackers below read the counts it has just updated. A pod's commit (most
  // commits of a run) goes only to the trackers that watch pods, with the kind read once here:
  // the others (demand, rollouts, endpoints, availability, autoscalers: none reads a pod) would
  // each load the kind again, from objects of many shapes (a megamorphic load), to ignore it.
  api.observe((commit) => {
    if (commit.object.kind === 'Pod') {
      const podCommit = commit as WatchEvent<Pod>;
      pods.observePod(podCommit);
      counts.observePod(podCommit);
      convergence.observePod();
      jobs.observePod(podCommit);
      faults.observePod(podCommit);
      return;
    }
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
