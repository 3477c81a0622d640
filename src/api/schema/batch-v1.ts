/**
 * Field schema of the batch/v1 kinds: Job and CronJob. Follows k8s.io/api/batch/v1/types.go
 * (JobSpec, PodFailurePolicy, PodFailurePolicyRule, PodFailurePolicyOnExitCodesRequirement,
 * PodFailurePolicyOnPodConditionsPattern, SuccessPolicy, SuccessPolicyRule, CronJobSpec,
 * JobTemplateSpec).
 *
 * Both specs count as modelled as a whole until the Job and CronJob controllers exist; the
 * loader warns about the kinds themselves.
 */
import { arr, obj, scalar, whole } from './builders.js';
import { labelSelector, objectMeta, resource } from './meta.js';
import { podTemplateSpec } from './pod.js';

const podFailurePolicyRule = obj({
  action: scalar,
  onExitCodes: obj({ containerName: scalar, operator: scalar, values: arr(scalar) }),
  onPodConditions: arr(obj({ type: scalar, status: scalar })),
});

const successPolicyRule = obj({ succeededIndexes: scalar, succeededCount: scalar });

const jobSpec = obj({
  parallelism: scalar,
  completions: scalar,
  activeDeadlineSeconds: scalar,
  podFailurePolicy: obj({ rules: arr(podFailurePolicyRule) }),
  successPolicy: obj({ rules: arr(successPolicyRule) }),
  backoffLimit: scalar,
  backoffLimitPerIndex: scalar,
  maxFailedIndexes: scalar,
  selector: labelSelector,
  manualSelector: scalar,
  template: podTemplateSpec,
  ttlSecondsAfterFinished: scalar,
  completionMode: scalar,
  suspend: scalar,
  podReplacementPolicy: scalar,
  managedBy: scalar,
});

const cronJobSpec = obj({
  schedule: scalar,
  timeZone: scalar,
  startingDeadlineSeconds: scalar,
  concurrencyPolicy: scalar,
  suspend: scalar,
  jobTemplate: obj({ metadata: objectMeta, spec: jobSpec }),
  successfulJobsHistoryLimit: scalar,
  failedJobsHistoryLimit: scalar,
});

/** batch/v1 Job. */
export const job = resource(whole(jobSpec));

/** batch/v1 CronJob. */
export const cronJob = resource(whole(cronJobSpec));
