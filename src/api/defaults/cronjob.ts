/**
 * batch/v1 CronJob defaults, following pkg/apis/batch/v1/defaults.go (SetDefaults_CronJob):
 * concurrencyPolicy Allow, suspend false, successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1;
 * startingDeadlineSeconds and timeZone stay unset. As the generated defaulters do, the job
 * template's pod template gets the pod defaults, but its Job fields do not get the Job's: those
 * come when the controller creates each Job (so `restartPolicy` must be chosen explicitly —
 * defaulted to Always, it fails validation as upstream).
 */
import type { CronJob } from '../types/cronjob.js';
import { defaultPodTemplateSpec } from './pod.js';

/** Defaults a CronJob in place; only absent fields are assigned. */
export function defaultCronJob(obj: CronJob): void {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return;
  // Upstream's zero value "" counts as unset for the policy string.
  if (spec.concurrencyPolicy == null || (spec.concurrencyPolicy as string) === '') spec.concurrencyPolicy = 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const template = spec.jobTemplate?.spec?.template;
  if (template !== undefined && template !== null) defaultPodTemplateSpec(template);
}
