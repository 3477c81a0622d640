/**
 * Field schema of the batch/v1 kinds: Job and CronJob. Follows k8s.io/api/batch/v1/types.go
 * (JobSpec, PodFailurePolicy, PodFailurePolicyRule, PodFailurePolicyOnExitCodesRequirement,
 * PodFailurePolicyOnPodConditionsPattern, SuccessPolicy, SuccessPolicyRule, CronJobSpec,
 * JobTemplateSpec).
 *
 * Every field of both specs is modelled; the pod template says what of a pod is.
 */
import { arr, bool, int32, int64, obj, str } from './builders.js';
import { labelSelector, objectMeta, resource } from './meta.js';
import { podTemplateSpec } from './pod.js';

const podFailurePolicyRule = obj({
  action: str,
  onExitCodes: obj({ containerName: str, operator: str, values: arr(int32) }),
  onPodConditions: arr(obj({ type: str, status: str })),
});

const successPolicyRule = obj({ succeededIndexes: str, succeededCount: int32 });

const jobSpec = obj({
  parallelism: int32,
  completions: int32,
  activeDeadlineSeconds: int64,
  podFailurePolicy: obj({ rules: arr(podFailurePolicyRule) }),
  successPolicy: obj({ rules: arr(successPolicyRule) }),
  backoffLimit: int32,
  backoffLimitPerIndex: int32,
  maxFailedIndexes: int32,
  selector: labelSelector,
  manualSelector: bool,
  template: podTemplateSpec,
  ttlSecondsAfterFinished: int32,
  completionMode: str,
  suspend: bool,
  podReplacementPolicy: str,
  managedBy: str,
});

const cronJobSpec = obj({
  schedule: str,
  timeZone: str,
  startingDeadlineSeconds: int64,
  concurrencyPolicy: str,
  suspend: bool,
  jobTemplate: obj({ metadata: objectMeta, spec: jobSpec }),
  successfulJobsHistoryLimit: int32,
  failedJobsHistoryLimit: int32,
});

/** batch/v1 Job. */
export const job = resource(jobSpec);

/** batch/v1 CronJob. */
export const cronJob = resource(cronJobSpec);
