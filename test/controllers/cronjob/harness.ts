/**
 * A cluster for the CronJob controller tests: the API server with admission (CronJobs and Jobs
 * defaulted and validated as in a run), a fixed watch latency, shared informers, the CronJob
 * controller (plus the garbage collector when asked), a wall clock starting at `startTime`, and a
 * fake Job runner standing in for the Job controller: it marks each new Job started, then
 * Complete or Failed after a duration of the test's choosing.
 */
import { apiAdmission } from '../../../src/api/admission.js';
import type { CronJob } from '../../../src/api/types/cronjob.js';
import type { Job } from '../../../src/api/types/job.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import { ApiServer } from '../../../src/cluster/api-server.js';
import { EventLog, type SimEvent } from '../../../src/cluster/event-log.js';
import { InformerFactory } from '../../../src/cluster/informer.js';
import type { ControllerContext, ControllerFactory } from '../../../src/controllers/controller.js';
import { type CronJobController, cronJobController } from '../../../src/controllers/cronjob/cronjob-controller.js';
import { ControllerRunner } from '../../../src/controllers/runner.js';
import { constant } from '../../../src/engine/distribution.js';
import { RandomStreams } from '../../../src/engine/random.js';
import { Simulation } from '../../../src/engine/simulation.js';
import { isApiError } from '../../../src/errors.js';
import { TEST_SEED } from '../../helpers/engine-fixtures.js';

export const WATCH_LATENCY_MS = 5;

export interface CronJobCluster {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly ctx: ControllerContext;
  readonly controller: CronJobController;
  /** The controller's events (CronJobRun, CronJobSkipped, CronJobWarning). */
  events(type?: string): SimEvent[];
  /** Runs the clock to virtual `ms` (inclusive). */
  runTo(ms: number): void;
}

export function newCronJobCluster(options: { startTime?: string; extraControllers?: readonly ControllerFactory[] } = {}): CronJobCluster {
  const sim = new Simulation();
  const random = new RandomStreams(TEST_SEED);
  const api = new ApiServer(sim, random, { admission: apiAdmission, watchLatency: constant(WATCH_LATENCY_MS), freezeObjects: true });
  const informers = new InformerFactory(api);
  const log = new EventLog(sim);
  const recorded: SimEvent[] = [];
  log.subscribe((e) => recorded.push(e));
  const ctx: ControllerContext = { sim, api, informers, random, events: log, startTimeMs: Date.parse(options.startTime ?? '2026-01-01T00:00:00Z') };
  const runners = [cronJobController, ...(options.extraControllers ?? [])].map((factory) => new ControllerRunner(ctx, factory));
  return {
    sim,
    api,
    ctx,
    controller: runners[0].controller as CronJobController,
    events: (type) => recorded.filter((e) => type === undefined || e.type === type),
    runTo: (ms) => {
      sim.run({ until: ms });
    },
  };
}

/** A CronJob whose Jobs run `worker:v1` once (restartPolicy Never). */
export function cronJobManifest(name: string, schedule: string, edit?: (cj: CronJob) => void): CronJob {
  const cj: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule,
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: { template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'worker:v1' }] } } },
      },
    },
  };
  edit?.(cj);
  return cj;
}

export interface JobRunnerOptions {
  /** How long the Job runs after it is seen (ms), per Job. */
  readonly durationMs: (job: DeepReadonly<Job>) => number;
  /** Whether it fails instead of completing. Default: completes. */
  readonly fails?: (job: DeepReadonly<Job>) => boolean;
}

/** The Job controller's visible effect: startTime when seen, then Complete/Failed with completionTime. */
export function fakeJobRunner(cluster: CronJobCluster, options: JobRunnerOptions): void {
  const { api, sim } = cluster;
  const seen = new Set<string>();
  const writeStatus = (job: DeepReadonly<Job>, status: Job['status']): void => {
    const current = api.get<Job>('Job', job.metadata.namespace, job.metadata.name);
    if (current === undefined || current.metadata.uid !== job.metadata.uid) return;
    const { resourceVersion: _rv, ...metadata } = current.metadata;
    try {
      api.updateStatus<Job>({ ...(current as Job), metadata: metadata as Job['metadata'], status: { ...(current.status as Job['status']), ...status } });
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
  };
  api.watch('Job', (event) => {
    const job = event.object as DeepReadonly<Job>;
    const uid = job.metadata.uid ?? '';
    if (event.type !== 'ADDED' || seen.has(uid)) return;
    seen.add(uid);
    writeStatus(job, { startTime: sim.now, active: 1 });
    sim.schedule(options.durationMs(job), () => {
      const failed = options.fails?.(job) ?? false;
      const type = failed ? 'Failed' : 'Complete';
      writeStatus(job, {
        active: 0,
        ...(failed ? { failed: 1 } : { succeeded: 1, completionTime: sim.now }),
        conditions: [{ type, status: 'True', lastTransitionTime: sim.now }],
      });
    });
  });
}

/** Jobs of the CronJob `name` as the API server holds them, by name. */
export function jobsOf(cluster: CronJobCluster, name: string): DeepReadonly<Job>[] {
  return [...cluster.api.list<Job>('Job')]
    .filter((job) => job.metadata.ownerReferences?.some((ref) => ref.kind === 'CronJob' && ref.name === name))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

export function isFinished(job: DeepReadonly<Job>): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function storedCronJob(cluster: CronJobCluster, name: string): DeepReadonly<CronJob> {
  const cj = cluster.api.get<CronJob>('CronJob', 'default', name);
  if (cj === undefined) throw new Error(`CronJob ${name} not found`);
  return cj;
}
