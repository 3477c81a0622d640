/**
 * podFailurePolicy (pkg/controller/job/pod_failure_policy.go: matchPodFailurePolicy,
 * matchOnExitCodes, matchOnPodConditions, getMatchingContainerFromList,
 * isOnExitCodesOperatorMatching). Rules are tried in order; the first match decides: FailJob
 * fails the Job, Ignore does not count the failure, Count counts it, FailIndex fails the pod's
 * index (with backoffLimitPerIndex). No match counts the failure.
 *
 * Exit codes come from the terminated state of containers (then init containers); a container
 * that exited 0 or is still running never matches.
 */
import type { ContainerStatus } from '../../api/types/pod.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern } from '../../api/types/job.js';
import type { ReadonlyPod } from './job-pods.js';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  readonly failJobMessage?: string;
  /** Whether the failure counts toward backoffLimit (and backoffLimitPerIndex). */
  readonly countFailed: boolean;
  readonly action?: PodFailurePolicyAction;
}

const NO_MATCH: PodFailurePolicyMatch = { countFailed: true };

function exitCodeMatches(exitCode: number, req: DeepReadonly<PodFailurePolicyOnExitCodesRequirement>): boolean {
  if (req.operator === 'In') return req.values.includes(exitCode);
  if (req.operator === 'NotIn') return !req.values.includes(exitCode);
  return false;
}

/** getMatchingContainerFromList: the first terminated, non-zero container the requirement matches. */
function matchingContainer(statuses: readonly DeepReadonly<ContainerStatus>[] | undefined, req: DeepReadonly<PodFailurePolicyOnExitCodesRequirement>): DeepReadonly<ContainerStatus> | undefined {
  for (const status of statuses ?? []) {
    const terminated = status.state.terminated;
    if (terminated === undefined) continue;
    if (req.containerName != null && req.containerName !== status.name) continue;
    if (terminated.exitCode !== 0 && exitCodeMatches(terminated.exitCode, req)) return status;
  }
  return undefined;
}

function matchOnExitCodes(pod: ReadonlyPod, req: DeepReadonly<PodFailurePolicyOnExitCodesRequirement>): DeepReadonly<ContainerStatus> | undefined {
  return matchingContainer(pod.status?.containerStatuses, req) ?? matchingContainer(pod.status?.initContainerStatuses, req);
}

function matchOnPodConditions(pod: ReadonlyPod, patterns: readonly DeepReadonly<PodFailurePolicyOnPodConditionsPattern>[]): string | undefined {
  for (const condition of pod.status?.conditions ?? []) {
    for (const pattern of patterns) if (condition.type === pattern.type && condition.status === (pattern.status ?? 'True')) return condition.type;
  }
  return undefined;
}

/** matchPodFailurePolicy for a failed pod. */
export function matchPodFailurePolicy(policy: DeepReadonly<PodFailurePolicy> | undefined, pod: ReadonlyPod): PodFailurePolicyMatch {
  if (policy == null) return NO_MATCH;
  const where = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  for (const [index, rule] of policy.rules.entries()) {
    let failJobMessage: string | undefined;
    if (rule.onExitCodes != null) {
      const container = matchOnExitCodes(pod, rule.onExitCodes);
      if (container === undefined) continue;
      failJobMessage = `Container ${container.name} for pod ${where} failed with exit code ${container.state.terminated?.exitCode} matching ${rule.action} rule at index ${index}`;
    } else if (rule.onPodConditions != null) {
      const condition = matchOnPodConditions(pod, rule.onPodConditions);
      if (condition === undefined) continue;
      failJobMessage = `Pod ${where} has condition ${condition} matching ${rule.action} rule at index ${index}`;
    } else {
      continue;
    }
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'FailIndex':
        return { countFailed: true, action: 'FailIndex' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { failJobMessage, countFailed: true, action: 'FailJob' };
    }
  }
  return NO_MATCH;
}
