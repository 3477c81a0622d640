/**
 * When a StatefulSet, DaemonSet or Job has reached what its spec asks for — the test behind
 * convergence and rollout completion for those kinds. Each follows what `kubectl rollout status`
 * waits for (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go), checked
 * against the pods as they are (`counts`, the ground truth) as well as the controller's status.
 *
 * Each function returns why the workload is not there yet, or undefined when it is.
 */
import type { DaemonSet } from '../api/types/daemonset.js';
import type { Job } from '../api/types/job.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { StatefulSet } from '../api/types/statefulset.js';
import type { WorkloadCounts } from './workload-pods.js';

function observed(obj: { readonly metadata: { readonly generation?: number }; readonly status?: { readonly observedGeneration?: number } }): boolean {
  return (obj.status?.observedGeneration ?? 0) >= (obj.metadata.generation ?? 0);
}

/** The number of replicas a partitioned rolling update leaves at the current revision. */
function partitionOf(sts: DeepReadonly<StatefulSet>): number {
  return sts.spec.updateStrategy?.type === 'OnDelete' ? 0 : (sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0);
}

/**
 * What "there" means for an OnDelete update strategy. The controller replaces no pod by itself,
 * so the cluster is settled once the pods are available (`settled`, for convergence); a rollout
 * of a new template is only done once every pod runs it (`updated`, for the rollout metric —
 * `kubectl rollout status` refuses OnDelete workloads altogether).
 */
export type OnDeleteMeaning = 'settled' | 'updated';

/**
 * A StatefulSet is there when exactly `replicas` pods exist, all available, at least `replicas`
 * counted ready by the controller (a terminating pod still counts ready there, and kubectl waits
 * only while readyReplicas < replicas), and the rolling update reached every ordinal at or above
 * the partition (with no partition: the current revision is the update revision). With
 * OnDelete, see OnDeleteMeaning.
 */
export function statefulSetGap(sts: DeepReadonly<StatefulSet>, counts: Readonly<WorkloadCounts>, onDelete: OnDeleteMeaning = 'settled'): string | undefined {
  const replicas = sts.spec.replicas ?? 1;
  const status = sts.status;
  const label = `statefulset/${sts.metadata.name}`;
  if (!observed(sts)) return `${label}: generation ${sts.metadata.generation} not yet observed`;
  if (counts.existing !== replicas || counts.available !== replicas || (status?.readyReplicas ?? 0) < replicas) {
    return `${label}: ${counts.available} of ${replicas} pods available, ${counts.existing} exist`;
  }
  if (sts.spec.updateStrategy?.type === 'OnDelete') {
    const updated = status?.updatedReplicas ?? 0;
    return onDelete === 'settled' || updated >= replicas ? undefined : `${label}: ${updated} of ${replicas} pods deleted and recreated at the new revision (OnDelete)`;
  }
  const partition = partitionOf(sts);
  const updated = status?.updatedReplicas ?? 0;
  if (partition > 0) return updated >= replicas - partition ? undefined : `${label}: ${updated} of ${replicas - partition} pods above the partition updated`;
  if (updated !== replicas || status?.currentRevision !== status?.updateRevision) return `${label}: ${updated} of ${replicas} pods updated`;
  return undefined;
}

/**
 * A DaemonSet is there when every node that should run it (`desiredNodes`, judged from the
 * nodes themselves: the status lags a node that just joined) runs an available pod of the
 * current template, as its status reports once it has caught up. A pod left running on a node
 * that no longer wants one (a NoSchedule taint: misscheduled) is a steady state too. With
 * OnDelete, see OnDeleteMeaning.
 */
export function daemonSetGap(ds: DeepReadonly<DaemonSet>, desiredNodes: number, onDelete: OnDeleteMeaning = 'settled'): string | undefined {
  const status = ds.status;
  const label = `daemonset/${ds.metadata.name}`;
  if (!observed(ds)) return `${label}: generation ${ds.metadata.generation} not yet observed`;
  if ((status?.desiredNumberScheduled ?? 0) !== desiredNodes) return `${label}: ${desiredNodes} nodes should run it, the controller has seen ${status?.desiredNumberScheduled ?? 0}`;
  const available = status?.numberAvailable ?? 0;
  if (available !== desiredNodes) return `${label}: ${available} of ${desiredNodes} pods available`;
  if (ds.spec.updateStrategy?.type === 'OnDelete' && onDelete === 'settled') return undefined;
  const updated = status?.updatedNumberScheduled ?? 0;
  return updated === desiredNodes ? undefined : `${label}: ${updated} of ${desiredNodes} pods updated`;
}

export function jobFinished(job: DeepReadonly<Job>): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if (c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed')) return c.type;
  }
  return undefined;
}

/** A Job is there once it finished (Complete or Failed), or while it is suspended with no pods. */
export function jobGap(job: DeepReadonly<Job>, counts: Readonly<WorkloadCounts>): string | undefined {
  if (jobFinished(job) !== undefined) return undefined;
  if (job.spec.suspend === true && counts.existing === 0) return undefined;
  const status = job.status;
  return `job/${job.metadata.name}: running (${status?.active ?? 0} active, ${status?.succeeded ?? 0} succeeded, ${status?.failed ?? 0} failed)`;
}
