/**
 * What happened to each Job (metrics.json `jobs[]`, the `job` expectation): when it was created
 * and finished, whether it succeeded, and how much work failed on the way — pods that failed,
 * and containers restarted in place (restartPolicy OnFailure). Kept from commits, no scans.
 */
import type { WatchEvent } from '../cluster/api-server.js';
import { getControllerOf } from '../api/pod-util.js';
import type { Job } from '../api/types/job.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import { jobFinished } from './workload-state.js';

export interface JobRecord {
  /** `Job/<name>`. */
  readonly target: string;
  readonly namespace: string;
  /** The CronJob that created it, as `CronJob/<name>`, if any. */
  readonly owner?: string;
  /** Virtual seconds: creation, and the Complete / Failed condition. */
  readonly start: number;
  readonly end: number | null;
  /** true: Complete; false: Failed; null: still running at the end (or deleted first). */
  readonly succeeded: boolean | null;
  /** The Failed condition's reason (BackoffLimitExceeded, DeadlineExceeded, …). */
  readonly reason?: string;
  readonly seconds: number | null;
  readonly podsCreated: number;
  readonly failedPods: number;
  /** Container restarts inside the Job's pods (restartPolicy OnFailure). */
  readonly restarts: number;
  /** Failed attempts that the Job retried or would have: failed pods plus restarts. */
  readonly retries: number;
}

interface Tracked {
  target: string;
  namespace: string;
  name: string;
  owner?: string;
  start: number;
  end: number | null;
  succeeded: boolean | null;
  reason?: string;
  podsCreated: number;
  failedPods: number;
  restarts: number;
}

function restartsOf(pod: DeepReadonly<Pod> | undefined): number {
  let total = 0;
  for (const s of pod?.status?.containerStatuses ?? []) total += s.restartCount;
  for (const s of pod?.status?.initContainerStatuses ?? []) total += s.restartCount;
  return total;
}

export class JobTracker {
  /** By Job uid, in creation order. */
  private readonly jobs = new Map<string, Tracked>();

  /** Feed every API commit here. */
  observe(commit: WatchEvent): void {
    const obj = commit.object;
    if (obj.kind === 'Job') this.jobChanged(commit as WatchEvent<Job>);
    else if (obj.kind === 'Pod') this.observePod(commit as WatchEvent<Pod>);
  }

  private jobChanged(commit: WatchEvent<Job>): void {
    const job = commit.object;
    const uid = job.metadata.uid ?? '';
    let tracked = this.jobs.get(uid);
    if (tracked === undefined) {
      if (commit.type === 'DELETED') return;
      const owner = getControllerOf(job.metadata);
      tracked = {
        target: `Job/${job.metadata.name}`,
        namespace: job.metadata.namespace ?? 'default',
        name: job.metadata.name,
        owner: owner !== undefined ? `${owner.kind}/${owner.name}` : undefined,
        start: job.metadata.creationTimestamp ?? 0,
        end: null,
        succeeded: null,
        podsCreated: 0,
        failedPods: 0,
        restarts: 0,
      };
      this.jobs.set(uid, tracked);
    }
    if (commit.type === 'DELETED' || tracked.end !== null) return;
    const finished = jobFinished(job);
    if (finished === undefined) return;
    const condition = job.status?.conditions?.find((c) => c.type === finished && c.status === 'True');
    tracked.end = condition?.lastTransitionTime ?? job.status?.completionTime ?? 0;
    tracked.succeeded = finished === 'Complete';
    if (finished === 'Failed') tracked.reason = condition?.reason;
  }

  /** observe for a commit known to be a pod's (run-metrics.ts reads the kind once for all). */
  observePod(commit: WatchEvent<Pod>): void {
    // Without Jobs (most runs) no pod is a Job's: settled before reading the pod's owner.
    if (this.jobs.size === 0) return;
    const pod = commit.object;
    const ref = getControllerOf(pod.metadata);
    if (ref?.kind !== 'Job') return;
    const tracked = this.jobs.get(ref.uid);
    if (tracked === undefined) return;
    const old = commit.type === 'ADDED' ? undefined : (commit.oldObject as DeepReadonly<Pod> | undefined);
    if (commit.type === 'ADDED') tracked.podsCreated++;
    if (commit.type === 'DELETED') return;
    if (pod.status?.phase === 'Failed' && old?.status?.phase !== 'Failed') tracked.failedPods++;
    const added = restartsOf(pod) - restartsOf(old);
    if (added > 0) tracked.restarts += added;
  }

  /** Every Job seen, in creation order. */
  records(): JobRecord[] {
    return [...this.jobs.values()].map((j) => {
      const record: JobRecord = {
        target: j.target,
        namespace: j.namespace,
        ...(j.owner !== undefined ? { owner: j.owner } : {}),
        start: j.start / 1000,
        end: j.end !== null ? j.end / 1000 : null,
        succeeded: j.succeeded,
        ...(j.reason !== undefined ? { reason: j.reason } : {}),
        seconds: j.end !== null ? (j.end - j.start) / 1000 : null,
        podsCreated: j.podsCreated,
        failedPods: j.failedPods,
        restarts: j.restarts,
        retries: j.failedPods + j.restarts,
      };
      return record;
    });
  }
}
