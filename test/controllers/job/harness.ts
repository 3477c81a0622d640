/**
 * Builders for the Job controller tests: Job manifests, a controller-only cluster (API server
 * with admission, informers, the Job controller; pods written by hand as a kubelet would), and a
 * whole simulated cluster (scheduler, kubelets, every controller) for end-to-end behaviour.
 */
import { getControllerOf } from '../../../src/api/pod-util.js';
import type { Job, JobSpec } from '../../../src/api/types/job.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { ContainerStatus, Pod, PodPhase } from '../../../src/api/types/pod.js';
import type { ControllerFactory } from '../../../src/controllers/controller.js';
import { type JobController, jobController } from '../../../src/controllers/job/job-controller.js';
import { constant } from '../../../src/engine/distribution.js';
import { DEFAULT_IMAGE_PROFILE, type ImageProfile } from '../../../src/kubelet/image-profile.js';
import { type Tiny, tinyCluster } from '../../sim/harness.js';
import { type WorkloadCluster, byName, newWorkloadCluster, stored } from '../workload-harness.js';

export const S = 1000;

/** A Job manifest (not yet defaulted): one container `worker` with `image`, restartPolicy Never. */
export function jobManifest(name: string, spec: Partial<JobSpec> & { restartPolicy?: 'Never' | 'OnFailure'; image?: string } = {}): Job {
  const { restartPolicy, image, ...rest } = spec;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: { spec: { restartPolicy: restartPolicy ?? 'Never', containers: [{ name: 'worker', image: image ?? 'batch:1' }] } },
      ...rest,
    } as JobSpec,
  };
}

/** A batch image: pulls and starts at once, runs `runMs`, failing with `fail` (probability, exit code). */
export function batchImage(runMs: number, fail?: { probability: number; exitCode: number }, stopMs = 0): ImageProfile {
  const p = { ...DEFAULT_IMAGE_PROFILE, pull: constant(0), start: constant(0), stop: constant(stopMs), run: constant(runMs) } as ImageProfile & { fail?: ImageProfile['fail'] };
  if (fail !== undefined) p.fail = fail;
  return p;
}

// ---------------------------------------------------------------------------------------------
// The controller alone

export interface JobCluster extends WorkloadCluster {
  readonly controller: JobController;
}

/** The Job controller (plus `extra` controllers) on a live API server; no scheduler or kubelet. */
export function jobCluster(extra: readonly ControllerFactory[] = []): JobCluster {
  const cluster = newWorkloadCluster({ controllers: [jobController, ...extra] });
  return { ...cluster, controller: cluster.runners[0].controller as JobController };
}

export const storedJob = (cluster: WorkloadCluster, name = 'job'): DeepReadonly<Job> => stored<Job>(cluster.api, 'Job', name);

/** Stored pods the Job controls, by name. */
export function jobPods(cluster: WorkloadCluster, job: DeepReadonly<Job>): DeepReadonly<Pod>[] {
  return [...cluster.api.list<Pod>('Pod')].filter((p) => getControllerOf(p.metadata)?.uid === job.metadata.uid).sort(byName);
}

export interface PodState {
  phase: PodPhase;
  /** Restarts of the (single) container. */
  restartCount?: number;
  /** Exit code of the terminated container (phase Succeeded / Failed). */
  exitCode?: number;
  /** When the container finished (terminal phases); default now. */
  finishedAt?: number;
  ready?: boolean;
}

/** Writes a pod's status as its kubelet would: phase, one container's state, Ready. */
export function setPod(cluster: WorkloadCluster, pod: DeepReadonly<Pod>, state: PodState): DeepReadonly<Pod> {
  const current = stored<Pod>(cluster.api, 'Pod', pod.metadata.name);
  const terminal = state.phase === 'Succeeded' || state.phase === 'Failed';
  const finishedAt = state.finishedAt ?? cluster.sim.now;
  const container: ContainerStatus = {
    name: 'worker',
    image: 'batch:1',
    ready: state.ready === true,
    restartCount: state.restartCount ?? 0,
    state: terminal
      ? { terminated: { exitCode: state.exitCode ?? (state.phase === 'Succeeded' ? 0 : 1), reason: state.phase === 'Succeeded' ? 'Completed' : 'Error', finishedAt } }
      : state.phase === 'Running' ? { running: { startedAt: 0 } } : { waiting: { reason: 'ContainerCreating' } },
  };
  const ready = { type: 'Ready', status: state.ready === true ? 'True' : 'False', lastTransitionTime: terminal ? finishedAt : cluster.sim.now } as const;
  const { resourceVersion: _rv, ...metadata } = current.metadata;
  return cluster.api.updateStatus<Pod>({ ...(current as Pod), metadata: metadata as Pod['metadata'], status: { phase: state.phase, conditions: [ready], containerStatuses: [container] } });
}

/** Creates a pod the Job controls, as its controller would (labels, finalizer, owner). */
export function createJobPod(cluster: WorkloadCluster, job: DeepReadonly<Job>, name: string, annotations?: Record<string, string>): DeepReadonly<Pod> {
  const template = job.spec.template;
  return cluster.api.create<Pod>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { ...(template.metadata?.labels ?? {}) },
      ...(annotations !== undefined ? { annotations } : {}),
      finalizers: ['batch.kubernetes.io/job-tracking'],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(template.spec) as Pod['spec'],
  });
}

// ---------------------------------------------------------------------------------------------
// A whole cluster

/** A 2-node cluster running `jobs` from t = 0 with the given images (default `batch:1` runs 10 s). */
export function batchCluster(jobs: readonly Job[], images: Record<string, ImageProfile> = { 'batch:1': batchImage(10 * S) }, nodes = 2): Tiny {
  return tinyCluster({ manifests: jobs, images, nodes });
}

/** The stored Job of a whole cluster (throws when gone). */
export function liveJob(tiny: Tiny, name = 'job'): DeepReadonly<Job> {
  const job = tiny.get<Job>('Job', name);
  if (job === undefined) throw new Error(`job ${name} not found`);
  return job;
}

/** Condition types of a Job, in order. */
export const conditionTypes = (job: DeepReadonly<Job>): string[] => (job.status?.conditions ?? []).map((c) => c.type);
