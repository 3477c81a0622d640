/**
 * CronJob (k8s.io/api/batch/v1/types.go), the fields the simulator models.
 */
import type { KubeObject, Time } from './meta.js';
import type { JobTemplateSpec } from './job.js';

/** core/v1 ObjectReference, as CronJob status lists its active Jobs. */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

export interface CronJobSpec {
  /** Standard 5-field cron syntax or a descriptor such as `@hourly`. */
  schedule: string;
  /** IANA time zone name; unset means the controller manager's (UTC here). */
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  jobTemplate: JobTemplateSpec;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

export interface CronJobStatus {
  active?: ObjectReference[];
  lastScheduleTime?: Time;
  lastSuccessfulTime?: Time;
}

export interface CronJob extends KubeObject {
  kind: 'CronJob';
  spec: CronJobSpec;
  status?: CronJobStatus;
}
